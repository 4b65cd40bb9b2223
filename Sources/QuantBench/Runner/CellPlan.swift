import QuantCore
import QuantModels

/// A grid cell resolved into what the runner executes: the model and its data, the weight and
/// activation recipes, and the keys under which work is shared between cells.
///
/// Sharing keys (DESIGN.md, "How data flows through a grid run"):
/// - ``scenarioKey``: one task per model, calibration set and evaluation scenario;
/// - ``observationKey``: one observation pass per model, calibration set and activation cut;
/// - ``weightKey``: one quantization of the weights per model, format, granularity and calibrator;
/// - ``referenceKey``: one FP32 evaluation per model and evaluation scenario.
struct CellPlan: Sendable {
    /// The cell as expanded from the grid.
    var cell: GridCell
    /// Its place in the experiment's cell order (0-based).
    var index: Int
    var model: String
    /// The calibration set; its seed is the calibration table's seed plus the cell's `seed`.
    var calibration: CalibrationSet
    /// The evaluation scenario's transform (`nil`: the evaluation split as it is).
    var evaluationTransform: String?
    /// `nil` keeps FP32 weights.
    var weights: QuantizationRecipe?
    /// `nil` keeps FP32 activations.
    var activations: ActivationRecipe?
    /// `uniform`, or a mixed-precision plan choosing per layer between ``weights`` and ``highWeights``.
    var weightPlan: WeightPlan = .uniform
    /// The format a mixed plan raises layers to (with the cell's granularity and calibrator).
    var highWeights: QuantizationRecipe?
    /// The roofline model a mixed plan's latency budget is measured with.
    var budgetCostModel: (any CostModel)?

    /// Resolves `cell`'s values through `registry`.
    ///
    /// - Throws: when a name does not resolve (the grid parser has already checked them, so
    ///   this is a bug or a registry that changed between parsing and running).
    init(cell: GridCell, index: Int, registry: PluginRegistry, threads: Int) throws {
        self.cell = cell
        self.index = index
        let values = cell.values
        model = values["model"]?.string ?? ""
        let table = values["calibration"].flatMap(Self.table) ?? [:]
        let baseSeed = Self.int(table["seed"]) ?? 0, cellSeed = Self.int(values["seed"]) ?? 0
        calibration = CalibrationSet(size: Self.int(table["size"]), seed: baseSeed + cellSeed, transform: Self.transform(table["transform"]))
        evaluationTransform = values["evaluation"].flatMap(Self.table).flatMap { Self.transform($0["transform"]) }
        let calibrator = values["calibrator"]?.string ?? "minmax"
        let weightFormat = values["weights"]?.string ?? "none"
        weights = weightFormat == "none"
            ? nil
            : try QuantizationRecipe(
                format: weightFormat, granularity: values["granularity"]?.string, calibrator: calibrator, registry: registry,
                threads: threads)
        weightPlan = try WeightPlan(parsing: values["plan"]?.string ?? "uniform")
        if case let .mixed(mixed) = weightPlan, let low = weights {
            highWeights = QuantizationRecipe(
                format: try registry.format(mixed.high), granularity: low.granularity, calibrator: low.calibrator, threads: threads)
            if case let .microseconds(_, chip) = mixed.budget { budgetCostModel = try registry.costModel("roofline(chip=\(chip))") }
        }
        let activationFormat = values["activations"]?.string ?? "none"
        if activationFormat == "none" {
            activations = nil
        } else {
            let cutName = values["activation_granularity"]?.string ?? "per-tensor"
            guard let cut = ActivationRecipe.Cut(rawValue: cutName) else {
                throw QuantCoreError.incompatible("unknown activation granularity '\(cutName)'")
            }
            activations = ActivationRecipe(
                format: try registry.format(activationFormat), cut: cut, calibrator: try registry.calibrator(calibrator))
        }
    }

    /// Canonical text of an axis (plug-in names with their versions), for keys.
    private func canonical(_ axis: String) -> String { cell.canonical[axis]?.description ?? "" }

    var scenarioKey: String { [model, calibrationKey, evaluationTransform ?? ""].joined(separator: "|") }

    var referenceKey: String { [model, evaluationTransform ?? ""].joined(separator: "|") }

    /// Whether the model is a weights file studied without running it.
    var isWeightsOnly: Bool { model.hasPrefix(GridSpec.weightsOnlyPrefix) }

    /// `nil` when no activation is calibrated (FP32 or dynamic per-token activations).
    var observationKey: String? {
        guard let activations, activations.isStatic, !isWeightsOnly else { return nil }
        return [model, calibrationKey, activations.cut.rawValue].joined(separator: "|")
    }

    /// `nil` when the weights stay FP32 or follow a mixed plan (quantized per cell).
    var weightKey: String? {
        guard weights != nil, !isWeightsOnly, weightPlan == .uniform else { return nil }
        return [model, canonical("weights"), canonical("granularity"), canonical("calibrator")].joined(separator: "|")
    }

    /// The sensitivity profile a mixed plan is searched on: per model and evaluation scenario
    /// (the profile measures output SQNR on the evaluation split), low and high format,
    /// granularity and calibrator; `nil` for a uniform cell.
    var profileKey: String? {
        guard case let .mixed(mixed) = weightPlan, weights != nil else { return nil }
        return [model, evaluationTransform ?? "", canonical("weights"), highWeights?.format.name ?? mixed.high, canonical("granularity"),
                canonical("calibrator")].joined(separator: "|")
    }

    var calibrationKey: String {
        "size=\(calibration.size.map(String.init) ?? "all"),seed=\(calibration.seed),transform=\(calibration.transform ?? "")"
    }

    /// The cell's axes as the store keeps them: text per axis, tables as `key=value` pairs,
    /// plus ``subAxes`` so tables and plots can pivot on a calibration set's size or transform.
    var axisTexts: [String: String] { Self.axisTexts(cell.values) }

    /// Entries of table-valued axes that tables and plots may use as axes of their own
    /// (the seed is left out: seeds are replicates, averaged over).
    static let subAxes = ["calibration.size", "calibration.transform", "evaluation.transform"]

    static func axisTexts(_ values: [String: GridValue]) -> [String: String] {
        var texts = values.mapValues(axisText)
        for name in subAxes {
            let parts = name.split(separator: ".").map(String.init)
            guard let value = values[parts[0]].flatMap(table) else { continue }
            texts[name] = value[parts[1]].map { $0.string ?? $0.description } ?? (parts[1] == "size" ? "all" : "none")
        }
        return texts
    }

    /// An axis value as one short text: strings as written, tables as sorted `key=value`
    /// pairs without the default `split = "calibration"`.
    static func axisText(_ value: GridValue) -> String {
        switch value {
        case let .string(text): return text
        case let .table(table):
            let pairs = table.keys.sorted().compactMap { key -> String? in
                let item = table[key]!
                if key == "split", item.string == "calibration" { return nil }
                return "\(key)=\(item.string ?? item.description)"
            }
            return pairs.isEmpty ? "default" : pairs.joined(separator: ", ")
        default: return value.description
        }
    }

    private static func table(_ value: GridValue) -> [String: GridValue]? {
        if case let .table(table) = value { table } else { nil }
    }

    private static func int(_ value: GridValue?) -> Int? {
        if case let .int(n) = value { n } else { nil }
    }

    private static func transform(_ value: GridValue?) -> String? {
        guard let text = value?.string, !text.isEmpty, text != "none" else { return nil }
        return text
    }
}
