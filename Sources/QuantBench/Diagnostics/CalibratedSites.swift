import QuantCore
import QuantModels

/// Every activation site of a task observed over its calibration data, per tensor, with the
/// range each of several calibrators gives it for one format.
public struct CalibratedSites: Sendable {
    /// Per site, the per-tensor statistics (exact range, plus what the calibrators asked for).
    public var statistics: [String: GranuleStatistics]
    /// Per site, calibrator name → the calibrated granule.
    public var granules: [String: [String: SiteGranule]]
    /// The calibration items observed.
    public var items: Int

    /// Runs the first `count` calibration items through `task` once, observing every site with
    /// what `calibrators` and `extra` need, then calibrates each site with each calibrator.
    ///
    /// - Throws: ``DiagnosticsError/noData(_:)`` when no item would be observed; a calibrator's
    ///   error naming the site.
    public static func observe(
        _ task: any ModelTask, count: Int, format: any NumericFormat, calibrators: [any Calibrator], extra: StatisticsRequest = []
    ) throws -> CalibratedSites {
        let items = Swift.min(count, task.calibrationCount)
        guard items > 0, let first = calibrators.first else {
            throw DiagnosticsError.noData(items > 0 ? "the calibrator list" : "the calibration set of \(task.modelName)")
        }
        let recipe = ActivationRecipe(format: format, cut: .perTensor, calibrator: first, includes: { _ in true })
        let observer = ActivationObserver(recipe: recipe, calibrators: calibrators, extra: extra.union(.range))
        try task.calibrate(count: items, context: ForwardContext(hooks: [observer]))
        var granules: [String: [String: SiteGranule]] = [:]
        for calibrator in calibrators {
            for (site, planned) in try observer.plan(calibrator: calibrator).sites {
                if let granule = planned.first { granules[site, default: [:]][calibrator.name] = granule }
            }
        }
        return CalibratedSites(
            statistics: observer.statistics.compactMapValues(\.first), granules: granules, items: items)
    }
}
