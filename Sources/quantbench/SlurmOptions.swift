import ArgumentParser
import Foundation
import QuantBench
import QuantModels

/// `quantbench run --backend slurm …`: the grid as a Slurm job array plus a dependent merge job.
struct SlurmOptions: ParsableArguments {
    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    @Option(help: "local (the default) or slurm: submit the shards as a job array and a dependent merge job.")
    var backend: Backend = .local

    @Option(help: "Shards (array tasks) for --backend slurm.")
    var shards: Int = 4

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm time limit per task, e.g. 30:00.")
    var time: String?

    @Option(help: "CPUs per array task (each task runs that many cells at once).")
    var cpusPerTask: Int = 2

    @Option(parsing: .unconditionalSingleValue, help: "An extra sbatch argument (repeatable), e.g. --sbatch-arg=--account=lab.")
    var sbatchArg: [String] = []

    /// Submits the shards that still miss cells, then the merge job; prints the job ids and how
    /// to watch them.
    func submit(_ notebook: NotebookRun, file: String) throws {
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
        let results = URL(fileURLWithPath: notebook.directory).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        let cells = notebook.experiment.cells.map(\.hash)
        let missing = try SlurmSubmission.missingShards(cellHashes: cells, count: shards, results: results)
        guard !missing.isEmpty else {
            print("every cell of \(file) is stored in \(results): nothing to submit (quantbench run \(file) --results \(results) renders the report)")
            return
        }
        let resources = SlurmJobScripts.Resources(partition: partition, time: time, cpusPerTask: cpusPerTask, extraArguments: sbatchArg)
        let scripts = SlurmJobScripts(
            binary: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path,
            experiment: URL(fileURLWithPath: file).standardizedFileURL.path, results: results, shards: shards,
            assets: AssetStore.default.root, name: notebook.name, resources: resources)
        let submission = SlurmSubmission(scripts: scripts, resources: resources, directory: results + "/slurm")
        let jobs = try submission.submit(shards: missing)
        print("""
            submitted \(file): \(cells.count) cells in \(shards) shards; shards to run: \(missing.map(String.init).joined(separator: ","))
              job array \(jobs.array) (results/slurm/array.sh), merge job \(jobs.merge) after it (results/slurm/merge.sh)
              watch:   squeue -j \(jobs.array),\(jobs.merge)     accounting (if enabled): sacct -j \(jobs.array),\(jobs.merge)
              logs:    \(results)/slurm/shard-<I>-of-\(shards).out, \(results)/slurm/merge.out
              results: \(results)/report.md when the merge job is done; run this command again to resubmit the shards still missing cells
            """)
    }
}
