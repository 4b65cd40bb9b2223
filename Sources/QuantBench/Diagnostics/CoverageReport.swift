import Foundation
import QuantCore
import QuantModels

/// Calibration coverage (`quantbench coverage`, the notebook's `coverage` inspect cell): per
/// activation site, the share of production activations outside the range observed on the
/// calibration items and the ratio of production max|x| to calibration max|x|; sites past the
/// ``CoverageThresholds`` are flagged as under-covered.
///
/// Both sides are counted exactly: the calibration range is the exact min and max over every
/// calibration activation, and every production value is compared with it (a ``SiteProbe``).
public struct CoverageReport: Sendable, Codable {
    public var model: String
    public var production: String
    public var format: String
    public var calibrationItems: Int
    public var productionItems: Int
    public var thresholds: CoverageThresholds
    public var sites: [CoverageSite]

    enum CodingKeys: String, CodingKey {
        case model, production, format, thresholds, sites
        case calibrationItems = "calibration_items"
        case productionItems = "production_items"
    }

    /// The flagged sites.
    public var flagged: [CoverageSite] { sites.filter(\.flagged) }

    /// Observes `count` calibration items of `task`, then runs `production` through it.
    ///
    /// - Parameter format: The format whose parameters (for the calibration range) the SQNR column uses.
    /// - Throws: ``DiagnosticsError/noData(_:)``; transform errors naming the transform and the
    ///   model's transforms.
    public static func measure(
        _ task: any ScenarioTask, count: Int, production: ProductionData, format: any NumericFormat,
        thresholds: CoverageThresholds = CoverageThresholds()
    ) throws -> CoverageReport {
        let calibrated = try CalibratedSites.observe(task, count: count, format: format, calibrators: [MinMaxRange()])
        let ranges = calibrated.statistics.mapValues { ClipRange(lower: $0.min, upper: $0.max) }
        let probe = SiteProbe(
            format: format, candidates: ranges.mapValues { [RangeCoverage.candidate: SiteGranule(range: $0, format: format)] })
        let items: Int
        switch production {
        case .calibration:
            try task.calibrate(count: calibrated.items, context: ForwardContext(hooks: [probe]))
            items = calibrated.items
        case let .evaluation(transform):
            let shifted = transform == nil ? task : try task.evaluating(under: transform)
            guard shifted.evaluationCount > 0 else { throw DiagnosticsError.noData("the evaluation split of \(task.modelName)") }
            _ = try shifted.evaluate(weights: task.weights, context: ForwardContext(hooks: [probe]))
            items = shifted.evaluationCount
        }
        let sites = RangeCoverage.compare(ranges, probe.measurements, order: task.activationSites, thresholds: thresholds)
        return CoverageReport(
            model: task.modelName, production: production.description, format: format.name, calibrationItems: calibrated.items,
            productionItems: items, thresholds: thresholds, sites: sites)
    }
}

/// The pieces of a coverage check that need no model: comparing ranges, ratios and formatting.
public enum RangeCoverage {
    /// The probe candidate holding the calibration range.
    static let candidate = "calibrated"

    /// One ``CoverageSite`` per site of `order` that both sides saw.
    public static func compare(
        _ calibration: [String: ClipRange], _ production: [String: SiteProbe.Measurement], order: [ActivationSite],
        thresholds: CoverageThresholds
    ) -> [CoverageSite] {
        order.compactMap { site in
            guard let range = calibration[site.name], let seen = production[site.name] else { return nil }
            return CoverageSite(site: site.name, calibration: range, measurement: seen, thresholds: thresholds)
        }
    }

    /// a / b, 1 when both are 0 and +∞ when only b is.
    static func ratio(_ a: Double, _ b: Double) -> Double {
        b > 0 ? a / b : (a > 0 ? .infinity : 1)
    }

    /// (new − old) / |old|: 0 when both are 0, ±∞ when only old is.
    static func relativeMove(from old: Double, to new: Double) -> Double {
        if old == new { return 0 }
        return old != 0 ? (new - old) / Swift.abs(old) : (new > old ? .infinity : -.infinity)
    }

    static func percent(_ share: Double) -> String {
        share.isFinite ? String(format: "%.4g%%", share * 100) : "\(share)"
    }

    static func fixed(_ x: Double) -> String {
        x.isFinite ? String(format: "%.4f", x) : "\(x)"
    }
}

/// The exact observed range [min, max] as a calibrator (coverage compares with what was seen,
/// whatever the format's range mode).
struct MinMaxRange: Calibrator {
    var name: String { "observed-range" }
    var requirements: StatisticsRequest { .range }
    func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        CalibrationResult(range: ClipRange(lower: input.statistics.min, upper: input.statistics.max))
    }
}
