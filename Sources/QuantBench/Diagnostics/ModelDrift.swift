import QuantCore
import QuantModels

/// Drift between two versions of a model (`quantbench drift`, the notebook's `drift` inspect
/// cell): the same calibration items through both, and per site how far the range and mean
/// moved, how many new activations the old quantization range clips, and the SQNR of the new
/// activations with the old parameters against their own.
public struct ModelDrift: Sendable, Codable {
    public var old: String
    public var new: String
    public var format: String
    public var calibrator: String
    public var calibrationItems: Int
    public var thresholds: CoverageThresholds
    public var sites: [DriftSite]

    enum CodingKeys: String, CodingKey {
        case old, new, format, calibrator, thresholds, sites
        case calibrationItems = "calibration_items"
    }

    /// Probe candidate names.
    static let oldCandidate = "old", newCandidate = "new"

    /// The flagged sites.
    public var flagged: [DriftSite] { sites.filter(\.flagged) }

    /// Runs the first `count` calibration items of `oldTask` through both versions (`newTask`
    /// must be the same architecture on the same data, e.g. from ``ModelSpec`` or ``WeightEdit``).
    ///
    /// - Throws: ``DiagnosticsError/sitesDiffer(old:new:)``; ``DiagnosticsError/noData(_:)``;
    ///   calibrator errors naming the site.
    public static func measure(
        old oldTask: any ModelTask, new newTask: any ModelTask, oldName: String, newName: String, count: Int,
        format: any NumericFormat, calibrator: any Calibrator, thresholds: CoverageThresholds = CoverageThresholds()
    ) throws -> ModelDrift {
        guard oldTask.activationSites.map(\.name) == newTask.activationSites.map(\.name) else {
            throw DiagnosticsError.sitesDiffer(old: oldName, new: newName)
        }
        let before = try CalibratedSites.observe(oldTask, count: count, format: format, calibrators: [calibrator])
        let after = try CalibratedSites.observe(newTask, count: before.items, format: format, calibrators: [calibrator])
        var candidates: [String: [String: SiteGranule]] = [:]
        for (site, granules) in before.granules {
            if let o = granules[calibrator.name], let n = after.granules[site]?[calibrator.name] {
                candidates[site] = [Self.oldCandidate: o, Self.newCandidate: n]
            }
        }
        let probe = SiteProbe(format: format, candidates: candidates)
        try newTask.calibrate(count: before.items, context: ForwardContext(hooks: [probe]))
        let measured = probe.measurements
        let sites: [DriftSite] = oldTask.activationSites.compactMap { site in
            guard let o = before.statistics[site.name], let n = after.statistics[site.name], let seen = measured[site.name],
                  let range = candidates[site.name]?[Self.oldCandidate]?.range else { return nil }
            return DriftSite(site: site.name, old: o, new: n, oldRange: range, measurement: seen, thresholds: thresholds)
        }
        return ModelDrift(
            old: oldName, new: newName, format: format.name, calibrator: calibrator.name, calibrationItems: before.items,
            thresholds: thresholds, sites: sites)
    }
}
