import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct OutliersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outliers",
        abstract: "Outlier report with a check of REFERENCE §2.9's calibrator rule against the measured best calibrator.",
        discussion: """
            Per activation site and weight tensor: r = max|x| / P99(|x|), excess kurtosis, the calibrator the
            rule recommends (r < 3 minmax; 3–10 percentile(99.99) or mse; > 10 mse), the SQNR of every
            candidate calibrator, the best one, whether the rule agrees (an accepted calibrator within
            --tolerance dB of the best) and the SQNR lost by following the rule's first choice.
            Activations: statistics and ranges from the calibration items, SQNR measured on the evaluation
            split (held out), one site quantized at a time, per-tensor. Weights: per-tensor, SQNR on the tensor.

            Examples:
              quantbench outliers digits-cnn
              quantbench outliers digits-cnn --format int4 --calibrator minmax --calibrator mse --json
              quantbench outliers digits-cnn@retrained.safetensors --calibration 128
            """)

    @Argument(help: "A model spec: a zoo model (\(ModelZoo.names.joined(separator: ", "))) or NAME@CHECKPOINT.")
    var model: String

    @Option(help: "Calibration items to observe (default: the model's default).")
    var calibration: Int?

    @Option(help: "The format whose quantization error ranks the calibrators.")
    var format = "int8"

    @Option(name: .customLong("calibrator"), help: "A candidate calibrator (repeatable; default minmax, percentile(99.99), mse, kl).")
    var calibrators: [String] = []

    @Option(help: "dB below the best within which the rule's choice still agrees.")
    var tolerance = 0.1

    @Flag(help: "Only activation sites.")
    var activationsOnly = false

    @Flag(help: "Only weight tensors (no forward pass).")
    var weightsOnly = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            let spec = try ModelSpec(parsing: model)
            let task = try spec.load()
            let names = calibrators.isEmpty ? OutlierReport.defaultCalibrators : calibrators
            let report = try OutlierReport.measure(
                task, count: calibration ?? ModelZoo.defaultCalibrationCount(spec.model), format: try registry.format(format),
                calibrators: try names.map { try registry.calibrator($0) }, activations: !weightsOnly, weights: !activationsOnly,
                toleranceDB: tolerance)
            if json { try printJSON(report) } else { print(Self.render(report)) }
        }
    }

    static func render(_ report: OutlierReport) -> String {
        var table = TextTable(header: ["kind", "tensor", "outlier", "ex-kurt", "rule", "best"] + report.calibrators + ["agrees", "loss dB"])
        for r in report.rows {
            table.append(
                [r.kind, r.tensor, formatNumber(r.outlierRatio, digits: 3), formatNumber(r.excessKurtosis), r.recommended, r.best]
                    + report.calibrators.map { r.sqnrDB[$0].map { formatNumber($0) } ?? "-" }
                    + [r.agrees.map { $0 ? "yes" : "NO" } ?? "-", r.lossDB.map { formatNumber($0) } ?? "-"])
        }
        let verdicts = report.rows.compactMap(\.agrees)
        return table.render() + "\n\nSQNR in dB (\(report.format), per-tensor). Activations: ranges from \(report.calibrationItems) calibration items, "
            + "SQNR on \(report.evaluationItems) evaluation items.\nRule agrees on \(verdicts.filter { $0 }.count) of \(verdicts.count) "
            + "tensors (\(formatNumber(report.agreement * 100, digits: 3)) %); mean loss following its first choice "
            + "\(formatNumber(report.meanLossDB)) dB (tolerance \(formatNumber(report.toleranceDB)) dB)."
    }
}
