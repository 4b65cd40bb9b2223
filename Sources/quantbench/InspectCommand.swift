import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Per-tensor statistics, outlier ratio and the calibrator it recommends.",
        discussion: """
            The outlier ratio is max|x| / P99(|x|). The recommendation follows the seed notes' rule
            (a project heuristic): below 3 minmax, 3 to 10 percentile(99.99), above 10 mse.
            """)

    @Argument(help: "A tensor file (.safetensors, .npz, .npy, .pt/.pth/.bin/.ckpt, .onnx, .pkl), or a zoo model with --activations.")
    var file: String

    @Flag(help: "Inspect a zoo model's activations (digits-cnn, minilm) over its calibration split instead of a file's tensors.")
    var activations = false

    @Option(help: "With --activations: calibration items to observe (default: the model's default).")
    var calibration: Int?

    @Option(name: .customLong("tensor"), help: "Only this tensor (repeatable).")
    var tensors: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            if activations {
                let task = try ModelZoo.task(named: file)
                let rows = try ActivationInspection.inspect(task, count: calibration ?? ModelZoo.defaultCalibrationCount(file))
                if json { try printJSON(rows) } else { print(Self.render(rows)) }
                return
            }
            let source = try TensorSources.open(path: file)
            let names = try selectTensors(tensors, in: source)
            var inspections: [TensorInspection] = []
            var failures: [String] = []
            for name in names {
                do {
                    inspections.append(try TensorInspection(try source.load(name)))
                } catch {
                    failures.append(String(describing: error))
                }
            }
            if json { try printJSON(inspections) } else { print(Self.render(inspections)) }
            failures.forEach(printError)
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }

    static func render(_ rows: [TensorInspection]) -> String {
        var table = TextTable(header: [
            "tensor", "dtype", "shape", "min", "max", "abs-max", "p99|x|", "std", "kurtosis", "outlier", "recommend", "non-finite",
        ])
        for r in rows {
            table.append([
                r.tensor, r.dtype, "[" + r.shape.map(String.init).joined(separator: ",") + "]", formatNumber(r.min), formatNumber(r.max),
                formatNumber(r.absMax), formatNumber(r.p99Abs), formatNumber(r.std), formatNumber(r.kurtosis),
                formatNumber(r.outlierRatio, digits: 3), r.recommendedCalibrator, String(r.nonFiniteCount),
            ])
        }
        return table.render()
    }
}

extension InspectCommand {
    static func render(_ rows: [ActivationInspection]) -> String {
        var table = TextTable(header: ["site", "min", "max", "abs-max", "p99|x|", "std", "kurtosis", "outlier", "recommend"])
        for r in rows {
            table.append([
                r.site, formatNumber(r.min), formatNumber(r.max), formatNumber(r.absMax), formatNumber(r.p99Abs), formatNumber(r.std),
                formatNumber(r.kurtosis), formatNumber(r.outlierRatio, digits: 3), r.recommendedCalibrator,
            ])
        }
        return table.render() + "\n\np99|x| from each site's 2048-bin |x| histogram (exact to one bin)."
    }
}

/// The tensors named with --tensor, in the order given, or every tensor of the file.
func selectTensors(_ requested: [String], in source: any TensorSource) throws -> [String] {
    let available = source.tensors.map(\.name)
    guard !requested.isEmpty else { return available }
    for name in requested where !available.contains(name) {
        let near = closeMatches(name, in: available)
        let hint = near.isEmpty ? "" : " Did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?"
        throw ValidationError("no tensor '\(name)' in \(source.path).\(hint) It has \(available.count) tensors; run 'quantbench inspect \(source.path)' to list them.")
    }
    return requested
}
