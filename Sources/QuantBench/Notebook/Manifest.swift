import Foundation
import QuantModels

/// `manifest.json`: what produced the results — versions, hashes, seeds, timings, machine.
struct Manifest: Encodable {
    struct Machine: Encodable {
        var cores: Int
        var memoryBytes: UInt64
        var cpu: String
        var os: String
    }

    var experiment: String
    var file: String
    var workbenchVersion: String
    var gitCommit: String?
    var written: String
    var machine: Machine
    var cells: [String: Int]
    var plugins: [String]
    var modelFiles: [String: String]
    var calibrationSets: [String: String]
    var run: RunSummary?

    init(name: String, experiment: Experiment, records: [CellRecord], summary: RunSummary?) {
        self.experiment = name
        file = experiment.file.file
        workbenchVersion = QuantBench.workbenchVersion
        gitCommit = GitRevision.current()
        written = ISO8601DateFormatter().string(from: Date())
        let info = ProcessInfo.processInfo
        machine = Machine(cores: info.activeProcessorCount, memoryBytes: info.physicalMemory, cpu: Self.cpuModel(), os: info.operatingSystemVersionString)
        cells = [
            "total": experiment.cells.count, "ok": records.filter { $0.status == .ok }.count,
            "failed": records.filter { $0.status == .failed }.count,
        ]
        plugins = Array(Set(experiment.grids.flatMap { $0.canonicalNames.values.flatMap(\.values) })).sorted()
        var files: [String: String] = [:], calibration: [String: String] = [:]
        for record in records {
            guard let text = record.provenanceJSON, let provenance = try? StoreJSON.decode([String: [String: String]].self, from: text) else { continue }
            files.merge(provenance["model_files"] ?? [:]) { first, _ in first }
            if let data = provenance["data"], let key = data["calibration"], let digest = data["calibration_sha256"] {
                calibration[(record.axes["model"] ?? "") + " " + key] = digest
            }
        }
        modelFiles = files
        calibrationSets = calibration
        run = summary
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown" } ?? "unknown"
    }
}
