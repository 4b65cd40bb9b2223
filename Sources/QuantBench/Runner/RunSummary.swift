import Foundation
import Synchronization

/// What a grid run did, for the one-screen summary and the manifest.
public struct RunSummary: Sendable, Codable {
    public var experiment: String
    /// Cells in the experiment.
    public var total: Int
    /// Cells skipped because their hash was already stored.
    public var stored: Int
    /// Cells run and committed now.
    public var ok: Int
    public var failed: Int
    /// Cells neither stored nor run (the run was stopped).
    public var notRun: Int
    /// Wall time of the run, seconds.
    public var seconds: Double
    /// Seconds per phase: shared work (`load`, `fp32`, `observe`, `quantize`, once each) and
    /// per-cell phases summed over cells (`calibrate`, `evaluate`, `record`).
    public var phases: [String: Double]
    /// Failed cells: a description and the error.
    public var failures: [Failure]
    /// Whether the run stopped before every cell ran.
    public var stopped: Bool
    /// The compute floor: for each cell run, one FP32 evaluation of its model and data on
    /// every core (timed in this run), summed; `seconds / computeFloor` is the grid's overhead.
    public var computeFloor: Double = 0
    /// Stored cells costed now by cost models they had not been costed by.
    public var costed: Int = 0

    public struct Failure: Sendable, Codable {
        public var cell: String
        public var hash: String
        public var error: String
    }

    /// Cells run per second of wall time.
    public var cellsPerSecond: Double { seconds > 0 ? Double(ok + failed) / seconds : 0 }

    /// The summary as a few lines of text.
    public func render(resultsDirectory: String?, resumeCommand: String) -> String {
        var lines = [
            "\(experiment): \(total) cells — \(ok + failed) ran (\(ok) ok, \(failed) failed), \(stored) already stored"
                + (notRun > 0 ? ", \(notRun) not run" : "")
                + String(format: ", in %.1f s (%.2f cells/s)", seconds, cellsPerSecond)
        ]
        let order = ["load", "fp32", "observe", "profile", "quantize", "calibrate", "evaluate", "record"]
        let parts = order.compactMap { phase in phases[phase].map { String(format: "%@ %.2f s", phase, $0) } }
        if !parts.isEmpty { lines.append("time: " + parts.joined(separator: " · ") + " (cell phases summed over parallel cells)") }
        if computeFloor > 0 {
            lines.append(
                String(format: "compute floor: %d cells × one FP32 evaluation on all cores = %.1f s; this run took %.2f× that", ok + failed,
                    computeFloor, seconds / computeFloor))
        }
        if costed > 0 { lines.append("costed \(costed) stored cells by the grid's cost models (no re-evaluation)") }
        if !failures.isEmpty {
            lines.append("failed cells:")
            for failure in failures.prefix(10) { lines.append("  \(failure.cell) [\(failure.hash.prefix(12))]: \(failure.error)") }
            if failures.count > 10 { lines.append("  … and \(failures.count - 10) more (see the report)") }
        }
        if stopped {
            lines.append("stopped: \(notRun) cells not run; finished cells are stored. Resume with: \(resumeCommand)")
        }
        if let resultsDirectory { lines.append("results: \(resultsDirectory)") }
        return lines.joined(separator: "\n")
    }
}

/// Collects the outcome of cells finishing on several threads.
final class RunOutcome: Sendable {
    private struct State {
        var ok = 0, failed = 0
        var phases: [String: Double] = [:]
        var failures: [RunSummary.Failure] = []
        var storeError: (any Error)?
        var floor = 0.0
    }

    private let state = Mutex(State())

    func add(_ record: CellRecord, description: String, recordSeconds: Double) {
        let timings = record.timingsJSON.flatMap { try? StoreJSON.decode([String: Double].self, from: $0) } ?? [:]
        state.withLock { state in
            if record.status == .ok { state.ok += 1 } else {
                state.failed += 1
                state.failures.append(RunSummary.Failure(cell: description, hash: record.hash, error: record.error ?? "unknown error"))
            }
            for (phase, seconds) in timings where phase != "shared" { state.phases[phase, default: 0] += seconds }
            state.phases["record", default: 0] += recordSeconds
        }
    }

    /// Adds one cell's share of the compute floor (its FP32 evaluation time).
    func addFloor(_ seconds: Double) { state.withLock { $0.floor += seconds } }

    func storeFailed(_ error: any Error) { state.withLock { if $0.storeError == nil { $0.storeError = error } } }

    var hasStoreError: Bool { state.withLock { $0.storeError != nil } }

    var storeError: (any Error)? { state.withLock { $0.storeError } }

    func summary(name: String, total: Int, stored: Int, stopped: Bool, seconds: Double, shared: [String: Double]) -> RunSummary {
        state.withLock { state in
            RunSummary(
                experiment: name, total: total, stored: stored, ok: state.ok, failed: state.failed,
                notRun: total - stored - state.ok - state.failed, seconds: seconds, phases: state.phases.merging(shared) { $0 + $1 },
                failures: state.failures, stopped: stopped && total - stored - state.ok - state.failed > 0, computeFloor: state.floor)
        }
    }
}

/// The git commit of the working directory, if it is a checkout.
enum GitRevision {
    static func current(directory: String = FileManager.default.currentDirectoryPath) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
