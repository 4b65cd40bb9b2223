import QuantCore

/// The metrics each zoo model reports, plus those every cell gets, for checking names in
/// table and plot cells before anything runs.
enum KnownMetrics {
    static let byModel: [String: [String]] = [
        "digits-cnn": ["top1", "agreement", "kl"],
        "minilm": ["lee_pearson", "wordsim_spearman", "simlex_spearman", "polarity_accuracy", "cosine_to_fp32", "min_cosine_to_fp32"],
    ]
    static let common = ["weight_sqnr_db", "activation_sqnr_db", "weight_bits", "seconds"]
    /// What a `weights-only:PATH` cell measures.
    static let weightsOnly = ["weight_cosine", "weight_sqnr_overall_db"]

    /// What a `plan = "mixed(…)"` cell adds.
    static let mixedPlan = ["plan_bits", "plan_predicted_sqnr_db", "plan_high_layers"]

    /// Every metric a grid over `models` can produce (`fp32_` variants included), with the
    /// mixed-plan metrics when `mixed`.
    static func names(models: [String], mixed: Bool = false) -> [String] {
        let task = models.flatMap { byModel[$0] ?? [] }
        let files = models.contains { $0.hasPrefix(GridSpec.weightsOnlyPrefix) } ? weightsOnly : []
        return task + common + files + (mixed ? mixedPlan : []) + task.map { "fp32_" + $0 }
    }

    /// Whether `grid` has a mixed-precision `plan` value.
    static func hasMixedPlan(_ grid: GridSpec) -> Bool {
        (grid.axes["plan"] ?? []).contains { $0.string?.hasPrefix("mixed") == true } || grid.includes.contains { $0["plan"]?.string?.hasPrefix("mixed") == true }
    }
}

/// A ```` ```table ```` cell: a pivot of the results written in one or more formats.
///
/// Keys: `rows` and `columns` (an axis or a list of axes), `metric` (`value` is accepted too),
/// `aggregation` (mean, median, max, min), `formats` (latex, markdown, csv; default all),
/// `where` (a table axis → value or list of values), `caption`, `label`, `name` (the files'
/// base name; default `table-<cell index>`).
struct TableCellSpec: Sendable {
    var rows: [String]
    var columns: [String]
    var metric: String
    var aggregation: String
    var formats: [String]
    var filters: [String: [String]]
    var caption: String?
    var label: String?
    var name: String

    static let keys = ["rows", "columns", "metric", "value", "aggregation", "formats", "where", "caption", "label", "name"]
    static let aggregations = ["mean", "median", "max", "min"]
    static let formatNames = ["latex", "markdown", "csv"]
}

/// A ```` ```plot ```` cell: a figure of the results, saved as PNG and PDF.
///
/// Keys: `kind` (bar, line, heatmap, scatter), `x` (an axis; a metric for scatter), `y` (a
/// metric), `hue` (an axis: one bar/line series per value; the column axis for a heatmap),
/// `facet` (an axis: one figure per value), `where`, `title`, `name` (default `plot-<cell index>`).
struct PlotCellSpec: Sendable {
    var kind: String
    var x: String
    var y: String
    var hue: String?
    var facet: String?
    var filters: [String: [String]]
    var title: String?
    var name: String

    static let keys = ["kind", "x", "y", "hue", "facet", "where", "title", "name"]
    static let kinds = ["bar", "line", "heatmap", "scatter"]
}

/// An ```` ```inspect ```` cell, by `kind`:
/// - `outliers` (default): activation statistics of a zoo model on its calibration data
///   (`model`, `count`), or tensor statistics of a weights file (`file`); with `calibrators`,
///   the rule check of REFERENCE §2.9 (`format`, default int8);
/// - `coverage`: calibration coverage of `model` by `production` (a scenario transform,
///   `evaluation` or `calibration`; default `evaluation`) over `count` calibration items;
/// - `drift`: `model` against `new` (a model spec, `NAME@CHECKPOINT`) or against itself with
///   `scale = { "conv_layers.3.weight" = 1.15 }` applied in memory (`format`, `calibrator`);
/// - `sensitivity`: `model` with one weight layer at a time quantized to each of `formats`
///   (`granularity`, `calibrator`): the ranking by metric drop (`top` rows per format) and the
///   layer × format heatmap, written as `<name>.csv`, `.md` and `-heatmap.png`/`.pdf`.
struct InspectCellSpec: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case outliers, coverage, drift, sensitivity
    }

    var kind: Kind = .outliers
    var model: String?
    var file: String?
    var count: Int?
    /// Rows shown in the report (largest outlier ratio first); default 12.
    var top: Int
    var calibrators: [String] = []
    var format: String = "int8"
    var calibrator: String = "minmax"
    var production: String = "evaluation"
    var new: String?
    var scale: [String: Float] = [:]
    /// Weight formats a sensitivity cell profiles, with `granularity` (default per-channel).
    var formats: [String] = []
    var granularity: String?
    /// The base name of a sensitivity cell's files (default `sensitivity-<cell index>`).
    var name: String?

    static let keys = [
        "kind", "model", "file", "count", "top", "calibrators", "format", "calibrator", "production", "new", "scale", "formats",
        "granularity", "name",
    ]
}

/// Reads the TOML of table, plot and inspect cells, collecting every problem with its line.
struct NotebookCellParser {
    let file: String
    let cell: ExperimentCell
    /// The axes the notebook's grids define.
    let axes: [String]
    /// The metrics the notebook's grids can produce.
    let metrics: [String]
    var errors: [ExperimentError] = []
    private(set) var table: [String: GridValue] = [:]
    private let locator: TOMLLocator

    init(file: String, cell: ExperimentCell, axes: [String], metrics: [String]) {
        self.file = file
        self.cell = cell
        self.axes = axes
        self.metrics = metrics
        locator = TOMLLocator(cell.text)
    }

    /// The cell's TOML table with unknown keys reported; `nil` when it does not parse.
    mutating func load(keys: [String]) -> Bool {
        do {
            table = try GridValue.parseTOML(cell.text)
        } catch {
            errors.append(.badTOML(cell.location(file: file, cellLine: error.line), reason: error.reason))
            return false
        }
        for key in table.keys.sorted() where !keys.contains(key) {
            let suggestions = closeMatches(key, in: keys)
            errors.append(
                .badValue(
                    at(key), key: key, value: table[key]!.description,
                    reason: "not a \(cell.kind.rawValue) cell key\(ExperimentError.didYouMean(suggestions)); keys are \(keys.joined(separator: ", "))"))
        }
        return true
    }

    func at(_ key: String) -> ExperimentLocation { cell.location(file: file, cellLine: locator.line(key: key)) }

    /// A string value, checked against `allowed` when given.
    mutating func string(_ key: String, required: Bool = false, allowed: [String]? = nil) -> String? {
        guard let value = table[key] else {
            if required { errors.append(.badValue(at(key), key: key, value: "(missing)", reason: "the \(cell.kind.rawValue) cell needs '\(key)'")) }
            return nil
        }
        guard let text = value.string else {
            errors.append(.wrongType(at(key), key: key, expected: "a string", found: value.typeName))
            return nil
        }
        if let allowed, !allowed.contains(text) {
            errors.append(.badValue(at(key), key: key, value: value.description, reason: "must be one of \(allowed.joined(separator: ", "))\(ExperimentError.didYouMean(closeMatches(text, in: allowed)))"))
            return nil
        }
        return text
    }

    /// A string or a list of strings.
    mutating func strings(_ key: String) -> [String]? {
        guard let value = table[key] else { return nil }
        switch value {
        case let .string(text): return [text]
        case let .array(items) where items.allSatisfy({ $0.string != nil }): return items.compactMap(\.string)
        default:
            errors.append(.wrongType(at(key), key: key, expected: "a string or a list of strings", found: value.typeName))
            return nil
        }
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = table[key] else { return nil }
        guard case let .int(n) = value, n > 0 else {
            errors.append(.wrongType(at(key), key: key, expected: "a positive integer", found: value.description))
            return nil
        }
        return n
    }

    /// Checks that every name is a grid axis.
    mutating func checkAxes(_ names: [String], key: String) {
        for name in names where !axes.contains(name) {
            errors.append(.badValue(at(key), key: key, value: "\"\(name)\"", reason: "not an axis of this experiment's grids\(ExperimentError.didYouMean(closeMatches(name, in: axes))); axes are \(axes.joined(separator: ", "))"))
        }
    }

    /// Checks that `name` is a metric the grids produce.
    mutating func checkMetric(_ name: String, key: String) {
        guard !metrics.contains(name) else { return }
        errors.append(.badValue(at(key), key: key, value: "\"\(name)\"", reason: "not a metric of this experiment's models\(ExperimentError.didYouMean(closeMatches(name, in: metrics))); metrics are \(metrics.joined(separator: ", "))"))
    }

    /// `where = { axis = value or [values] }`, axes checked.
    mutating func filters() -> [String: [String]] {
        guard let value = table["where"] else { return [:] }
        guard case let .table(entries) = value else {
            errors.append(.wrongType(at("where"), key: "where", expected: "a table such as { weights = \"int4\" }", found: value.typeName))
            return [:]
        }
        checkAxes(entries.keys.sorted(), key: "where")
        var result: [String: [String]] = [:]
        for (axis, item) in entries {
            switch item {
            case let .array(items): result[axis] = items.map(CellPlan.axisText)
            default: result[axis] = [CellPlan.axisText(item)]
            }
        }
        return result
    }
}
