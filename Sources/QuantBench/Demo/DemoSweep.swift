import QuantCore

/// The demo's grid: every built-in calibrator × a few formats × granularities, on each tensor.
public enum DemoSweep {
    public struct Row: Sendable, Codable {
        public var tensor: String
        public var format: String
        public var granularity: String
        public var calibrator: String
        public var sqnrDB: Double
        public var storageBitsPerElement: Double
    }

    public static let calibrators = ["minmax", "percentile(99.99)", "mse", "kl", "hist-l2", "aciq"]
    public static let configurations: [(format: String, granularity: String)] = [
        ("int8", "per-tensor"), ("int8", "per-channel"), ("int4", "per-channel"), ("int4", "per-group(64)"),
        ("fp8-e4m3", "per-tensor"), ("mxfp4", "per-group(32)"),
    ]

    public static func run(tensors: [Tensor], registry: PluginRegistry) throws -> [Row] {
        var rows: [Row] = []
        for tensor in tensors {
            for configuration in configurations {
                for calibrator in calibrators {
                    let recipe = try QuantizationRecipe(
                        format: configuration.format, granularity: configuration.granularity, calibrator: calibrator, registry: registry)
                    let report = try TensorQuantizer(recipe: recipe).quantize(tensor).report
                    rows.append(Row(
                        tensor: tensor.name, format: report.format, granularity: report.granularity, calibrator: report.calibrator,
                        sqnrDB: report.sqnrDB, storageBitsPerElement: report.storageBitsPerElement))
                }
            }
        }
        return rows
    }

    /// A Markdown table per tensor: rows format × granularity, columns calibrators, best in bold.
    public static func markdown(_ rows: [Row]) -> String {
        var out: [String] = []
        var tensors: [String] = []
        for r in rows where !tensors.contains(r.tensor) { tensors.append(r.tensor) }
        for tensor in tensors {
            let mine = rows.filter { $0.tensor == tensor }
            var columns: [String] = []
            for r in mine where !columns.contains(r.calibrator) { columns.append(r.calibrator) }
            out.append("**\(tensor)**\n")
            out.append("| format | granularity | bits/elem | " + columns.joined(separator: " | ") + " |")
            out.append("|---|---|---:|" + String(repeating: "---:|", count: columns.count))
            var keys: [String] = []
            for r in mine where !keys.contains(r.format + "|" + r.granularity) { keys.append(r.format + "|" + r.granularity) }
            for key in keys {
                let cells = mine.filter { $0.format + "|" + $0.granularity == key }
                let best = cells.map(\.sqnrDB).max() ?? .nan
                let values = columns.map { c -> String in
                    guard let v = cells.first(where: { $0.calibrator == c })?.sqnrDB else { return "" }
                    let text = v.isFinite ? String(Double(Int((v * 100).rounded())) / 100) : "\(v)"
                    return v == best ? "**\(text)**" : text
                }
                let bits = cells.first.map { String(Double(Int(($0.storageBitsPerElement * 1000).rounded())) / 1000) } ?? ""
                out.append("| \(cells[0].format) | \(cells[0].granularity) | \(bits) | " + values.joined(separator: " | ") + " |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
