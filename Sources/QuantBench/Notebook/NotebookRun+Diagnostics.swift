import Foundation
import QuantCore
import QuantModels

extension NotebookRun {
    /// An outliers inspect cell with `calibrators`: the rule check, tensors by outlier ratio.
    func ruleCheckOutput(_ spec: InspectCellSpec) throws -> CellOutput {
        guard let model = spec.model else { return .failure("a rule check names a zoo model") }
        let registry = PluginRegistry.builtIn
        let task = try ModelZoo.task(named: model)
        let report = try OutlierReport.measure(
            task, count: spec.count ?? task.calibrationCount, format: try registry.format(spec.format),
            calibrators: try spec.calibrators.map { try registry.calibrator($0) })
        let ranked = report.rows.sorted { $0.outlierRatio > $1.outlierRatio }.prefix(spec.top)
        let verdicts = report.rows.compactMap(\.agrees)
        var text = "Outlier rule check of `\(model)` (\(report.format), per-tensor; activation ranges from \(report.calibrationItems) "
            + "calibration items, SQNR on \(report.evaluationItems) evaluation items): the rule agrees on \(verdicts.filter { $0 }.count) "
            + "of \(verdicts.count) tensors (\(Self.number(report.agreement * 100)) %), mean loss following it \(Self.number(report.meanLossDB)) dB.\n\n"
        text += "| tensor | kind | outlier ratio | excess kurtosis | rule | best | " + report.calibrators.map { "\($0) dB" }.joined(separator: " | ")
            + " | agrees | loss dB |\n|---|---|---:|---:|---|---|" + String(repeating: "---:|", count: report.calibrators.count) + "---|---:|\n"
        for r in ranked {
            let sqnr = report.calibrators.map { r.sqnrDB[$0].map(Self.number) ?? "–" }
            text += "| `\(r.tensor)` | \(r.kind) | \(Self.number(r.outlierRatio)) | \(Self.number(r.excessKurtosis)) | \(r.recommended) | \(r.best) | "
                + sqnr.joined(separator: " | ") + " | \(r.agrees.map { $0 ? "yes" : "**no**" } ?? "–") | \(r.lossDB.map(Self.number) ?? "–") |\n"
        }
        return .markdown(text)
    }

    /// A coverage inspect cell: every site, under-covered ones in bold with their reasons.
    func coverageOutput(_ spec: InspectCellSpec) throws -> CellOutput {
        guard let model = spec.model else { return .failure("a coverage cell names a zoo model") }
        let task = try ModelZoo.task(named: model)
        let report = try CoverageReport.measure(
            task, count: spec.count ?? task.calibrationCount, production: ProductionData(parsing: spec.production),
            format: try PluginRegistry.builtIn.format(spec.format))
        var text = "Calibration coverage of `\(model)`: \(report.calibrationItems) calibration items vs \(report.productionItems) production "
            + "items (\(report.production)); \(report.flagged.count) of \(report.sites.count) sites under-covered "
            + "(share outside > \(Self.number(report.thresholds.share)) or max ratio > \(Self.number(1 + report.thresholds.ratioTolerance))).\n\n"
        text += "| site | calibration range | production range | share outside | max ratio | SQNR dB | under-covered |\n|---|---|---|---:|---:|---:|---|\n"
        for s in report.sites {
            text += "| `\(s.site)` | [\(Self.number(Double(s.calibrationMin))), \(Self.number(Double(s.calibrationMax)))] | "
                + "[\(Self.number(Double(s.productionMin))), \(Self.number(Double(s.productionMax)))] | \(Self.number(s.shareOutside)) | "
                + "\(Self.number(s.maxRatio)) | \(Self.number(s.sqnrDB)) | \(s.flagged ? "**yes**: " + Self.markdownCell(s.reasons.joined(separator: "; ")) : "") |\n"
        }
        return .markdown(text)
    }

    /// A drift inspect cell: `model` against `new` or against its `scale`d copy.
    func driftOutput(_ spec: InspectCellSpec) throws -> CellOutput {
        guard let model = spec.model else { return .failure("a drift cell names a zoo model") }
        let registry = PluginRegistry.builtIn
        let old = try ModelZoo.task(named: model)
        let new: any ScenarioTask, newName: String
        if let text = spec.new {
            let parsed = try ModelSpec(parsing: text)
            new = try parsed.load()
            newName = parsed.description
        } else {
            let edit = WeightEdit(factors: spec.scale)
            new = try edit.apply(to: old)
            newName = "\(model) with " + spec.scale.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
        let report = try ModelDrift.measure(
            old: old, new: new, oldName: model, newName: newName, count: spec.count ?? old.calibrationCount,
            format: try registry.format(spec.format), calibrator: try registry.calibrator(spec.calibrator))
        var text = "Drift `\(report.old)` → `\(Self.markdownCell(report.new))` on \(report.calibrationItems) calibration items "
            + "(\(report.format), \(report.calibrator)); \(report.flagged.count) of \(report.sites.count) sites drifted.\n\n"
        text += "| site | old range | new range | max abs move | mean move | clipped by old | SQNR old params dB | SQNR new params dB | drifted |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---|\n"
        for s in report.sites {
            text += "| `\(s.site)` | [\(Self.number(Double(s.oldMin))), \(Self.number(Double(s.oldMax)))] | "
                + "[\(Self.number(Double(s.newMin))), \(Self.number(Double(s.newMax)))] | \(Self.number(s.absMaxMove)) | \(Self.number(s.meanMove)) | "
                + "\(Self.number(s.shareClippedByOld)) | \(Self.number(s.sqnrOldParamsDB)) | \(Self.number(s.sqnrNewParamsDB)) | "
                + "\(s.flagged ? "**yes**: " + Self.markdownCell(s.reasons.joined(separator: "; ")) : "") |\n"
        }
        return .markdown(text)
    }
}
