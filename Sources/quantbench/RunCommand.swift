import ArgumentParser
import Foundation
import QuantBench
import QuantCore
import QuantModels

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

    @Flag(help: "Print JSON (with --dry-run).")
    var json = false

    @Flag(help: "Recompute cells whose results are already stored.")
    var force = false

    @Flag(help: "Plain progress lines every few seconds instead of a live line.")
    var quiet = false

    @Option(help: "Cells evaluated at once (default: the cores); each gets cores/jobs evaluation threads.")
    var jobs: Int?

    @Option(help: "The results folder (default: Results/<experiment name>).")
    var results: String?

    @Option(help: "Run only shard I of N (0 ≤ I < N, by cell hash) into its own store, results.shard-I-of-N.sqlite; merge the shards with quantbench merge.")
    var shard: String?

    @Flag(help: "Render the report from the cells already stored, running none (a Slurm merge job does this).")
    var renderOnly = false

    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

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
            let notebook: NotebookRun
            do throws(ExperimentError) {
                experiment = try Experiment(contentsOf: file)
                let name = experiment.grids.compactMap(\.name).first ?? experimentName
                notebook = try NotebookRun(experiment: experiment, name: name, directory: results ?? "Results/\(name)")
            } catch {
                error.all.forEach { printError($0.description) }
                throw ExitCode.failure
            }
            guard dryRun else {
                if slurm.backend == .slurm {
                    guard shard == nil else { throw ValidationError("--backend slurm runs every shard itself; leave out --shard") }
                    try slurm.submit(notebook, file: file)
                } else {
                    try execute(notebook)
                }
                return
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

    /// The experiment's name: the first grid's `name`, else the file's name without extension.
    var experimentName: String {
        URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    /// Runs the grids into the store under the results folder, with progress and a summary,
    /// then renders the notebook's outputs there.
    func execute(_ notebook: NotebookRun) throws {
        let experiment = notebook.experiment, directory = notebook.directory
        let shard = try self.shard.map { try Shard(parsing: $0) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let storePath = directory + "/" + (shard?.storeFileName ?? "results.sqlite")
        let store = try ResultsStore(path: storePath)
        if renderOnly {
            try renderStored(notebook, store: store)
            return
        }
        let runner = GridRunner(
            experiment: experiment, name: notebook.name, store: store,
            options: RunOptions(force: force, jobs: jobs ?? BatchScheduler.cores, shard: shard))
        let display = RunProgressDisplay(quiet: quiet)
        let interrupt = InterruptFlag()
        print("\(file): \(experiment.cells.count) cells in \(experiment.grids.count) grid\(experiment.grids.count == 1 ? "" : "s")")
        let summary = try runner.run(observer: display) { interrupt.isRaised }
        display.finish()
        print(summary.render(resultsDirectory: directory, resumeCommand: "quantbench run \(file)"))
        if summary.stopped { throw ExitCode(130) }
        if let shard {
            // A shard renders nothing: the report needs every cell, after the shards are merged.
            print("shard \(shard): cells stored in \(storePath); when every shard is done, merge and render with:\n"
                + "  quantbench merge \(directory)/results.shard-*-of-\(shard.count).sqlite --into \(directory)/results.sqlite && "
                + "quantbench run \(file)" + (results.map { " --results \($0)" } ?? ""))
            if summary.failed > 0 { throw ExitCode.failure }
            return
        }
        for line in (try? notebook.highlights(store: store)) ?? [] { print(line) }
        let start = ContinuousClock.now
        guard let report = try notebook.render(store: store, summary: summary) else {
            print("report: \(directory)/report.md is up to date (nothing changed since it was rendered)")
            return
        }
        print(String(format: "report: %@/report.md (rendered in %.2f s)", directory, (ContinuousClock.now - start).seconds))
        for failure in report.failures { printError("cell \(failure.cell) of \(file) failed: \(failure.message)") }
        if !report.failures.isEmpty { throw ExitCode.failure }
    }

    /// `--render-only`: the report of what is stored; cells not stored are reported as not run.
    func renderStored(_ notebook: NotebookRun, store: ResultsStore) throws {
        let stored = try store.completedHashes(status: .ok)
        let cells = notebook.experiment.cells
        let missing = cells.filter { !stored.contains($0.hash) }.count
        print("\(file): \(cells.count - missing) of \(cells.count) cells stored ok" + (missing > 0 ? ", \(missing) not run (rendered as such)" : ""))
        guard let report = try notebook.render(store: store, summary: nil) else {
            print("report: \(notebook.directory)/report.md is up to date (nothing changed since it was rendered)")
            return
        }
        print("report: \(notebook.directory)/report.md")
        for failure in report.failures { printError("cell \(failure.cell) of \(file) failed: \(failure.message)") }
        if !report.failures.isEmpty { throw ExitCode.failure }
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
