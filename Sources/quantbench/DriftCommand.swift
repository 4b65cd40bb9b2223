import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "How far activation ranges moved between two versions of a model, and whether the old parameters now clip.",
        discussion: """
            Runs the same calibration items through OLD and NEW (model specs: a zoo model, or NAME@CHECKPOINT
            with a replacement checkpoint of the same tensors). Per site: both ranges, the relative move of
            max|x| and of the mean, the share of NEW activations outside the OLD quantization range (the
            calibrator's range on OLD: they would clip), and the SQNR of NEW activations quantized with the
            old and with their own parameters. A site is flagged when that share exceeds --threshold
            (default 1e-4) or max|x| or the mean moved by more than --move (default 0.05).

            Examples:
              quantbench edit-weights digits-cnn --scale conv_layers.3.weight=1.15 --out retrained.safetensors
              quantbench drift digits-cnn digits-cnn@retrained.safetensors
              quantbench drift digits-cnn digits-cnn@retrained.safetensors --format int4 --calibrator mse --json
            """)

    @Argument(help: "The old model spec.")
    var old: String

    @Argument(help: "The new model spec (same zoo model).")
    var new: String

    @Option(help: "Calibration items to observe (default: the model's default).")
    var calibration: Int?

    @Option(help: "Quantization format of the parameters compared.")
    var format = "int8"

    @Option(help: "Calibrator giving each version's quantization range.")
    var calibrator = "minmax"

    @Option(help: "Share of new activations clipped by the old range above which a site is flagged.")
    var threshold = 1e-4

    @Option(help: "Relative move of max|x| or of the mean above which a site is flagged.")
    var move = 0.05

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            let oldSpec = try ModelSpec(parsing: old), newSpec = try ModelSpec(parsing: new)
            guard oldSpec.model == newSpec.model else {
                throw ValidationError("drift compares two versions of one model; OLD is \(oldSpec.model) and NEW is \(newSpec.model)")
            }
            let report = try ModelDrift.measure(
                old: try oldSpec.load(), new: try newSpec.load(), oldName: oldSpec.description, newName: newSpec.description,
                count: calibration ?? ModelZoo.defaultCalibrationCount(oldSpec.model), format: try registry.format(format),
                calibrator: try registry.calibrator(calibrator), thresholds: CoverageThresholds(share: threshold, move: move))
            if json { try printJSON(report) } else { print(Self.render(report)) }
        }
    }

    static func render(_ report: ModelDrift) -> String {
        var table = TextTable(header: [
            "site", "old min", "old max", "new min", "new max", "max|x| move", "mean move", "clip old", "sqnr old dB", "sqnr new dB", "flag",
        ])
        for s in report.sites {
            table.append([
                s.site, formatNumber(s.oldMin), formatNumber(s.oldMax), formatNumber(s.newMin), formatNumber(s.newMax),
                formatNumber(s.absMaxMove), formatNumber(s.meanMove), formatNumber(s.shareClippedByOld), formatNumber(s.sqnrOldParamsDB),
                formatNumber(s.sqnrNewParamsDB), s.flagged ? "DRIFT" : "",
            ])
        }
        var text = table.render()
        text += "\n\n\(report.old) → \(report.new) on \(report.calibrationItems) calibration items (\(report.format), \(report.calibrator)); "
        text += "\(report.flagged.count) of \(report.sites.count) sites drifted."
        for s in report.flagged { text += "\n  \(s.site): " + s.reasons.joined(separator: "; ") }
        return text
    }
}
