import Foundation
import QuantCore
import QuantModels

extension NotebookRun {
    /// A sensitivity inspect cell: one layer at a time quantized to each format; the ranking by
    /// the task metric's drop and the heatmap, written into the results folder.
    func sensitivityOutput(_ spec: InspectCellSpec) throws -> CellOutput {
        guard let model = spec.model else { return .failure("a sensitivity cell names a zoo model") }
        let task = try ModelZoo.task(named: model)
        let recipes = try spec.formats.map {
            try QuantizationRecipe(format: $0, granularity: spec.granularity, calibrator: spec.calibrator, registry: .builtIn)
        }
        let profile = try SensitivityAnalysis(recipes: recipes).profile(task: task)
        let base = spec.name ?? "sensitivity-\(model)"
        let (files, problem) = try SensitivityReport.write(profile, to: directory, base: base)
        var text = "Sensitivity of `\(model)`: \(profile.layers.count) layers × \(profile.formats.count) formats "
            + "(\(recipes.first.map { "\($0.granularity.name), \($0.calibrator.name)" } ?? "")), one layer quantized at a time, "
            + "the others FP32; \(profile.primaryMetric) FP32 = \(Self.number(profile.fp32Metric)); \(Self.number(profile.seconds)) s.\n\n"
        if files.contains("\(base)-heatmap.png") { text += "![sensitivity heatmap](\(base)-heatmap.png)\n\n" }
        for format in profile.formats {
            text += "\(format), the \(min(spec.top, profile.layers.count)) layers whose quantization costs the most \(profile.primaryMetric):\n\n"
            text += "| layer | params | bits/weight | \(profile.primaryMetric) | drop | output SQNR dB | weight SQNR dB |\n"
            text += "|---|---:|---:|---:|---:|---:|---:|\n"
            for e in profile.rankedByDrop(format: format).prefix(spec.top) {
                text += "| `\(e.layer)` | \(e.params) | \(Self.number(e.storageBits / Double(max(1, e.params)))) | \(Self.number(e.metric)) | "
                    + "\(Self.number(e.drop)) | \(Self.number(e.outputSQNRDB)) | \(Self.number(e.weightSQNRDB)) |\n"
            }
            text += "\n"
        }
        text += "Files: " + files.map { "[\($0)](\($0))" }.joined(separator: " · ") + "\n"
        if let problem { text += "\n*\(problem)*\n" }
        return .markdown(text)
    }
}
