import ArgumentParser
import Foundation
import QuantBench
import QuantCore
import QuantModels

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run one quantization configuration of a model end to end and compare it with FP32.",
        discussion: """
            Calibrates activations on the model's calibration split, evaluates on its evaluation split,
            and reports the task metrics, the fidelity to FP32, and the quantization error of every
            weight and activation. Models: \(ModelZoo.names.joined(separator: ", ")), or weights-only:FILE
            for any tensor file (no forward pass; per-tensor metrics).

            Examples:
              quantbench eval digits-cnn --weights int8 --granularity per-channel --activations int8 --calibrator percentile(99.99)
              quantbench eval minilm --weights int4 --granularity "per-group(32)" --calibrator mse --json
              quantbench eval minilm --activations int8 --activation-granularity per-token
              quantbench eval weights-only:model.safetensors --weights fp8-e4m3 --granularity per-channel
            """)

    @Argument(help: "digits-cnn, minilm, or weights-only:FILE.")
    var model: String

    @Option(help: "Weight format, e.g. int8, int4, fp8-e4m3, mxfp4 (default: FP32 weights).")
    var weights: String?

    @Option(help: "Activation format for the inputs of every conv and linear layer (default: FP32 activations).")
    var activations: String?

    @Option(help: "Weight granularity, e.g. per-tensor, per-channel, per-group(128) (conv weights are grouped over in·kh·kw).")
    var granularity: String?

    @Option(help: "Calibrator for weights, and for activations unless --activation-calibrator is given.")
    var calibrator: String = "minmax"

    @Option(help: "per-tensor or per-channel (static, calibrated), or per-token (dynamic, from each token at run time).")
    var activationGranularity: String = ActivationRecipe.Cut.perTensor.rawValue

    @Option(help: "Calibrator for activations (default: --calibrator).")
    var activationCalibrator: String?

    @Option(help: "Calibration items to observe (default: the model's default: digits-cnn 256 images, minilm 64 documents).")
    var calibration: Int?

    @Option(name: .customLong("tensor"), help: "weights-only: only this tensor (repeatable).")
    var tensors: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            if model.hasPrefix("weights-only:") {
                try runWeightsOnly(path: String(model.dropFirst("weights-only:".count)), registry: registry)
                return
            }
            let task = try ModelZoo.task(named: model)
            let evaluation = ModelEvaluation(
                weights: try weights.map {
                    try QuantizationRecipe(format: $0, granularity: granularity, calibrator: calibrator, registry: registry)
                },
                activations: try activationRecipe(registry),
                calibrationCount: calibration ?? ModelZoo.defaultCalibrationCount(model))
            let report = try evaluation.run(task)
            if json { try printJSON(report) } else { print(EvalRendering.render(report)) }
        }
    }

    func activationRecipe(_ registry: PluginRegistry) throws -> ActivationRecipe? {
        guard let activations else { return nil }
        guard let cut = ActivationRecipe.Cut(rawValue: activationGranularity) else {
            throw ValidationError("unknown activation granularity '\(activationGranularity)'; use "
                + ActivationRecipe.Cut.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return ActivationRecipe(
            format: try registry.format(activations), cut: cut, calibrator: try registry.calibrator(activationCalibrator ?? calibrator))
    }

    func runWeightsOnly(path: String, registry: PluginRegistry) throws {
        guard let weights else {
            throw ValidationError("weights-only needs a weight format: add --weights FORMAT (e.g. --weights int8)")
        }
        if activations != nil { throw ValidationError("weights-only runs no forward pass, so --activations does not apply") }
        let recipe = try QuantizationRecipe(format: weights, granularity: granularity, calibrator: calibrator, registry: registry)
        let source = try TensorSources.open(path: path)
        let names = tensors.isEmpty ? [] : try selectTensors(tensors, in: source)
        let report = WeightsOnlyStudy(recipe: recipe).run(source, names: names)
        if json { try printJSON(report) } else { print(EvalRendering.render(report)) }
        report.failures.forEach(printError)
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}
