import Foundation
import QuantBench
import Testing

@Suite("Slurm submission (without a cluster)")
struct SlurmSubmissionTests {
    @Test func scriptsRunOneShardPerArrayTaskThenMergeAndRender() {
        let scripts = SlurmJobScripts(
            binary: "/opt/qb/quantbench", experiment: "/home/ann/it's.md", results: "/shared/Results/x", shards: 4,
            assets: "/shared/assets", name: "x",
            resources: .init(partition: "cpu", time: "30:00", cpusPerTask: 3, extraArguments: ["--account=lab"]))
        #expect(scripts.array.hasPrefix("#!/bin/bash\n#SBATCH --job-name=quantbench-x\n#SBATCH --cpus-per-task=3\n#SBATCH --partition=cpu\n#SBATCH --time=30:00\n"))
        #expect(scripts.array.contains("#SBATCH --output=/shared/Results/x/slurm/shard-%a-of-4.out"))
        #expect(scripts.array.contains("export QUANTBENCH_ASSETS='/shared/assets'"))
        // The quote in the file name is closed, escaped and reopened for bash.
        #expect(scripts.array.contains(#"'/opt/qb/quantbench' run '/home/ann/it'\''s.md' --shard "$SLURM_ARRAY_TASK_ID/4" --results '/shared/Results/x' --jobs 3 --quiet"#))
        #expect(scripts.merge.contains("#SBATCH --job-name=quantbench-x-merge"))
        #expect(scripts.merge.contains("'/opt/qb/quantbench' merge '/shared/Results/x'/results.shard-*-of-4.sqlite --into '/shared/Results/x/results.sqlite'"))
        #expect(scripts.merge.contains("'/opt/qb/quantbench' run '/home/ann/it'\\''s.md' --results '/shared/Results/x' --render-only"))
    }

    @Test func onlyShardsWithMissingCellsAreResubmitted() throws {
        let scratch = try Scratch()
        let results = scratch.path("results")
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        // Hashes whose first 64 bits are 0…7: shard h mod 4.
        let hashes = (0..<8).map { String(format: "%016x", $0) + String(repeating: "0", count: 48) }
        #expect(try SlurmSubmission.missingShards(cellHashes: hashes, count: 4, results: results) == [0, 1, 2, 3])
        // Shard 1's cells (1 and 5) in its own store, shard 2's (2 and 6) merged, shard 3 with one of two.
        func store(_ name: String, _ cells: [Int]) throws {
            let store = try ResultsStore(path: results + "/" + name)
            for i in cells { var cell = sampleCell(i); cell.hash = hashes[i]; try store.record(cell) }
        }
        try store("results.shard-1-of-4.sqlite", [1, 5])
        try store("results.sqlite", [2, 6, 3])
        #expect(try SlurmSubmission.missingShards(cellHashes: hashes, count: 4, results: results) == [0, 3])
        try store("results.shard-3-of-4.sqlite", [7])
        try store("results.shard-0-of-4.sqlite", [0, 4])
        #expect(try SlurmSubmission.missingShards(cellHashes: hashes, count: 4, results: results).isEmpty)
    }

    @Test func withoutSbatchTheErrorNamesThePackageAndTheReadmeSection() throws {
        let scratch = try Scratch()
        let output = try CLIRunner.run(
            ["run", "Experiments/quickstart.md", "--backend", "slurm", "--results", scratch.path("r")],
            environment: ["PATH": "/nonexistent"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("sbatch is not on PATH") && output.stderr.contains("slurm-client")
            && output.stderr.contains("Running a grid on a Slurm cluster"))
    }
}
