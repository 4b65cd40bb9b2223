import ArgumentParser
import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantModels

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Quantize one layer at a time (the others FP32) and rank the layers by the damage each does.",
        discussion: """
            For every quantizable weight and every --format, evaluates the model with only that layer
            quantized and records the task's primary metric (its first: digits-cnn top1, minilm
            lee_pearson), its drop from FP32, the output SQNR against the FP32 output and the weight's
            own SQNR. With --activations, that layer's input activation is quantized too (and no other).
            Writes sensitivity.csv, sensitivity.md and a layer × format heatmap of the drop into --out.

            Examples:
              quantbench sensitivity digits-cnn --format int4 --out sens
              quantbench sensitivity minilm --format int8 --format int4 --granularity per-channel --out sens-minilm
              quantbench sensitivity digits-cnn --format int4 --activations int8 --calibration 256
            """)

    @Argument(help: "digits-cnn or minilm.")
    var model: String

    @Option(name: .customLong("format"), help: "Weight format to profile (repeatable), e.g. int8, int4, fp8-e4m3.")
    var formats: [String] = []

    @OptionGroup var options: LayerRecipeOptions

    @Option(help: "Folder for sensitivity.csv, sensitivity.md and the heatmap.")
    var out: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: .hidden) var fullForward = false

    func run() throws {
        try runReportingErrors {
            let task = try ModelZoo.task(named: model)
            let registry = PluginRegistry.builtIn
            let recipes = try options.recipes(formats, registry: registry)
            var analysis = SensitivityAnalysis(
                recipes: recipes, activations: try options.activationRecipe(registry),
                calibrationCount: options.calibration ?? ModelZoo.defaultCalibrationCount(model), jobs: options.jobs ?? BatchScheduler.cores)
            analysis.resumes = !fullForward
            let profile = try analysis.profile(task: task)
            if json { try printJSON(profile) } else { print(Self.render(profile)) }
            if let out { try Self.write(profile, to: out, quiet: json) }
        }
    }

    static func render(_ profile: SensitivityProfile) -> String {
        var lines = ["\(profile.model): \(profile.layers.count) layers × \(profile.formats.count) formats, one layer quantized at a time "
            + "(\(formatNumber(profile.seconds)) s); \(profile.primaryMetric) FP32 = \(formatNumber(profile.fp32Metric))"]
        for format in profile.formats {
            let bySQNR = profile.rankedBySQNR(format: format).map(\.layer)
            var table = TextTable(header: ["layer", "params", "bits/w", profile.primaryMetric, "drop", "out SQNR dB", "SQNR rank", "w SQNR dB"])
            for e in profile.rankedByDrop(format: format) {
                table.append([
                    e.layer, String(e.params), formatNumber(e.storageBits / Double(max(1, e.params))), formatNumber(e.metric),
                    formatNumber(e.drop), formatNumber(e.outputSQNRDB), String((bySQNR.firstIndex(of: e.layer) ?? 0) + 1), formatNumber(e.weightSQNRDB),
                ])
            }
            lines += ["", "\(format), ranked by \(profile.primaryMetric) drop (largest first):", table.render()]
        }
        return lines.joined(separator: "\n")
    }

    static func write(_ profile: SensitivityProfile, to out: String, quiet: Bool) throws {
        let (written, problem) = try SensitivityReport.write(profile, to: out)
        if let problem { FileHandle.standardError.write(Data("note: \(problem)\n".utf8)) }
        if !quiet { print("\nwrote \(written.joined(separator: ", ")) to \(out)") }
    }
}

/// Options shared by `sensitivity` and `mixed`: how each format is applied to the weights.
struct LayerRecipeOptions: ParsableArguments {
    @Option(help: "Weight granularity for every format, e.g. per-tensor, per-channel, per-group(128).")
    var granularity: String?

    @Option(help: "Weight calibrator (and activation calibrator unless --activation-calibrator is given).")
    var calibrator: String = "minmax"

    @Option(help: "Quantize each profiled layer's input activation with this format (static unless per-token).")
    var activations: String?

    @Option(help: "per-tensor or per-channel (static), or per-token (dynamic).")
    var activationGranularity: String = ActivationRecipe.Cut.perTensor.rawValue

    @Option(help: "Calibrator for activations (default: --calibrator).")
    var activationCalibrator: String?

    @Option(help: "Calibration items for static activations (default: the model's default).")
    var calibration: Int?

    @Option(help: "Parallel evaluations (default: every core).")
    var jobs: Int?

    func recipes(_ formats: [String], registry: PluginRegistry) throws -> [QuantizationRecipe] {
        guard !formats.isEmpty else { throw ValidationError("name at least one weight format, e.g. --format int4") }
        return try formats.map { try QuantizationRecipe(format: $0, granularity: granularity, calibrator: calibrator, registry: registry) }
    }

    func activationRecipe(_ registry: PluginRegistry) throws -> ActivationRecipe? {
        guard let activations else { return nil }
        guard let cut = ActivationRecipe.Cut(rawValue: activationGranularity) else {
            throw ValidationError("unknown activation granularity '\(activationGranularity)'; use "
                + ActivationRecipe.Cut.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return ActivationRecipe(format: try registry.format(activations), cut: cut, calibrator: try registry.calibrator(activationCalibrator ?? calibrator))
    }
}
