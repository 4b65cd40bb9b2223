import Foundation

/// Submits a grid to Slurm: the shards that still miss cells as one job array, then the merge
/// job that depends on it (`afterany`, so it merges whatever finished and a re-run resubmits
/// only what is still missing).
public struct SlurmSubmission: Sendable {
    public var scripts: SlurmJobScripts
    public var resources: SlurmJobScripts.Resources
    /// Where `array.sh`, `merge.sh` and the task logs go (`<results>/slurm`).
    public var directory: String

    public init(scripts: SlurmJobScripts, resources: SlurmJobScripts.Resources, directory: String) {
        self.scripts = scripts
        self.resources = resources
        self.directory = directory
    }

    /// The job ids of a submission.
    public struct Jobs: Sendable, Equatable {
        public var array: String
        public var merge: String
    }

    /// The shards (0…count−1) with a cell not stored as ok, neither in the merged store nor in
    /// the shard's own store.
    public static func missingShards(cellHashes: [String], count: Int, results: String) throws -> [Int] {
        let merged = try okHashes(results + "/results.sqlite")
        var missing: [Int] = []
        for index in 0..<count {
            let shard = try Shard(index: index, count: count)
            let mine = cellHashes.filter { shard.contains(hash: $0) && !merged.contains($0) }
            guard !mine.isEmpty else { continue }
            let stored = try okHashes(results + "/" + shard.storeFileName)
            if mine.contains(where: { !stored.contains($0) }) { missing.append(index) }
        }
        return missing
    }

    private static func okHashes(_ path: String) throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try ResultsStore(path: path).completedHashes(status: .ok)
    }

    /// Writes the scripts and submits the array over `shards`, then the merge job.
    ///
    /// - Throws: ``SlurmError/sbatchNotFound`` when `sbatch` is not on `PATH`;
    ///   ``SlurmError/sbatchRefused(command:message:)`` with Slurm's own message.
    public func submit(shards: [Int]) throws -> Jobs {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let arrayPath = directory + "/array.sh", mergePath = directory + "/merge.sh"
        try scripts.array.write(toFile: arrayPath, atomically: true, encoding: .utf8)
        try scripts.merge.write(toFile: mergePath, atomically: true, encoding: .utf8)
        let sbatch = try Self.sbatchPath()
        let list = shards.map(String.init).joined(separator: ",")
        let array = try Self.run(sbatch, ["--parsable", "--array=\(list)"] + resources.extraArguments + [arrayPath])
        let merge = try Self.run(sbatch, ["--parsable", "--dependency=afterany:\(array)"] + resources.extraArguments + [mergePath])
        return Jobs(array: array, merge: merge)
    }

    /// `sbatch` on `PATH`.
    static func sbatchPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/sbatch"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw SlurmError.sbatchNotFound
    }

    /// Runs `sbatch` and returns the job id it prints with `--parsable` (`id` or `id;cluster`).
    static func run(_ sbatch: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile(), error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let id = text.split(separator: ";").first.map(String.init) ?? ""
        guard process.terminationStatus == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError.sbatchRefused(
                command: ([sbatch] + arguments).joined(separator: " "),
                message: String(decoding: error, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) + (text.isEmpty ? "" : " " + text))
        }
        return id
    }
}

/// What can go wrong handing a grid to Slurm.
public enum SlurmError: Error, Sendable, Equatable, CustomStringConvertible {
    case sbatchNotFound
    case sbatchRefused(command: String, message: String)

    public var description: String {
        switch self {
        case .sbatchNotFound:
            return "sbatch is not on PATH: --backend slurm submits with Slurm's sbatch (Debian: apt install slurm-client, "
                + "on a machine of the cluster). See README, \"Running a grid on a Slurm cluster\"; without Slurm, run the "
                + "shards yourself with --shard I/N and merge them with quantbench merge."
        case let .sbatchRefused(command, message):
            return "sbatch refused the job (\(command)): \(message.isEmpty ? "no message" : message)"
        }
    }
}
