import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "How well the calibration ranges cover production data, per activation site.",
        discussion: """
            Observes the exact range of every activation site over the calibration items, then runs the
            production data and counts, exactly, per site the share of values outside [calibration min,
            calibration max] and the ratio production max|x| / calibration max|x|. A site is under-covered
            when the share exceeds --threshold (default 1e-4) or the ratio exceeds 1 + --ratio-tolerance
            (default 0.01, about 1.3 int8 steps: the largest value then clips by more than twice the worst
            rounding error). Exits 0 whether or not sites are flagged (see the table or JSON).

            Examples:
              quantbench coverage digits-cnn --production "contrast(0.5)"
              quantbench coverage digits-cnn --production "brightness(0.2)" --json
              quantbench coverage digits-cnn --production evaluation
            """)

    @Argument(help: "A model spec: a zoo model (\(ModelZoo.names.joined(separator: ", "))) or NAME@CHECKPOINT.")
    var model: String

    @Option(help: "Calibration items to observe (default: the model's default).")
    var calibration: Int?

    @Option(help: "Production data: a scenario transform of the evaluation split (contrast(0.5), brightness(0.2), noise(0.1), mix), 'evaluation' (unchanged), or 'calibration' (the calibration items: a check that must be quiet).")
    var production = "evaluation"

    @Option(help: "Share of production values outside the calibrated range above which a site is flagged.")
    var threshold = 1e-4

    @Option(help: "A site is flagged when production max|x| / calibration max|x| > 1 + this.")
    var ratioTolerance = 0.01

    @Option(help: "The format whose parameters (for the calibration range) the SQNR column uses.")
    var format = "int8"

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let spec = try ModelSpec(parsing: model)
            let task = try spec.load()
            let report = try CoverageReport.measure(
                task, count: calibration ?? ModelZoo.defaultCalibrationCount(spec.model), production: ProductionData(parsing: production),
                format: try PluginRegistry.builtIn.format(format), thresholds: CoverageThresholds(share: threshold, ratioTolerance: ratioTolerance))
            if json { try printJSON(report) } else { print(Self.render(report)) }
        }
    }

    static func render(_ report: CoverageReport) -> String {
        var table = TextTable(header: ["site", "cal min", "cal max", "prod min", "prod max", "outside", "share", "max ratio", "sqnr dB", "flag"])
        for s in report.sites {
            table.append([
                s.site, formatNumber(s.calibrationMin), formatNumber(s.calibrationMax), formatNumber(s.productionMin), formatNumber(s.productionMax),
                String(s.outside), formatNumber(s.shareOutside), formatNumber(s.maxRatio), formatNumber(s.sqnrDB), s.flagged ? "UNDER" : "",
            ])
        }
        var text = table.render()
        text += "\n\n\(report.model): \(report.calibrationItems) calibration items vs \(report.productionItems) production items (\(report.production)); "
        text += "\(report.flagged.count) of \(report.sites.count) sites under-covered."
        for s in report.flagged { text += "\n  \(s.site): " + s.reasons.joined(separator: "; ") }
        return text
    }
}
