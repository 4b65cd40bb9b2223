import ArgumentParser
import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantModels

struct DemoCommand: ParsableCommand {
    /// SQNR for every (tensor, format, granularity) row and calibrator column; when matplotlib
    /// is missing, says so and how to install it, and the demo still succeeds.
    static func drawHeatmap(_ sweep: [DemoSweep.Row], to path: String) {
        var rows: [String] = [], columns: [String] = []
        for r in sweep {
            let key = "\(r.tensor) · \(r.format) · \(r.granularity)"
            if !rows.contains(key) { rows.append(key) }
            if !columns.contains(r.calibrator) { columns.append(r.calibrator) }
        }
        let values = rows.map { key in
            columns.map { c in
                sweep.first { "\($0.tensor) · \($0.format) · \($0.granularity)" == key && $0.calibrator == c }?.sqnrDB ?? .nan
            }
        }
        do {
            try Plotter.heatmap(
                rows: rows, columns: columns, values: values, colorbarLabel: "SQNR (dB) ↑",
                style: PlotStyle(title: "demo sweep: SQNR by calibrator", xLabel: "calibrator", width: 11, height: 9), to: path)
            print("wrote \(path)")
        } catch {
            print("no figure: \(error)")
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a demonstration tensor file and sweep calibrators × formats over it.",
        discussion: """
            Writes Results/demo/demo-tensors.safetensors (synthetic weights with per-row scale spread,
            Laplace-tailed weights, and activations with outlier feature columns), inspects it, and
            prints SQNR (dB) for every calibrator × format × granularity, also saved as
            Results/demo/sweep.md and sweep.json.
            """)

    @Option(help: "Folder for the demo's files.")
    var directory: String = "Results/demo"

    func run() throws {
        try runReportingErrors {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/demo-tensors.safetensors"
            let tensors = try DemoTensors.make()
            try TensorFiles.write(tensors, to: path)
            print("wrote \(path)\n")
            print(InspectCommand.render(try tensors.map(TensorInspection.init)))
            let sweep = try DemoSweep.run(tensors: tensors, registry: .builtIn)
            let table = DemoSweep.markdown(sweep)
            print("\nSQNR in dB (higher is better), fake-quantizing each tensor:\n\n" + table)
            try table.write(toFile: directory + "/sweep.md", atomically: true, encoding: .utf8)
            try jsonData(sweep).write(to: URL(fileURLWithPath: directory + "/sweep.json"))
            print("\nwrote \(directory)/sweep.md and sweep.json")
            Self.drawHeatmap(sweep, to: directory + "/sweep.png")
        }
    }
}
