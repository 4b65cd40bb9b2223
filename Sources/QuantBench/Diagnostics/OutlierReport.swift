import Granularities
import QuantCore
import QuantModels

/// The outlier report with its rule check (`quantbench outliers`, the notebook's inspect
/// cell): per activation site and weight tensor, r = max|x| / P99(|x|), excess kurtosis, the
/// calibrator REFERENCE §2.9's rule recommends, and the calibrator that measures best.
///
/// Activations: statistics and ranges come from the calibration items; each candidate's SQNR is
/// measured on the evaluation split (held-out data) through a ``SiteProbe``, each site
/// quantized alone (the FP32 activations flow on). Weights: each candidate quantizes the tensor
/// per-tensor and the SQNR is measured on the tensor itself.
public struct OutlierReport: Sendable, Codable {
    public var model: String
    public var format: String
    public var calibrators: [String]
    public var calibrationItems: Int
    public var evaluationItems: Int
    public var toleranceDB: Double
    public var rows: [OutlierRuleRow]

    enum CodingKeys: String, CodingKey {
        case model, format, calibrators, rows, agreement
        case calibrationItems = "calibration_items"
        case evaluationItems = "evaluation_items"
        case toleranceDB = "tolerance_db"
        case meanLossDB = "mean_loss_db"
    }

    /// Share of the rows with a verdict in which the rule agrees with the measurement (nan when none).
    public var agreement: Double {
        let verdicts = rows.compactMap(\.agrees)
        return verdicts.isEmpty ? .nan : Double(verdicts.filter { $0 }.count) / Double(verdicts.count)
    }

    /// Mean SQNR lost by following the rule's first choice, over the rows that measured it.
    public var meanLossDB: Double {
        let losses = rows.compactMap(\.lossDB).filter(\.isFinite)
        return losses.isEmpty ? .nan : losses.reduce(0, +) / Double(losses.count)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(format, forKey: .format)
        try c.encode(calibrators, forKey: .calibrators)
        try c.encode(calibrationItems, forKey: .calibrationItems)
        try c.encode(evaluationItems, forKey: .evaluationItems)
        try c.encode(toleranceDB, forKey: .toleranceDB)
        try c.encode(rows, forKey: .rows)
        try c.encode(agreement, forKey: .agreement)
        try c.encode(meanLossDB, forKey: .meanLossDB)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        format = try c.decode(String.self, forKey: .format)
        calibrators = try c.decode([String].self, forKey: .calibrators)
        calibrationItems = try c.decode(Int.self, forKey: .calibrationItems)
        evaluationItems = try c.decode(Int.self, forKey: .evaluationItems)
        toleranceDB = try c.decode(Double.self, forKey: .toleranceDB)
        rows = try c.decode([OutlierRuleRow].self, forKey: .rows)
    }

    init(model: String, format: String, calibrators: [String], calibrationItems: Int, evaluationItems: Int, toleranceDB: Double, rows: [OutlierRuleRow]) {
        self.model = model
        self.format = format
        self.calibrators = calibrators
        self.calibrationItems = calibrationItems
        self.evaluationItems = evaluationItems
        self.toleranceDB = toleranceDB
        self.rows = rows
    }

    /// Default candidates: the rule's three choices and KL.
    public static let defaultCalibrators = ["minmax", "percentile(99.99)", "mse", "kl"]

    /// Measures `task`'s activations (over `count` calibration items and the evaluation split)
    /// and, unless `weights` is false, its quantizable weights.
    ///
    /// - Throws: plug-in errors; ``DiagnosticsError/noData(_:)``; calibrator errors naming the site.
    public static func measure(
        _ task: any ModelTask, count: Int, format: any NumericFormat, calibrators: [any Calibrator], activations: Bool = true,
        weights: Bool = true, toleranceDB: Double = 0.1
    ) throws -> OutlierReport {
        let order = calibrators.map(\.name)
        var rows: [OutlierRuleRow] = []
        var items = 0
        if activations {
            let sites = try CalibratedSites.observe(task, count: count, format: format, calibrators: calibrators, extra: [.moments, .absHistogram])
            items = sites.items
            let probe = SiteProbe(format: format, candidates: sites.granules)
            _ = try task.evaluate(weights: task.weights, context: ForwardContext(hooks: [probe]))
            let measured = probe.measurements
            for site in task.activationSites {
                guard let statistics = sites.statistics[site.name], let seen = measured[site.name] else { continue }
                let inspection = ActivationInspection(site: site.name, statistics)
                rows.append(OutlierRuleRow(
                    kind: "activation", tensor: site.name, absMax: Double(inspection.absMax), p99: inspection.p99Abs,
                    kurtosis: inspection.kurtosis, sqnr: seen.errors.mapValues(\.sqnrDB), order: order, toleranceDB: toleranceDB))
            }
        }
        if weights { rows += try weightRows(task, format: format, calibrators: calibrators, toleranceDB: toleranceDB) }
        return OutlierReport(
            model: task.modelName, format: format.name, calibrators: order, calibrationItems: items,
            evaluationItems: activations ? task.evaluationCount : 0, toleranceDB: toleranceDB, rows: rows)
    }

    /// One row per quantizable weight, each candidate quantizing it per-tensor.
    static func weightRows(
        _ task: any ModelTask, format: any NumericFormat, calibrators: [any Calibrator], toleranceDB: Double
    ) throws -> [OutlierRuleRow] {
        try task.quantizableWeights.compactMap { name in
            guard let tensor = task.weights[name] else { return nil }
            let inspection = try TensorInspection(tensor)
            var sqnr: [String: Double] = [:]
            for calibrator in calibrators {
                let recipe = QuantizationRecipe(format: format, granularity: PerTensor(), calibrator: calibrator)
                sqnr[calibrator.name] = try TensorQuantizer(recipe: recipe).quantize(tensor).report.sqnrDB
            }
            return OutlierRuleRow(
                kind: "weight", tensor: name, absMax: Double(inspection.absMax), p99: inspection.p99Abs, kurtosis: inspection.kurtosis,
                sqnr: sqnr, order: calibrators.map(\.name), toleranceDB: toleranceDB)
        }
    }
}
