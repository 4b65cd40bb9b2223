import Foundation
import QuantCore

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
    public init(experiment: Experiment, name: String, directory: String) throws(ExperimentError) {
        self.experiment = experiment
        self.name = name
        self.directory = directory
        let axes = GridSpec.axisNames + CellPlan.subAxes
        let models = experiment.grids.flatMap { $0.axes["model"]?.compactMap(\.string) ?? [] }
        let metrics = KnownMetrics.names(models: models)
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
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .many(errors) }
        self.specs = specs
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
        return order
    }

    /// Writes every output from the experiment's rows in `store`.
    ///
    /// - Parameter summary: the run that just finished, for the manifest (nil for a re-render).
    /// - Returns: the report, with the outputs of the cells that failed to render.
    public func render(store: ResultsStore, summary: RunSummary?) throws -> NotebookReport {
        let hashes = Set(cellOrder)
        let records = try store.rows(experiment: name).filter { hashes.contains($0.hash) }
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
        return report
    }

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
