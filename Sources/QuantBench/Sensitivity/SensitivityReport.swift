import Foundation

/// The files `quantbench sensitivity` writes: a CSV row per (layer, format) and a Markdown
/// ranking per format.
public enum SensitivityReport {
    /// The CSV header, in column order.
    public static let csvColumns = ["layer", "format", "params", "bits", "metric", "drop", "output_sqnr_db", "weight_sqnr_db"]

    /// `sensitivity.csv`: one row per entry, layer-major; `bits` is the layer's exact storage bits.
    public static func csv(_ profile: SensitivityProfile) -> String {
        CSVText.record(csvColumns) + profile.entries.map { e in
            CSVText.record([
                e.layer, e.format, String(e.params), CSVText.number(e.storageBits), CSVText.number(e.metric), CSVText.number(e.drop),
                CSVText.number(e.outputSQNRDB), CSVText.number(e.weightSQNRDB),
            ])
        }.joined()
    }

    /// `sensitivity.md`: per format, the layers ranked by metric drop, with their rank by output SQNR.
    public static func markdown(_ profile: SensitivityProfile) -> String {
        var text = "# Per-layer sensitivity of \(profile.model)\n\n"
        text += "One layer quantized at a time, every other layer FP32. Metric: `\(profile.primaryMetric)` "
            + "(FP32 \(fmt(profile.fp32Metric))); drop = FP32 − quantized. Output SQNR = 10·log10(Σ ref² / Σ (ref − out)²) "
            + "over the evaluation output. \(profile.entries.count) evaluations in \(fmt(profile.seconds)) s.\n"
        for format in profile.formats {
            let bySQNR = profile.rankedBySQNR(format: format).map(\.layer)
            text += "\n## \(format)\n\n| rank | layer | params | bits/weight | \(profile.primaryMetric) | drop | output SQNR (dB) | SQNR rank | weight SQNR (dB) |\n"
            text += "|---|---|---|---|---|---|---|---|---|\n"
            for (rank, e) in profile.rankedByDrop(format: format).enumerated() {
                let sqnrRank = (bySQNR.firstIndex(of: e.layer) ?? 0) + 1
                text += "| \(rank + 1) | `\(e.layer)` | \(e.params) | \(fmt(e.storageBits / Double(max(1, e.params)))) | \(fmt(e.metric)) | "
                    + "\(fmt(e.drop)) | \(fmt(e.outputSQNRDB)) | \(sqnrRank) | \(fmt(e.weightSQNRDB)) |\n"
            }
        }
        return text
    }

    /// The drop per layer (rows) and format (columns), for the heatmap.
    public static func dropMatrix(_ profile: SensitivityProfile) -> [[Double]] {
        profile.layers.map { layer in profile.formats.map { profile.entry(layer: layer, format: $0)?.drop ?? .nan } }
    }

    /// 4 significant digits; `inf`/`nan` spelled out.
    static func fmt(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3e", x) }
        return String(format: "%.\(max(0, 3 - Int(floor(log10(magnitude)))))f", x)
    }
}
