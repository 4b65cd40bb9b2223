import QuantCore

/// One activation site seen through two versions of a model on the same calibration items.
public struct DriftSite: Sendable, Codable, Equatable {
    public var site: String
    public var oldMin: Float
    public var oldMax: Float
    public var newMin: Float
    public var newMax: Float
    /// (new max|x| − old max|x|) / old max|x|.
    public var absMaxMove: Double
    public var oldMean: Double
    public var newMean: Double
    /// (new mean − old mean) / |old mean|.
    public var meanMove: Double
    /// The old quantization range (the calibrator's range on the old activations).
    public var oldRangeLower: Float
    public var oldRangeUpper: Float
    /// Share of the new activations outside ``oldRange``: they clip with the old parameters.
    public var shareClippedByOld: Double
    /// SQNR of the new activations quantized with the old parameters and with their own, dB.
    public var sqnrOldParamsDB: Double
    public var sqnrNewParamsDB: Double
    public var flagged: Bool
    public var reasons: [String]

    enum CodingKeys: String, CodingKey {
        case site, flagged, reasons
        case oldMin = "old_min"
        case oldMax = "old_max"
        case newMin = "new_min"
        case newMax = "new_max"
        case absMaxMove = "abs_max_move"
        case oldMean = "old_mean"
        case newMean = "new_mean"
        case meanMove = "mean_move"
        case oldRangeLower = "old_range_lower"
        case oldRangeUpper = "old_range_upper"
        case shareClippedByOld = "share_clipped_by_old"
        case sqnrOldParamsDB = "sqnr_old_params_db"
        case sqnrNewParamsDB = "sqnr_new_params_db"
    }

    /// Compares the old and new statistics of a site; `measurement` is the new activations
    /// probed with the candidates `old` and `new` (each version's calibrated granule).
    public init(
        site: String, old: GranuleStatistics, new: GranuleStatistics, oldRange: ClipRange, measurement: SiteProbe.Measurement,
        thresholds: CoverageThresholds
    ) {
        self.site = site
        oldMin = old.min
        oldMax = old.max
        newMin = new.min
        newMax = new.max
        absMaxMove = RangeCoverage.relativeMove(from: Double(old.absMax), to: Double(new.absMax))
        oldMean = old.mean
        newMean = new.mean
        meanMove = RangeCoverage.relativeMove(from: old.mean, to: new.mean)
        oldRangeLower = oldRange.lower
        oldRangeUpper = oldRange.upper
        let withOld = measurement.errors[ModelDrift.oldCandidate] ?? ErrorMetrics()
        shareClippedByOld = withOld.count > 0 ? Double(withOld.clipped) / Double(withOld.count) : 0
        sqnrOldParamsDB = withOld.sqnrDB
        sqnrNewParamsDB = (measurement.errors[ModelDrift.newCandidate] ?? ErrorMetrics()).sqnrDB
        reasons = []
        if shareClippedByOld > thresholds.share {
            reasons.append("\(RangeCoverage.percent(shareClippedByOld)) of new activations clip with the old parameters (threshold \(RangeCoverage.percent(thresholds.share)))")
        }
        if Swift.abs(absMaxMove) > thresholds.move {
            reasons.append("max|x| moved \(RangeCoverage.percent(absMaxMove)) (threshold ±\(RangeCoverage.percent(thresholds.move)))")
        }
        if Swift.abs(meanMove) > thresholds.move {
            reasons.append("mean moved \(RangeCoverage.percent(meanMove)) (threshold ±\(RangeCoverage.percent(thresholds.move)))")
        }
        flagged = !reasons.isEmpty
    }
}
