import QuantCore

/// Clips at a percentile of the calibration data, read off the 2048-bin histogram.
///
/// Symmetric formats follow pytorch_quantization / ModelOpt (REFERENCE.md §2.2): on a histogram
/// of |x| over [0, max|x|], `T` is the lower edge of the first bin whose CDF reaches p/100, and
/// the range is ±T. Affine formats cut (100 − p)/2 % from each tail of the signed histogram over
/// [min, max], taking the lower edge of the bin where each cut falls, as ONNX Runtime's
/// asymmetric PercentileCalibrater does (without its clamping quirk, since our histogram spans
/// exactly [min, max]).
///
/// Deviation, stated: on a constant tensor the lower edge would clip its only value, so when
/// every count sits in the chosen bin, `T` is raised to that bin's upper edge (max|x|).
public struct Percentile: Calibrator {
    public var percentile: Double
    public init(percentile: Double = 99.99) { self.percentile = percentile }
    public var name: String { "percentile(\(PluginValue.real(percentile)))" }
    public var requirements: StatisticsRequest { [.range, .absHistogram, .signedHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        switch input.format.rangeMode {
        case .symmetric:
            let h = try input.histogram(\.absHistogram, for: name)
            let (k, alone) = Self.firstBin(h, reaching: percentile / 100)
            let t = alone ? Float(h.edge(k + 1)) : Float(h.edge(k))
            return CalibrationResult(
                range: ClipRange(symmetric: t), note: alone ? "all values in one histogram bin: kept its upper edge" : nil)
        case .affine:
            let h = try input.histogram(\.signedHistogram, for: name)
            let cut = (100 - percentile) / 200
            let (lowBin, _) = Self.firstBin(h, reaching: cut)
            let (highBin, alone) = Self.firstBin(h, reaching: 1 - cut)
            let upper = alone ? Float(h.edge(highBin + 1)) : Float(h.edge(highBin))
            return CalibrationResult(range: ClipRange(lower: Float(h.edge(lowBin)), upper: Swift.max(upper, Float(h.edge(lowBin)))))
        }
    }

    /// numpy's `searchsorted(cumsum(hist / total), q)`: the first bin whose CDF is ≥ q (the bin
    /// count when none is), and whether that bin holds every count.
    static func firstBin(_ h: Histogram, reaching q: Double) -> (bin: Int, holdsAll: Bool) {
        let total = h.total
        guard total > 0 else { return (0, false) }
        var cdf = 0.0
        for k in 0..<h.binCount {
            cdf += h.counts[k] / total
            if cdf >= q { return (k, h.counts[k] == total) }
        }
        return (h.binCount, false)
    }
}
