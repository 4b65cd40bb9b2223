import QuantBench
import QuantModels

/// Text tables for `quantbench eval`.
enum EvalRendering {
    static func render(_ report: ModelEvaluationReport) -> String {
        let configuration = report.configuration.isEmpty
            ? "FP32 (nothing quantized)"
            : report.configuration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        var lines = [
            "\(report.model): \(configuration)",
            "calibration items \(report.calibrationItems), evaluation items \(report.evaluationItems)", "",
        ]
        var metrics = TextTable(header: ["metric", "fp32", "quantized", "change"])
        for metric in report.quantized {
            let reference = report.fp32(metric.name) ?? .nan
            metrics.append([metric.name, formatNumber(reference), formatNumber(metric.value), formatNumber(metric.value - reference)])
        }
        lines.append(metrics.render())
        if !report.weightLayers.isEmpty {
            lines += ["", "weights"]
            var table = TextTable(header: ["tensor", "bits/elem", "sqnr_db", "cosine"])
            for layer in report.weightLayers {
                table.append([layer.name, formatNumber(layer.bits ?? .nan), formatNumber(layer.sqnrDB), formatNumber(layer.cosine, digits: 6)])
            }
            lines.append(table.render())
        }
        if !report.activationSites.isEmpty {
            lines += ["", "activations"]
            var table = TextTable(header: ["site", "sqnr_db", "cosine"])
            for site in report.activationSites { table.append([site.name, formatNumber(site.sqnrDB), formatNumber(site.cosine, digits: 6)]) }
            lines.append(table.render())
        }
        let phases = report.seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(formatNumber($0.value, digits: 3)) s" }
        lines += ["", "time: " + phases.joined(separator: ", ")]
        return lines.joined(separator: "\n")
    }

    static func render(_ report: WeightsOnlyReport) -> String {
        var table = TextTable(header: ["tensor", "shape", "bits/elem", "sqnr_db", "cosine", "clip%"])
        for r in report.tensors {
            table.append([
                r.tensor, "[" + r.shape.map(String.init).joined(separator: ", ") + "]", formatNumber(r.storageBitsPerElement),
                formatNumber(r.sqnrDB), formatNumber(r.cosine, digits: 6), formatNumber(100 * r.clipFraction),
            ])
        }
        let first = report.tensors.first
        return [
            "weights-only \(report.source): \(first?.format ?? "?"), \(first?.granularity ?? "?"), \(first?.calibrator ?? "?")", "",
            table.render(), "",
            "\(report.tensors.count) tensors, \(report.elements) elements, \(formatNumber(report.bitsPerElement)) bits/element, "
                + "overall SQNR \(formatNumber(report.overallSQNR)) dB",
        ].joined(separator: "\n")
    }
}
