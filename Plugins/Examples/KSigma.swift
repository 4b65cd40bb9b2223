import QuantCore

/// Clips at k standard deviations around the mean, never wider than the observed values.
///
/// With the mean μ and the population standard deviation σ of the observer's moments, the
/// affine range is [max(min, μ − k·σ), min(max, μ + k·σ)]: the k·σ interval intersected with
/// the data. Symmetric formats get ±max(|lower|, |upper|) of that interval, the narrowest
/// symmetric range that still holds it, so a symmetric range is never wider than max|x| either.
///
/// When it helps: heavy-tailed activations, where a few outliers set max|x| but σ still
/// describes the bulk. Clipping them costs a little error on rare values and buys resolution
/// for all the others. Whatever the distribution, at most 1/k² of the values fall outside
/// μ ± k·σ (Chebyshev), so the clipped share is bounded before the data is seen.
///
/// Assumptions: the granule is roughly unimodal, so mean and σ describe it. σ is not a robust
/// estimate: outliers inflate it, so k·σ clips less than the same k would on clean data.
/// Skewed or bimodal granules are clipped unevenly; one-sided (post-ReLU) granules keep their
/// lower bound at the observed minimum. On n values, |x − μ| ≤ σ·√(n − 1) (Samuelson), so a
/// k at or above that never clips and the range is MinMax's.
///
/// Source: a textbook heuristic with no reference implementation. It is the data-based
/// analogue of the BN-based range β ± 6γ of Nagel et al. 2021 (Table 2), and for Gaussian data
/// k ≈ 3.92 is ACIQ's modelled optimum at 8 bits (Banner et al. 2019; 2.55 at 4 bits). The
/// default k = 4 sits next to that 8-bit optimum.
public struct KSigma: Calibrator {
    /// Standard deviations kept on each side of the mean; finite and > 0.
    public let k: Double

    /// Makes the calibrator.
    ///
    /// - Parameter k: Standard deviations kept on each side of the mean.
    /// - Throws: ``QuantCoreError/badParameter(plugin:parameter:reason:)`` when `k` is not a
    ///   finite number greater than 0.
    public init(k: Double = 4) throws {
        guard k.isFinite, k > 0 else {
            throw QuantCoreError.badParameter(
                plugin: "ksigma", parameter: "k",
                reason: "is \(k) but must be a finite number > 0 (the standard deviations kept each side of the mean)")
        }
        self.k = k
    }

    /// `ksigma(4)`, `ksigma(2.5)`: the id and k, as a results table shows it.
    public var name: String { "ksigma(\(PluginValue.real(k)))" }

    /// The mean and σ come from the moments; min and max from the range.
    public var requirements: StatisticsRequest { [.range, .moments] }

    /// Clips one granule at μ ± k·σ within [min, max].
    ///
    /// - Parameter input: The granule's statistics and the target format.
    /// - Returns: The clipping range; symmetric about zero for symmetric formats.
    /// - Throws: ``QuantCoreError/noFiniteValues(tensor:)`` when the granule holds no finite
    ///   value, ``QuantCoreError/incompatible(_:)`` when the moments were not collected.
    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let s = input.statistics
        guard s.count > 0 else { throw QuantCoreError.noFiniteValues(tensor: input.tensorName) }
        guard let moments = s.moments else {
            throw QuantCoreError.incompatible(
                "\(name) needs the moments of tensor '\(input.tensorName)' but none were collected; declare .moments in requirements")
        }
        let (lower, upper) = Self.interval(
            mean: moments.mean, standardDeviation: moments.standardDeviation, k: k, min: Double(s.min), max: Double(s.max))
        switch input.format.rangeMode {
        case .symmetric:
            return CalibrationResult(range: ClipRange(symmetric: Float(Swift.max(Swift.abs(lower), Swift.abs(upper)))))
        case .affine:
            return CalibrationResult(range: ClipRange(lower: Float(lower), upper: Float(upper)))
        }
    }

    /// [max(min, μ − k·σ), min(max, μ + k·σ)] in double precision.
    ///
    /// μ lies in [min, max] in exact arithmetic; the outer `max`/`min` only keep the interval
    /// inside the data and ordered when a constant granule's mean is rounded past a bound.
    static func interval(mean: Double, standardDeviation sigma: Double, k: Double, min: Double, max: Double)
        -> (lower: Double, upper: Double)
    {
        let upper = Swift.max(min, Swift.min(max, mean + k * sigma))
        let lower = Swift.min(upper, Swift.max(min, mean - k * sigma))
        return (lower, upper)
    }
}
