import QuantCore
import QuantModels

/// Statistics of one activation site over a model's calibration split (`quantbench inspect
/// MODEL --activations`).
///
/// P99 of |x| comes from the site's 2048-bin |x| histogram (linear within the bin), so it is
/// exact to one bin width (max|x| / 2048); everything else is exact.
public struct ActivationInspection: Sendable, Codable {
    public var site: String
    public var count: Int
    public var min: Float
    public var max: Float
    public var absMax: Float
    public var mean: Double
    public var std: Double
    public var kurtosis: Double
    public var p99Abs: Double
    public var outlierRatio: Double
    public var recommendedCalibrator: String

    enum CodingKeys: String, CodingKey {
        case site, count, min, max, mean, std, kurtosis
        case absMax = "abs_max"
        case p99Abs = "p99_abs"
        case outlierRatio = "outlier_ratio"
        case recommendedCalibrator = "recommended_calibrator"
    }

    /// Observes every activation of `task` over `count` calibration items, one forward pass.
    public static func inspect(_ task: any ModelTask, count: Int) throws -> [ActivationInspection] {
        let registry = PluginRegistry.builtIn
        let recipe = ActivationRecipe(format: try registry.format("int8"), calibrator: try registry.calibrator("minmax"), includes: { _ in true })
        let observer = ActivationObserver(recipe: recipe, calibrators: [], extra: [.range, .moments, .absHistogram])
        try task.calibrate(count: Swift.min(count, task.calibrationCount), context: ForwardContext(hooks: [observer]))
        let statistics = observer.statistics
        return task.activationSites.compactMap { site in
            statistics[site.name].flatMap { $0.first }.map { ActivationInspection(site: site.name, $0) }
        }
    }

    init(site: String, _ s: GranuleStatistics) {
        self.site = site
        count = s.count
        min = s.min
        max = s.max
        absMax = s.absMax
        mean = s.mean
        std = s.moments?.standardDeviation ?? .nan
        kurtosis = s.moments?.kurtosis ?? .nan
        p99Abs = s.absHistogram.map { Self.quantile($0, 0.99) } ?? .nan
        let diagnostic = OutlierDiagnostic(absMax: Double(s.absMax), p99: p99Abs)
        outlierRatio = diagnostic.ratio
        recommendedCalibrator = diagnostic.recommendedCalibrator
    }

    /// The `q` quantile of a histogram, linear within the bin that crosses it.
    static func quantile(_ h: Histogram, _ q: Double) -> Double {
        let target = q * h.total
        var seen = 0.0
        for k in 0..<h.binCount {
            let next = seen + h.counts[k]
            if next >= target, h.counts[k] > 0 {
                return h.edge(k) + (target - seen) / h.counts[k] * (h.edge(k + 1) - h.edge(k))
            }
            seen = next
        }
        return h.edge(h.binCount)
    }
}
