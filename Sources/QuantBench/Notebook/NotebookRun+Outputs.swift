import Foundation
import QuantCore
import QuantModels

extension NotebookRun {
    /// A grid cell's outcome: how many of its cells are stored, and its failed cells.
    func gridOutput(_ cell: ExperimentCell, records: [CellRecord]) -> CellOutput {
        guard let grid = experiment.grids.first(where: { $0.cell.index == cell.index }) else { return .failure("grid not parsed") }
        let hashes = grid.cells().map(\.hash)
        let byHash = Dictionary(records.map { ($0.hash, $0) }, uniquingKeysWith: { first, _ in first })
        let mine = hashes.compactMap { byHash[$0] }
        let failed = mine.filter { $0.status == .failed }
        var text = "*\(hashes.count) cells: \(mine.count - failed.count) ok, \(failed.count) failed"
        if mine.count < hashes.count { text += ", \(hashes.count - mine.count) not run yet" }
        text += ".*\n"
        if !failed.isEmpty {
            let axes = grid.varyingAxes
            text += "\nFailed cells:\n\n| " + (axes + ["hash", "error"]).joined(separator: " | ") + " |\n"
            text += "|" + String(repeating: " --- |", count: axes.count + 2) + "\n"
            for record in failed {
                let values = axes.map { Self.markdownCell(record.axes[$0] ?? "") }
                text += "| " + (values + ["`\(record.hash.prefix(12))`", Self.markdownCell(record.error ?? "")]).joined(separator: " | ") + " |\n"
            }
        }
        text += costNotes(grid, records: mine)
        return .markdown(text)
    }

    /// What each of the grid's cost models assumed, and the notes its estimates carried for
    /// these cells (precision fallbacks, extrapolations), each note once with its cell count.
    func costNotes(_ grid: GridSpec, records: [CellRecord]) -> String {
        guard !grid.costModels.isEmpty else { return "" }
        let reports = records.compactMap { $0.reportJSON.flatMap { try? StoreJSON.decode(ModelEvaluationReport.self, from: $0) } }
        var text = "\nCost models:\n"
        for name in grid.costModels {
            let assumptions = (try? PluginRegistry.builtIn.costModel(name))?.assumptions ?? []
            text += "\n- `\(name)`: " + assumptions.joined(separator: " ") + "\n"
            var counts: [String: Int] = [:], order: [String] = []
            for report in reports {
                for note in report.costs?[name]?.notes ?? [] {
                    if counts[note] == nil { order.append(note) }
                    counts[note, default: 0] += 1
                }
                for problem in report.costProblems ?? [] where problem.hasPrefix(name + ":") {
                    if counts[problem] == nil { order.append(problem) }
                    counts[problem, default: 0] += 1
                }
            }
            for note in order { text += "  - \(Self.markdownCell(note)) (\(counts[note]!) of \(reports.count) cells)\n" }
        }
        return text
    }

    /// A table cell: the pivot written in each format asked for, shown inline as Markdown.
    func tableOutput(_ spec: TableCellSpec, records: [CellRecord]) throws -> CellOutput {
        let pivot = try PivotTable(
            records: records,
            spec: PivotSpec(
                rows: spec.rows, columns: spec.columns, metric: spec.metric,
                aggregation: PivotAggregation(rawValue: spec.aggregation) ?? .mean, filters: spec.filters, valueOrder: valueOrder))
        let options = PivotRenderOptions(caption: spec.caption, label: spec.label)
        var links: [String] = []
        for name in spec.formats {
            guard let format = TableFormat(rawValue: name) else { continue }
            let file = "\(spec.name).\(format.fileExtension)"
            try Data(pivot.rendered(as: format, options: options).utf8).write(to: URL(fileURLWithPath: directory + "/" + file))
            links.append("[\(file)](\(file))")
        }
        var text = pivot.rendered(as: .markdown, options: PivotRenderOptions(label: spec.label)) + "\n"
        if let note = pivot.failureNote { text += "\n*\(note)*\n" }
        if !links.isEmpty { text += "\nFiles: " + links.joined(separator: " · ") + "\n" }
        return .markdown(text)
    }

    /// An inspect cell: the activation sites (or tensors) with the largest outlier ratios; the
    /// rule check, coverage and drift kinds are in `NotebookRun+Diagnostics.swift`.
    func inspectOutput(_ spec: InspectCellSpec) throws -> CellOutput {
        switch spec.kind {
        case .coverage: return try coverageOutput(spec)
        case .drift: return try driftOutput(spec)
        case .sensitivity: return try sensitivityOutput(spec)
        case .outliers: if !spec.calibrators.isEmpty, spec.model != nil { return try ruleCheckOutput(spec) }
        }
        if let model = spec.model {
            let task = try ModelZoo.task(named: model)
            let count = spec.count ?? task.calibrationCount
            let sites = try ActivationInspection.inspect(task, count: count)
            let ranked = sites.sorted { $0.outlierRatio > $1.outlierRatio }.prefix(spec.top)
            var text = "Activations of `\(model)` over \(min(count, task.calibrationCount)) calibration items, "
                + "\(ranked.count) of \(sites.count) sites by outlier ratio (max |x| / p99 |x|):\n\n"
            text += "| site | min | max | std | kurtosis | outlier ratio | suggested calibrator |\n|---|---:|---:|---:|---:|---:|---|\n"
            for site in ranked {
                text += "| `\(site.site)` | \(Self.number(Double(site.min))) | \(Self.number(Double(site.max))) | \(Self.number(site.std)) | "
                    + "\(Self.number(site.kurtosis)) | \(Self.number(site.outlierRatio)) | \(site.recommendedCalibrator) |\n"
            }
            return .markdown(text)
        }
        guard let file = spec.file else { return .failure("an inspect cell names a model or a file") }
        let source = try TensorFiles.open(path: file)
        let tensors = try source.tensors.map { try TensorInspection(source.load($0.name)) }
        let ranked = tensors.sorted { $0.outlierRatio > $1.outlierRatio }.prefix(spec.top)
        var text = "Tensors of `\(file)`, \(ranked.count) of \(tensors.count) by outlier ratio:\n\n"
        text += "| tensor | shape | min | max | kurtosis | outlier ratio | suggested calibrator |\n|---|---|---:|---:|---:|---:|---|\n"
        for tensor in ranked {
            text += "| `\(tensor.tensor)` | \(tensor.shape) | \(Self.number(Double(tensor.min))) | \(Self.number(Double(tensor.max))) | "
                + "\(Self.number(tensor.kurtosis)) | \(Self.number(tensor.outlierRatio)) | \(tensor.recommendedCalibrator) |\n"
        }
        return .markdown(text)
    }

    /// A python cell: its printed output and the files and figures it made.
    func pythonOutput(_ cell: ExperimentCell, records: [CellRecord]) throws -> CellOutput {
        let rows = records.map(Self.row)
        let output = try PythonCellRunner(directory: directory).run(cell, file: experiment.file.file, rows: rows)
        var text = output.printed.isEmpty ? "" : NotebookReport.textBlock(output.printed)
        for file in output.files {
            text += file.hasSuffix(".png") || file.hasSuffix(".svg") ? "\n![\(file)](\(file))\n" : "\nFile: [\(file)](\(file))\n"
        }
        return .markdown(text.isEmpty ? "*(no output)*\n" : text)
    }

    /// A cell as a flat row for Python: axes, metrics, status, error and hash.
    static func row(_ record: CellRecord) -> [String: JSONValue] {
        var row: [String: JSONValue] = record.axes.mapValues { .string($0) }
        for (name, value) in record.metrics { row[name] = .double(value) }
        row["status"] = .string(record.status.rawValue)
        row["hash"] = .string(record.hash)
        row["error"] = record.error.map { .string($0) } ?? .null
        return row
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        if magnitude != 0, magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3e", value) }
        return String(format: "%.4g", value)
    }

    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
