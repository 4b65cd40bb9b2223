import ArgumentParser
import Foundation
import QuantBench
import QuantCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run an experiment: a Markdown notebook of cells, or a bare .toml grid.",
        discussion: """
            Every grid is parsed and every name checked before anything runs; all problems are
            reported together with file and line. --dry-run prints the cells the grids expand to.
            """)

    @Argument(help: "The experiment file (.md notebook or .toml grid).")
    var file: String

    @Flag(help: "Parse, validate and list the cells without running them.")
    var dryRun = false

    @Flag(help: "Print JSON.")
    var json = false

    struct CellEntry: Encodable {
        var index: Int
        var gridCell: Int
        var hash: String
        var values: [String: GridValue]
    }

    struct Report: Encodable {
        var file: String
        var names: [String]
        var cellCount: Int
        var cells: [CellEntry]
    }

    func run() throws {
        try runReportingErrors {
            let experiment: Experiment
            do throws(ExperimentError) {
                experiment = try Experiment(contentsOf: file)
            } catch {
                error.all.forEach { printError($0.description) }
                throw ExitCode.failure
            }
            guard dryRun else {
                printError("\(file): \(experiment.cells.count) cells; running grids is not built yet; use --dry-run")
                throw ExitCode.failure
            }
            var entries: [CellEntry] = []
            for grid in experiment.grids {
                for cell in grid.cells() {
                    entries.append(CellEntry(index: entries.count + 1, gridCell: grid.cell.index, hash: cell.hash, values: cell.values))
                }
            }
            if json {
                try printJSON(Report(file: file, names: experiment.grids.compactMap(\.name), cellCount: entries.count, cells: entries))
            } else {
                print(Self.render(experiment, entries: entries))
            }
        }
    }

    /// A table per grid: the cell number, each varying axis, and the short hash.
    static func render(_ experiment: Experiment, entries: [CellEntry]) -> String {
        var sections = ["\(entries.count) cells"]
        for grid in experiment.grids {
            let axes = grid.varyingAxes.isEmpty ? ["model"] : grid.varyingAxes
            var table = TextTable(header: ["#"] + axes + ["hash"])
            for entry in entries where entry.gridCell == grid.cell.index {
                let values = axes.map { axis in entry.values[axis].map { $0.string ?? $0.description } ?? "" }
                table.append([String(entry.index)] + values + [String(entry.hash.prefix(12))])
            }
            let title = "grid (cell \(grid.cell.index), line \(grid.cell.line))" + (grid.name.map { ": \($0)" } ?? "")
            sections.append(title + "\n" + table.render())
        }
        return sections.joined(separator: "\n\n")
    }
}
