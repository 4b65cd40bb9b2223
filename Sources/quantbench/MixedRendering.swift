import Foundation
import PythonBridge
import QuantBench

/// Text and files of `quantbench mixed`.
enum MixedRendering {
    static func row(_ p: MixedPrecisionPoint) -> [String] {
        [
            p.kind, formatNumber(p.averageBits), p.predictedSQNRDB.map { formatNumber($0) } ?? formatNumber(p.predictedDamage),
            formatNumber(p.outputSQNRDB), formatNumber(p.metric), p.onRealFrontier ? "*" : "", p.code, p.summary,
        ]
    }

    static func render(_ study: MixedPrecisionStudy) -> String {
        let profile = study.profile
        let predicted = study.damage == "output-noise" ? "pred SQNR dB" : "pred drop"
        var table = TextTable(header: ["plan", "bits/w", predicted, "real SQNR dB", profile.primaryMetric, "front", "per layer", "summary"])
        study.points.forEach { table.append(row($0)) }
        var lines = [
            "\(profile.model): \(profile.layers.count) layers, formats \(profile.formats.joined(separator: ", ")); "
                + "\(profile.primaryMetric) FP32 = \(formatNumber(profile.fp32Metric)); exact frontier of \(study.frontierSize) plans, "
                + "\(study.points.count) evaluated (* = on the real Pareto frontier of bits vs \(profile.primaryMetric))",
            table.render(),
        ]
        if let budget = study.budget, let exact = study.exactAtBudget, let greedy = study.greedyAtBudget {
            var versus = TextTable(header: ["plan", "bits/w", predicted, "real SQNR dB", profile.primaryMetric, "", "per layer", "summary"])
            versus.append(row(exact))
            versus.append(row(greedy))
            let elements = Double(profile.entries.filter { $0.format == profile.formats.first }.map(\.params).reduce(0, +))
            lines += ["", "At the budget (\(formatNumber(budget / max(1, elements))) bits/weight):", versus.render()]
        }
        return lines.joined(separator: "\n")
    }

    static let csvColumns = [
        "kind", "bits", "average_bits", "predicted_damage", "predicted_sqnr_db", "output_sqnr_db", "metric", "on_real_frontier", "code", "summary",
    ]

    static func csv(_ study: MixedPrecisionStudy) -> String {
        let all = study.points + [study.exactAtBudget, study.greedyAtBudget].compactMap { $0 }
        func field(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        return ([csvColumns.joined(separator: ",")] + all.map { p in
            [
                p.kind, String(p.cost), String(p.averageBits), String(p.predictedDamage), p.predictedSQNRDB.map { String($0) } ?? "",
                String(p.outputSQNRDB), String(p.metric), String(p.onRealFrontier), p.code, p.summary,
            ].map(field).joined(separator: ",")
        }).joined(separator: "\r\n") + "\r\n"
    }

    static func markdown(_ study: MixedPrecisionStudy) -> String {
        let profile = study.profile
        let all = study.points + [study.exactAtBudget, study.greedyAtBudget].compactMap { $0 }
        var text = "# Mixed-precision plans for \(profile.model)\n\nFormats \(profile.formats.joined(separator: ", ")); damage `\(study.damage)`; "
            + "\(profile.primaryMetric) FP32 = \(formatNumber(profile.fp32Metric)). Columns are plans (f = frontier sweep, "
            + "E = exact at the budget, G = greedy at the budget).\n\n"
        let heads = all.map { p in (p.kind == "frontier" ? "f" : p.kind == "exact" ? "E" : "G") + " " + formatNumber(p.averageBits, digits: 3) }
        text += "| layer | " + heads.joined(separator: " | ") + " |\n|---|" + String(repeating: "---|", count: all.count) + "\n"
        for (l, layer) in profile.layers.enumerated() {
            text += "| `\(layer)` | " + all.map { $0.plan[l].option }.joined(separator: " | ") + " |\n"
        }
        text += "| real \(profile.primaryMetric) | " + all.map { formatNumber($0.metric) }.joined(separator: " | ") + " |\n"
        text += "| real output SQNR (dB) | " + all.map { formatNumber($0.outputSQNRDB) }.joined(separator: " | ") + " |\n"
        text += "\n" + all.map { "- \($0.kind) \(formatNumber($0.averageBits)) bits/weight: \($0.summary)" }.joined(separator: "\n") + "\n"
        return text
    }

    static func write(_ study: MixedPrecisionStudy, to out: String, quiet: Bool) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let folder = URL(fileURLWithPath: out)
        try csv(study).write(to: folder.appendingPathComponent("pareto.csv"), atomically: true, encoding: .utf8)
        try markdown(study).write(to: folder.appendingPathComponent("plans.md"), atomically: true, encoding: .utf8)
        var written = ["pareto.csv", "plans.md"]
        let points = study.points.map { ScatterPoint(label: $0.code.count <= 8 ? $0.code : formatNumber($0.averageBits, digits: 3), x: $0.averageBits, y: $0.metric) }
        do {
            for ext in ["png", "pdf"] {
                try Plotter.paretoScatter(
                    points, style: PlotStyle(
                        title: "\(study.profile.model): mixed precision (\(study.profile.formats.joined(separator: "/")))",
                        xLabel: "storage bits per weight", yLabel: study.profile.primaryMetric),
                    to: folder.appendingPathComponent("pareto.\(ext)").path)
                written.append("pareto.\(ext)")
            }
        } catch {
            FileHandle.standardError.write(Data("note: Pareto plot skipped (\(error))\n".utf8))
        }
        if !quiet { print("\nwrote \(written.joined(separator: ", ")) to \(out)") }
    }
}
