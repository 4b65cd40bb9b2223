import Foundation
import QuantCore
import QuantModels

/// A notebook's non-grid cells, parsed and checked before anything runs.
enum NotebookCellSpec: Sendable {
    case table(TableCellSpec)
    case plot(PlotCellSpec)
    case inspect(InspectCellSpec)
    case python
}

/// Renders an experiment's results into its results folder: `results.csv`, `results.jsonl`,
/// `manifest.json`, the tables and figures its cells ask for, and `report.md`, the notebook
/// with every cell's output in place.
public struct NotebookRun: Sendable {
    public let experiment: Experiment
    /// The experiment's name.
    public let name: String
    /// The results folder.
    public let directory: String
    /// Table, plot, inspect and python cells by cell index.
    let specs: [Int: NotebookCellSpec]

    /// Checks every table, plot and inspect cell: keys, axes, metrics, kinds, formats.
    ///
    /// - Throws: ``ExperimentError`` with every problem, each with file, line and cell.
    public init(experiment: Experiment, name: String, directory: String, registry: PluginRegistry = .builtIn) throws(ExperimentError) {
        self.experiment = experiment
        self.name = name
        self.directory = directory
        let axes = GridSpec.axisNames + CellPlan.subAxes
        let models = experiment.grids.flatMap { $0.axes["model"]?.compactMap(\.string) ?? [] }
        let costMetrics = Self.costMetrics(experiment, registry: registry)
        let metrics = KnownMetrics.names(models: models, mixed: experiment.grids.contains(where: KnownMetrics.hasMixedPlan)) + costMetrics
        var specs: [Int: NotebookCellSpec] = [:], errors: [ExperimentError] = []
        for cell in experiment.file.cells where cell.kind != .grid {
            var parser = NotebookCellParser(file: experiment.file.file, cell: cell, axes: axes, metrics: metrics)
            switch cell.kind {
            case .table: specs[cell.index] = parser.tableSpec().map(NotebookCellSpec.table)
            case .plot: specs[cell.index] = parser.plotSpec().map(NotebookCellSpec.plot)
            case .inspect: specs[cell.index] = parser.inspectSpec().map(NotebookCellSpec.inspect)
            case .python, .grid: specs[cell.index] = .python
            }
            errors += parser.errors
        }
        errors += Self.metricErrors(experiment, file: experiment.file.file, costMetrics: costMetrics)
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .many(errors) }
        self.specs = specs
    }

    /// Each grid's `metrics` checked against what its models report.
    static func metricErrors(_ experiment: Experiment, file: String, costMetrics: [String]) -> [ExperimentError] {
        var errors: [ExperimentError] = []
        for grid in experiment.grids {
            let known = KnownMetrics.names(models: grid.axes["model"]?.compactMap(\.string) ?? [], mixed: KnownMetrics.hasMixedPlan(grid)) + costMetrics
            let locator = TOMLLocator(grid.cell.text)
            for metric in grid.metrics where !known.contains(metric) {
                let at = grid.cell.location(file: file, cellLine: locator.line(key: "metrics", value: metric))
                errors.append(
                    .badValue(at, key: "metrics", value: "\"\(metric)\"",
                        reason: "not a metric of this grid's models\(ExperimentError.didYouMean(closeMatches(metric, in: known))); "
                            + "metrics are \(known.joined(separator: ", "))"))
            }
        }
        return errors
    }

    /// The metrics the experiment's cost models add to every cell.
    static func costMetrics(_ experiment: Experiment, registry: PluginRegistry) -> [String] {
        (try? CellCosting(names: experiment.costModels, registry: registry))?.metricNames ?? []
    }

    /// The hashes of the experiment's cells, in grid order.
    var cellOrder: [String] { experiment.cells.map(\.hash) }

    /// Each axis's values in the order the grids list them, for table rows and columns.
    var valueOrder: [String: [String]] {
        var order: [String: [String]] = [:]
        for grid in experiment.grids {
            for cell in grid.cells() {
                for (axis, text) in CellPlan.axisTexts(cell.values) where !(order[axis] ?? []).contains(text) {
                    order[axis, default: []].append(text)
                }
            }
        }
        // Numbers (a calibration size, a seed) in numeric order, whichever grid lists them first.
        for (axis, values) in order where values.allSatisfy({ Double($0) != nil }) {
            order[axis] = values.sorted { Double($0)! < Double($1)! }
        }
        return order
    }

    /// Writes every output from the experiment's rows in `store`.
    ///
    /// - Parameter summary: the run that just finished, for the manifest (nil for a re-render).
    /// - Returns: the report, with the outputs of the cells that failed to render.
    public func render(store: ResultsStore, summary: RunSummary?) throws -> NotebookReport? {
        let hashes = Set(cellOrder)
        let records = try store.rows(experiment: name).filter { hashes.contains($0.hash) }
        let fingerprint = renderFingerprint(records)
        let fingerprintPath = directory + "/.rendered"
        if FileManager.default.fileExists(atPath: directory + "/report.md"),
            (try? String(contentsOfFile: fingerprintPath, encoding: .utf8)) == fingerprint
        {
            return nil
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ResultsFiles(records: records, cellOrder: cellOrder).write(to: directory)
        var report = NotebookReport(title: name)
        for block in experiment.file.blocks {
            switch block {
            case let .prose(text): report.prose(text)
            case let .cell(cell): report.cell(cell, output: output(for: cell, records: records))
            }
        }
        let reportPath = directory + "/report.md"
        try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: reportPath))
        try Manifest(name: name, experiment: experiment, records: records, summary: summary).write(to: directory + "/manifest.json")
        if report.failures.isEmpty { try Data(fingerprint.utf8).write(to: URL(fileURLWithPath: fingerprintPath)) }
        return report
    }

    /// What the outputs depend on: the notebook's text, the workbench version and binary, and
    /// each stored cell's hash, status and finish time. Equal fingerprints mean equal outputs, so
    /// a re-run with nothing changed skips rendering (figures take a second of matplotlib), and a
    /// rebuilt binary (whose rendering may have changed) renders again.
    func renderFingerprint(_ records: [CellRecord]) -> String {
        var text = workbenchVersion + "\n" + Self.binaryIdentity + "\n" + experiment.file.blocks.map { block in
            switch block {
            case let .prose(prose): prose
            case let .cell(cell): cell.kind.rawValue + "\n" + cell.text
            }
        }.joined(separator: "\n")
        for record in records.sorted(by: { $0.hash < $1.hash }) {
            text += "\n\(record.hash) \(record.status.rawValue) \(record.finishedAt.timeIntervalSince1970)"
        }
        return FileDigest.sha256(of: Data(text.utf8))
    }

    /// The running executable's size and modification time.
    static let binaryIdentity: String = {
        guard let path = Bundle.main.executablePath, let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "" }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path) \(size) \(modified)"
    }()

    /// The rendered output of one cell; a cell that fails gives its error as output.
    func output(for cell: ExperimentCell, records: [CellRecord]) -> CellOutput {
        let earlier = recordsAbove(cell, records: records)
        do {
            switch (cell.kind, specs[cell.index]) {
            case (.grid, _): return gridOutput(cell, records: records)
            case let (.table, .table(spec)?): return try tableOutput(spec, records: earlier)
            case let (.plot, .plot(spec)?): return try plotOutput(spec, records: earlier)
            case let (.inspect, .inspect(spec)?): return try inspectOutput(spec)
            case (.python, _): return try pythonOutput(cell, records: earlier)
            default: return .failure("the cell was not parsed")
            }
        } catch {
            return .failure(String(describing: error))
        }
    }

    /// The results of the grids above `cell` (what a notebook has computed when it reaches it).
    func recordsAbove(_ cell: ExperimentCell, records: [CellRecord]) -> [CellRecord] {
        let hashes = Set(experiment.grids.filter { $0.cell.index < cell.index }.flatMap { $0.cells().map(\.hash) })
        return records.filter { hashes.contains($0.hash) }
    }
}

extension NotebookRun {
    /// One line per metric the grids list: its best and worst cell among the experiment's
    /// current cells, by the metric's direction (for the run summary).
    public func highlights(store: ResultsStore) throws -> [String] {
        let hashes = Set(cellOrder)
        let records = try store.rows(experiment: name).filter { hashes.contains($0.hash) && $0.status == .ok }
        var lines: [String] = [], seen: Set<String> = []
        for grid in experiment.grids {
            let varying = grid.varyingAxes
            for metric in grid.metrics where seen.insert(metric).inserted {
                let info = MetricCatalog.standard.info(for: metric)
                let scored = records.compactMap { record in record.metrics[metric].flatMap { $0.isNaN ? nil : (record, $0) } }
                guard info.direction != .unknown, scored.count > 1 else { continue }
                let sorted = scored.sorted { info.direction == .higherIsBetter ? $0.1 > $1.1 : $0.1 < $1.1 }
                func describe(_ entry: (CellRecord, Double)) -> String {
                    let value = String(format: "%.\(info.precision)f", entry.1 * info.scale) + (info.unit.map { " \($0)" } ?? "")
                    return value + " (" + varying.compactMap { entry.0.axes[$0] }.joined(separator: " ") + ")"
                }
                lines.append("\(info.label): best \(describe(sorted[0])), worst \(describe(sorted[sorted.count - 1]))")
            }
        }
        return lines
    }
}
