import ArgumentParser
import Foundation
import QuantBench
import QuantCore
import QuantModels

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a quantized model against FP32 with the seed notes' PTQ protocol; exit 0 on PASS, 1 on FAIL.",
        discussion: """
            Evaluates FP32, then the model quantized with each calibrator (each sets the weight ranges, granule by
            granule, and the activation ranges from one shared observation of the calibration items). The best
            calibrator's drop of the primary metric (digits-cnn: top1; minilm: lee_pearson; --metric to choose) must
            stay within the budget, and the quantized layers must compress by the minimum (default 0.975·32/b: 3.9×
            for 8-bit codes), scales and zero-points included. On an accuracy failure each quantized layer is restored
            to FP32 in turn (leave-one-out) to find the culprits, and the applicable triage steps are listed.

            Budget: "1%" is a relative drop of 1% of the FP32 value (default); with --absolute it is one point (0.01
            in metric units); "0.01" is the same as "1%"; "2 points" (or 2pt, 2pp) is always absolute.

            Exit status: 0 PASS, 1 FAIL, 2 the validation could not run (bad model, plug-in, data), 64 bad usage.

            Examples:
              quantbench validate digits-cnn
              quantbench validate minilm --weights int8 --granularity per-channel --activations int8 --budget 2%
              quantbench validate digits-cnn --weights int3 --granularity per-tensor --activations none --out Results/validate
            """)

    @Argument(help: "digits-cnn or minilm.")
    var model: String

    @Option(help: "Weight format.")
    var weights: String = "int8"

    @Option(help: "Weight granularity (conv weights are cut as [out, in·kh·kw]).")
    var granularity: String = "per-channel"

    @Option(help: "Activation format for the input of every conv and linear layer, or none for FP32 activations.")
    var activations: String = "int8"

    @Option(help: "per-tensor or per-channel (static, calibrated), or per-token (dynamic).")
    var activationGranularity: String = ActivationRecipe.Cut.perTensor.rawValue

    @Option(help: "Candidate calibrators, comma-separated.")
    var calibrators: String = "minmax,percentile(99.99),mse,kl"

    @Option(help: "One calibrator for the weights of every candidate (default: each candidate calibrates the weights too).")
    var weightCalibrator: String?

    @Option(help: "Allowed drop of the primary metric: 1%, 0.01, or 2 points.")
    var budget: String = "1%"

    @Flag(help: "Budget relative to the FP32 value (default) or absolute in metric units.")
    var budgetMode: AccuracyBudget.Mode?

    @Option(help: "Primary metric (default: top1 for digits-cnn, lee_pearson for minilm).")
    var metric: String?

    @Option(help: "Calibration items to observe (default: digits-cnn 256, minilm 64).")
    var calibration: Int?

    @Option(help: "Minimum compression of the quantized layers vs FP32 (default 0.975·32/bits: 3.9 for int8).")
    var minCompression: Double?

    @Option(help: "Evaluations run at once, each single-threaded (default: the cores).")
    var jobs: Int = BatchScheduler.cores

    @Option(help: "Culprits printed when accuracy fails.")
    var culprits: Int = 5

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Also write validation.md and validation.json into this folder.")
    var out: String?

    func validate() throws {
        if let calibration, calibration < 0 { throw ValidationError("--calibration must be ≥ 0, not \(calibration)") }
        if jobs < 1 { throw ValidationError("--jobs must be ≥ 1, not \(jobs)") }
        if culprits < 1 { throw ValidationError("--culprits must be ≥ 1, not \(culprits)") }
        if let minCompression, !(minCompression.isFinite && minCompression > 0) {
            throw ValidationError("--min-compression must be a positive ratio such as 3.9, not \(minCompression)")
        }
        do {
            _ = try AccuracyBudget.parse(budget, mode: budgetMode)
            _ = try CalibratorList.parse(calibrators, registry: PluginRegistry.builtIn)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        let report: ValidationReport
        do {
            report = try makeValidation().run(try ModelZoo.task(named: model))
            if json { try printJSON(report) } else { print(report.markdown(culpritLimit: culprits), terminator: "") }
            if let out { try write(report, to: out) }
        } catch let usage as ValidationError {
            throw usage
        } catch {
            printError(String(describing: error))
            throw ExitCode(2)
        }
        if report.verdict == .fail { throw ExitCode.failure }
    }

    func makeValidation() throws -> ModelValidation {
        let registry = PluginRegistry.builtIn
        let candidates = try CalibratorList.parse(calibrators, registry: registry)
        let weightRecipe = try QuantizationRecipe(
            format: weights, granularity: granularity, calibrator: candidates.first?.name ?? "minmax", registry: registry)
        return ModelValidation(
            weights: weightRecipe, weightCalibrator: try weightCalibrator.map { try registry.calibrator($0) },
            activations: try activationRecipe(registry, calibrator: candidates[0]), calibrators: candidates,
            budget: try AccuracyBudget.parse(budget, mode: budgetMode), metric: metric,
            calibrationCount: calibration ?? ModelZoo.defaultCalibrationCount(model), minimumCompression: minCompression, jobs: jobs)
    }

    func activationRecipe(_ registry: PluginRegistry, calibrator: any Calibrator) throws -> ActivationRecipe? {
        guard activations.lowercased() != "none" else { return nil }
        guard let cut = ActivationRecipe.Cut(rawValue: activationGranularity) else {
            throw ValidationError("unknown activation granularity '\(activationGranularity)'; use "
                + ActivationRecipe.Cut.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return ActivationRecipe(format: try registry.format(activations), cut: cut, calibrator: calibrator)
    }

    func write(_ report: ValidationReport, to folder: String) throws {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(report.markdown(culpritLimit: culprits).utf8).write(to: url.appendingPathComponent("validation.md"))
        try jsonData(report).write(to: url.appendingPathComponent("validation.json"))
    }
}

extension AccuracyBudget.Mode: EnumerableFlag {}
