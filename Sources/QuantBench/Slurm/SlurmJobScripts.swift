import Foundation

/// The two batch scripts a grid run on Slurm submits: a job array whose task I runs shard I,
/// and a merge job, dependent on the array, that merges the shard stores and renders the report
/// exactly as a local run does (`--render-only`: it computes no missing cell, so a re-run of
/// the submission knows which shards to resubmit). Both are written next to the results so they can be read or
/// resubmitted by hand.
///
/// Assumptions (README, "Running a grid on a Slurm cluster"): the results folder, the asset
/// cache (`QUANTBENCH_ASSETS`) and the `quantbench` binary sit on a filesystem every node sees;
/// each shard writes only its own SQLite file; no task downloads anything.
public struct SlurmJobScripts: Sendable, Equatable {
    /// How the jobs are requested.
    public struct Resources: Sendable, Equatable {
        public var partition: String?
        /// `--time`, e.g. `30:00` or `2-00:00:00`.
        public var time: String?
        public var cpusPerTask: Int
        /// Extra `sbatch` arguments, passed as given.
        public var extraArguments: [String]

        public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int = 2, extraArguments: [String] = []) {
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.extraArguments = extraArguments
        }
    }

    /// The array job's script.
    public var array: String
    /// The merge job's script.
    public var merge: String

    /// - Parameters:
    ///   - binary: The absolute path of the `quantbench` the tasks run.
    ///   - experiment: The experiment file, absolute.
    ///   - results: The results folder, absolute.
    ///   - shards: N; task I runs `--shard I/N`.
    ///   - assets: The asset cache every task reads (`QUANTBENCH_ASSETS`).
    public init(binary: String, experiment: String, results: String, shards: Int, assets: String, name: String, resources: Resources) {
        let logs = results + "/slurm"
        var header = ["#!/bin/bash", "#SBATCH --job-name=quantbench-\(name)", "#SBATCH --cpus-per-task=\(resources.cpusPerTask)"]
        if let partition = resources.partition { header.append("#SBATCH --partition=\(partition)") }
        if let time = resources.time { header.append("#SBATCH --time=\(time)") }
        let environment = [
            "set -euo pipefail",
            "export QUANTBENCH_ASSETS=\(Self.quoted(assets))",
            "cd \(Self.quoted(FileManager.default.currentDirectoryPath))",
        ]
        array = (header + ["#SBATCH --output=\(logs)/shard-%a-of-\(shards).out"] + environment + [
            "\(Self.quoted(binary)) run \(Self.quoted(experiment)) --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" "
                + "--results \(Self.quoted(results)) --jobs \(resources.cpusPerTask) --quiet",
        ]).joined(separator: "\n") + "\n"
        merge = (header.map { $0.replacingOccurrences(of: "quantbench-\(name)", with: "quantbench-\(name)-merge") }
            + ["#SBATCH --output=\(logs)/merge.out"] + environment + [
                "\(Self.quoted(binary)) merge \(Self.quoted(results))/results.shard-*-of-\(shards).sqlite --into \(Self.quoted(results + "/results.sqlite"))",
                "\(Self.quoted(binary)) run \(Self.quoted(experiment)) --results \(Self.quoted(results)) --render-only",
            ]).joined(separator: "\n") + "\n"
    }

    /// `text` single-quoted for bash.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
