import ArgumentParser
import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantModels

/// `quantbench plot-histogram`: a tensor's histogram with each calibrator's clipping range drawn on it.
struct PlotHistogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot-histogram",
        abstract: "Draw a tensor's histogram with the range each calibrator clips to (PNG or PDF).",
        discussion: """
            Each calibrator is run per-tensor for the format; its range is drawn as two vertical lines with \
            the clipped tails shaded, so you can see what each one cuts off. Needs matplotlib for the \
            embedded Python (apt-get install python3-matplotlib); 'quantbench doctor' shows what it finds.

            Example:
              quantbench plot-histogram w.npy --tensor w --calibrator minmax --calibrator "percentile(99.9)" --calibrator mse --log
            """)

    @Argument(help: "A tensor file: .safetensors, .npz, .npy, a torch checkpoint (.pt, .pth, .bin, .ckpt), an ONNX model (.onnx) or a pickle (.pkl).")
    var file: String

    @Option(help: "The tensor to draw.")
    var tensor: String

    @Option(name: .customLong("calibrator"), help: "A calibrator whose range to draw, e.g. minmax, percentile(99.9), mse (repeatable).")
    var calibrators: [String] = []

    @Option(help: "Numeric format the calibrators fit, e.g. int8, int4, fp8-e4m3.")
    var format: String = "int8"

    @Option(help: "Granularity: only per-tensor (one range per calibrator); omit it for per-tensor.")
    var granularity: String?

    @Option(help: "Where to write the plot; .png or .pdf (default: <tensor>-histogram.png).")
    var output: String?

    @Option(help: "Number of histogram bins.")
    var bins: Int = 200

    @Flag(help: "Logarithmic count axis, to show the tails.")
    var log = false

    func validate() throws {
        guard !calibrators.isEmpty else {
            throw ValidationError("name at least one --calibrator, e.g. --calibrator minmax --calibrator \"percentile(99.9)\"")
        }
        guard (1...100_000).contains(bins) else { throw ValidationError("--bins must be 1…100000, not \(bins)") }
    }

    func run() throws {
        try runReportingErrors {
            let path = output ?? Self.defaultOutput(for: tensor)
            let fileFormat = try Plotter.checkDestination(path)
            let recipes = try makeRecipes()
            try Plotter.checkAvailable()
            let source = try TensorSources.open(path: file)
            guard let name = try selectTensors([tensor], in: source).first else { return }
            let values = try source.load(name)
            let rows = try recipes.map { try TensorQuantizer(recipe: $0).quantize(values).report }
            let markers = rows.compactMap { report -> ClipRangeMarker? in
                guard let granule = report.granules.first else { return nil }
                return ClipRangeMarker(
                    label: "\(report.calibrator) [\(formatNumber(granule.lower)), \(formatNumber(granule.upper))], "
                        + "clips \(formatNumber(100 * report.clipFraction, digits: 3))%",
                    lower: Double(granule.lower), upper: Double(granule.upper))
            }
            let style = PlotStyle(title: "\(name) \(values.shapeDescription): \(recipes[0].format.name) per-tensor ranges")
            try Plotter.histogram(values, bins: bins, ranges: markers, logScale: log, style: style, to: path)
            let size = fileFormat == .png
                ? "\(Int((style.width * style.dpi).rounded()))×\(Int((style.height * style.dpi).rounded())) px"
                : "\(style.width)×\(style.height) in"
            print("wrote \(path) (\(fileFormat.rawValue.uppercased()), \(size))\n")
            print(Self.render(rows))
        }
    }

    /// One recipe per calibrator, all per-tensor; unknown names and other granularities fail here.
    private func makeRecipes() throws -> [QuantizationRecipe] {
        let registry = PluginRegistry.builtIn
        if let granularity {
            let resolved = try registry.granularity(granularity)
            guard resolved.name == "per-tensor" else {
                throw ValidationError(
                    "--granularity \(granularity): plot-histogram draws one range per calibrator, so only per-tensor works; omit --granularity")
            }
        }
        return try calibrators.map {
            try QuantizationRecipe(format: format, granularity: "per-tensor", calibrator: $0, registry: registry)
        }
    }

    /// `<tensor>-histogram.png`, with path separators in the tensor name replaced.
    static func defaultOutput(for tensor: String) -> String {
        tensor.replacingOccurrences(of: "/", with: "_") + "-histogram.png"
    }

    /// The ranges as a table: calibrator, bounds, clipped percentage and the error it leads to.
    static func render(_ reports: [TensorReport]) -> String {
        var table = TextTable(header: ["calibrator", "lower", "upper", "clip%", "sqnr_db", "mse"])
        for r in reports {
            let (lower, upper) = (r.granules.first?.lower ?? .nan, r.granules.first?.upper ?? .nan)
            table.append([
                r.calibrator, formatNumber(lower), formatNumber(upper),
                formatNumber(100 * r.clipFraction, digits: 3), formatNumber(r.sqnrDB), formatNumber(r.mse),
            ])
        }
        return table.render()
    }
}
