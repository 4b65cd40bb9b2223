import Foundation
import QuantCore

/// Analytical clipping (ACIQ, Banner et al., NeurIPS 2019): fit a Laplace or Gaussian to the
/// granule and clip where the modelled quantization-plus-clipping noise is smallest.
///
/// With M bits over [−α, α] the model is α²/(3·4^M) plus the clipping noise, 2b²·e^(−α/b) for
/// Laplace(b) and (α² + σ²)(1 − erf(α/(√2σ))) − √(2/π)·α·σ·e^(−α²/2σ²) for N(0, σ²)
/// (REFERENCE.md §2.6). α* is found by golden-section search on that model (it reproduces the
/// paper's table: Laplace 8 bits α/b = 9.89, Gaussian 3.92). b is the mean absolute deviation
/// and σ the standard deviation of the data; one-sided (min ≥ 0) granules use M + 1 bits.
/// `mix` takes whichever fit models the smaller error. The range has width 2α, starts at
/// max(min, mean − α) and never exceeds [min, max]; symmetric formats get ±min(|mean| + α, max|x|).
/// M is the format's element width, so for floating-point formats the model is only a heuristic.
public struct ACIQ: Calibrator {
    public enum Distribution: String, Sendable, CaseIterable { case laplace, gauss, mix }
    public var distribution: Distribution
    public init(distribution: Distribution = .laplace) { self.distribution = distribution }
    public var name: String { distribution == .laplace ? "aciq" : "aciq(\(distribution.rawValue))" }
    public var requirements: StatisticsRequest { [.range, .moments, .signedHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let s = input.statistics
        guard let moments = s.moments, s.count > 0 else {
            throw QuantCoreError.incompatible("aciq needs moments of tensor '\(input.tensorName)' but none were collected")
        }
        let oneSided = s.min >= 0
        let bits = input.format.elementBits + (oneSided ? 1 : 0)
        let b = s.meanAbsoluteDeviation, sigma = moments.standardDeviation
        guard b > 0, sigma > 0 else {
            return CalibrationResult(range: input.range(lower: s.min, upper: s.max), note: "zero spread: kept [min, max]")
        }
        let laplace = (alpha: Self.optimalAlpha(bits: bits, model: .laplace) * b, model: Model.laplace, scale: b)
        let gauss = (alpha: Self.optimalAlpha(bits: bits, model: .gauss) * sigma, model: Model.gauss, scale: sigma)
        let chosen: (alpha: Double, model: Model, scale: Double)
        switch distribution {
        case .laplace: chosen = laplace
        case .gauss: chosen = gauss
        case .mix:
            let lNoise = Self.noise(laplace.alpha / b, bits: bits, model: .laplace) * b * b
            let gNoise = Self.noise(gauss.alpha / sigma, bits: bits, model: .gauss) * sigma * sigma
            chosen = lNoise <= gNoise ? laplace : gauss
        }
        let alpha = Float(chosen.alpha), mean = Float(s.mean)
        switch input.format.rangeMode {
        case .symmetric:
            return CalibrationResult(range: ClipRange(symmetric: Swift.min(Swift.abs(mean) + alpha, s.absMax)))
        case .affine:
            let lower = Swift.max(s.min, mean - alpha)
            return CalibrationResult(range: ClipRange(lower: lower, upper: Swift.min(s.max, lower + 2 * alpha)))
        }
    }

    enum Model { case laplace, gauss }

    /// Modelled noise for unit scale (b = 1 or σ = 1) at clip `a`.
    static func noise(_ a: Double, bits: Int, model: Model) -> Double {
        let quantization = a * a / (3 * pow(4, Double(bits)))
        switch model {
        case .laplace:
            return quantization + 2 * exp(-a)
        case .gauss:
            return quantization + (a * a + 1) * (1 - erf(a / 2.0.squareRoot())) - (2 / Double.pi).squareRoot() * a * exp(-a * a / 2)
        }
    }

    /// α*/b (Laplace) or α*/σ (Gaussian) for `bits`, by golden-section search on the model.
    static func optimalAlpha(bits: Int, model: Model) -> Double {
        var lo = 0.0, hi = 64.0
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<200 {
            let a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo)
            if noise(a, bits: bits, model: model) < noise(b, bits: bits, model: model) { hi = b } else { lo = a }
        }
        return (lo + hi) / 2
    }
}
