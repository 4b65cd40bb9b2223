import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Fake-quantize tensors (quantize, then dequantize) and report the error.",
        discussion: """
            Examples:
              quantbench quantize model.safetensors --format int8 --granularity per-channel
              quantbench quantize w.npy --format int4 --granularity "per-group(128)" --calibrator mse --json
              quantbench quantize model.safetensors --format mxfp4 --output mxfp4.safetensors
            """)

    @Argument(help: "A tensor file: .safetensors, .npz, .npy, a torch checkpoint (.pt, .pth, .bin, .ckpt), an ONNX model (.onnx) or a pickle (.pkl).")
    var file: String

    @Option(help: "Numeric format, e.g. int8, int4(symmetric=false), fp8-e4m3, mxfp4, nvfp4.")
    var format: String

    @Option(help: "Granularity, e.g. per-tensor, per-channel(axis=0), per-group(128), per-token (default: per-tensor; MX/NVFP4: their blocks).")
    var granularity: String?

    @Option(help: "Calibrator, e.g. minmax, percentile(99.99), mse, kl, hist-l2, aciq.")
    var calibrator: String = "minmax"

    @Option(name: .customLong("tensor"), help: "Only this tensor (repeatable).")
    var tensors: [String] = []

    @Option(help: "Write the fake-quantized tensors (float32, same names) to this .safetensors, .npz or .npy file.")
    var output: String?

    @Option(help: "Worker threads.")
    var threads: Int = 2

    @Flag(help: "Print JSON with every granule's range, scale and zero-point.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            let recipe = try QuantizationRecipe(
                format: format, granularity: granularity, calibrator: calibrator, registry: registry, threads: max(1, threads))
            if let output { try checkOutputPath(output, tensorCount: tensors.count) }
            let source = try TensorSources.open(path: file)
            let names = try selectTensors(tensors, in: source)
            let quantizer = TensorQuantizer(recipe: recipe)
            var reports: [TensorReport] = []
            var outputs: [Tensor] = []
            var failures: [String] = []
            for name in names {
                do {
                    let (tensor, report) = try quantizer.quantize(try source.load(name))
                    reports.append(report)
                    if output != nil { outputs.append(tensor) }
                } catch {
                    failures.append(String(describing: error))
                }
            }
            if let output, !outputs.isEmpty { try TensorFiles.write(outputs, to: output) }
            if json { try printJSON(reports) } else { print(Self.render(reports)) }
            failures.forEach(printError)
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }

    static func render(_ reports: [TensorReport]) -> String {
        guard let first = reports.first else { return "no tensor quantized" }
        var lines = ["format \(first.format), granularity \(first.granularity), calibrator \(first.calibrator)", ""]
        var table = TextTable(header: [
            "tensor", "shape", "granules", "range", "scale", "zero-point", "bits/elem", "mse", "sqnr_db", "cosine", "max_abs_err", "clip%",
        ])
        for r in reports {
            let scales = r.granules.map(\.scale), zps = r.granules.map(\.zeroPoint)
            let range: String
            if r.granules.count == 1 {
                range = "[\(formatNumber(r.granules[0].lower)), \(formatNumber(r.granules[0].upper))]"
            } else {
                range = "\(r.granules.count) ranges"
            }
            table.append([
                r.tensor, "[" + r.shape.map(String.init).joined(separator: ",") + "]", String(r.granules.count), range,
                spread(scales), spread(zps), formatNumber(r.storageBitsPerElement), formatNumber(r.mse), formatNumber(r.sqnrDB),
                formatNumber(r.cosine, digits: 6), formatNumber(r.maxAbsError), formatNumber(100 * r.clipFraction, digits: 3),
            ])
        }
        lines.append(table.render())
        for r in reports where !r.notes.isEmpty {
            lines.append("note (\(r.tensor)): " + r.notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// One value, or "min…max" over granules.
    static func spread(_ values: [Float]) -> String {
        guard let lo = values.min(), let hi = values.max() else { return "-" }
        return lo == hi ? formatNumber(lo) : "\(formatNumber(lo))…\(formatNumber(hi))"
    }
}

/// Refuses an output path before any work is done: unknown extension, or .npy for many tensors.
func checkOutputPath(_ path: String, tensorCount: Int) throws {
    let lower = path.lowercased()
    guard lower.hasSuffix(".safetensors") || lower.hasSuffix(".npz") || lower.hasSuffix(".npy") else {
        throw ValidationError("--output \(path): the extension must be .safetensors, .npz or .npy")
    }
    if lower.hasSuffix(".npy") && tensorCount != 1 {
        throw ValidationError("--output \(path): a .npy file holds one tensor; name exactly one with --tensor, or write .safetensors or .npz")
    }
}
