import QuantCore
import QuantModels

/// Where a coverage check's "production" activations come from.
public enum ProductionData: Sendable, Hashable, CustomStringConvertible {
    /// The calibration items themselves (a coverage check of them must be quiet).
    case calibration
    /// The evaluation split, under a scenario transform (`nil`: unchanged).
    case evaluation(transform: String?)

    /// `calibration`, `evaluation`, or a scenario transform of the evaluation split
    /// (`contrast(0.5)`, `brightness(0.2)`, `noise(0.1)`, `mix`).
    public init(parsing text: String) {
        switch text {
        case "calibration": self = .calibration
        case "evaluation", "none": self = .evaluation(transform: nil)
        default: self = .evaluation(transform: text)
        }
    }

    public var description: String {
        switch self {
        case .calibration: return "calibration"
        case let .evaluation(transform): return transform.map { "evaluation under \($0)" } ?? "evaluation"
        }
    }
}

/// When a coverage or drift check flags a site.
///
/// - `share`: the share of values outside the calibrated range above which a site is flagged.
///   Default 1e-4: every clipped value adds (x − bound)² of error, while int8 rounding adds
///   about step²/12 = (max|x|/127)²/12 ≈ 5·10⁻⁶·max|x|² per value; values clipped by 10 % of
///   max|x| at a share of 1e-4 already add ≈ 20 % of the rounding noise energy.
/// - `ratioTolerance`: a site is flagged when production max|x| / calibration max|x| exceeds
///   1 + this. Default 0.01: the largest value then clips by more than 1 % of the range, about
///   1.3 int8 steps (a step is max|x|/127 ≈ 0.79 %), more than twice the worst rounding error.
/// - `move`: drift flags a site whose max|x| or mean moved by more than this share. Default 0.05.
public struct CoverageThresholds: Sendable, Hashable, Codable {
    public var share: Double
    public var ratioTolerance: Double
    public var move: Double

    public init(share: Double = 1e-4, ratioTolerance: Double = 0.01, move: Double = 0.05) {
        self.share = share
        self.ratioTolerance = ratioTolerance
        self.move = move
    }

    enum CodingKeys: String, CodingKey {
        case share, move
        case ratioTolerance = "ratio_tolerance"
    }
}

/// One site of a coverage check: the calibrated range and how production data falls on it.
public struct CoverageSite: Sendable, Codable, Equatable {
    public var site: String
    public var calibrationMin: Float
    public var calibrationMax: Float
    public var productionMin: Float
    public var productionMax: Float
    /// Production values seen, and how many fell outside [calibration min, calibration max].
    public var productionCount: Int
    public var outside: Int
    /// outside / productionCount.
    public var shareOutside: Double
    /// Production max|x| / calibration max|x| (1 when both are 0, +∞ when only calibration's is).
    public var maxRatio: Double
    /// SQNR of the production values quantized with the calibrated range's parameters, dB.
    public var sqnrDB: Double
    public var flagged: Bool
    /// Why the site is flagged (empty when it is not).
    public var reasons: [String]

    enum CodingKeys: String, CodingKey {
        case site, outside, flagged, reasons
        case calibrationMin = "calibration_min"
        case calibrationMax = "calibration_max"
        case productionMin = "production_min"
        case productionMax = "production_max"
        case productionCount = "production_count"
        case shareOutside = "share_outside"
        case maxRatio = "max_ratio"
        case sqnrDB = "sqnr_db"
    }

    /// Compares production's `measurement` (whose candidate `calibrated` is the calibration
    /// range) with the calibration range `calibration`.
    public init(site: String, calibration: ClipRange, measurement: SiteProbe.Measurement, thresholds: CoverageThresholds) {
        let metrics = measurement.errors[RangeCoverage.candidate] ?? ErrorMetrics()
        self.site = site
        calibrationMin = calibration.lower
        calibrationMax = calibration.upper
        productionMin = measurement.summary.min
        productionMax = measurement.summary.max
        productionCount = measurement.summary.finiteCount
        outside = metrics.clipped
        shareOutside = productionCount > 0 ? Double(outside) / Double(productionCount) : 0
        maxRatio = RangeCoverage.ratio(Double(measurement.absMax), Double(calibration.absMax))
        sqnrDB = metrics.sqnrDB
        reasons = []
        if shareOutside > thresholds.share {
            reasons.append("\(RangeCoverage.percent(shareOutside)) of production values outside the calibrated range (threshold \(RangeCoverage.percent(thresholds.share)))")
        }
        if maxRatio > 1 + thresholds.ratioTolerance {
            reasons.append("production max|x| is \(RangeCoverage.fixed(maxRatio))× the calibrated (tolerance \(RangeCoverage.fixed(1 + thresholds.ratioTolerance))×)")
        }
        flagged = !reasons.isEmpty
    }
}
