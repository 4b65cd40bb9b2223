import Foundation
import PythonBridge

extension SensitivityReport {
    /// Writes `<base>.csv`, `<base>.md` and the layer × format heatmap of the metric drop
    /// (`<base>-heatmap.png` and `.pdf`) into `directory`.
    ///
    /// - Returns: The files written, and why the heatmap was skipped when Python or matplotlib
    ///   is missing (the tables are written regardless).
    /// - Throws: when the folder or a table cannot be written.
    public static func write(_ profile: SensitivityProfile, to directory: String, base: String = "sensitivity") throws
        -> (files: [String], figureProblem: String?)
    {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let folder = URL(fileURLWithPath: directory)
        try csv(profile).write(to: folder.appendingPathComponent("\(base).csv"), atomically: true, encoding: .utf8)
        try markdown(profile).write(to: folder.appendingPathComponent("\(base).md"), atomically: true, encoding: .utf8)
        var written = ["\(base).csv", "\(base).md"]
        do {
            for ext in ["png", "pdf"] {
                try Plotter.heatmap(
                    rows: profile.layers, columns: profile.formats, values: dropMatrix(profile),
                    colorbarLabel: "\(profile.primaryMetric) drop vs FP32",
                    style: PlotStyle(
                        title: "\(profile.model): one layer quantized", xLabel: "format", yLabel: "layer", width: 6.4,
                        height: max(4, 0.22 * Double(profile.layers.count) + 1.5)),
                    to: folder.appendingPathComponent("\(base)-heatmap.\(ext)").path)
                written.append("\(base)-heatmap.\(ext)")
            }
        } catch {
            return (written, "heatmap skipped (\(error))")
        }
        return (written, nil)
    }
}
