import Foundation
import QuantBench
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Killing `quantbench run` (SIGKILL) or interrupting it (Ctrl-C, SIGINT) loses no finished
/// cell, corrupts nothing, and the next run resumes where it stopped.
@Suite(.serialized) struct RunInterruptionTests {
    static let grid = """
        name = "interrupted"
        model = "digits-cnn"
        calibration = { size = 32 }
        calibrator = ["minmax", "percentile", "mse"]
        weights = ["int8", "int4", "fp8-e4m3", "int6"]
        activations = "int8"
        """

    /// Starts `quantbench run` on the 12-cell grid in `scratch`; its standard output goes to the pipe.
    static func launch(in scratch: Scratch) throws -> (Process, Pipe) {
        try grid.write(toFile: scratch.path("grid.toml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("quantbench")
        process.arguments = ["run", "grid.toml", "--quiet"]
        process.currentDirectoryURL = scratch.url
        process.environment = ProcessInfo.processInfo.environment.merging(RunEndToEndTests.environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return (process, out)
    }

    /// Runs the grid and sends `signal` once `cells` cells are stored.
    static func runAndSignal(_ signal: Int32, after cells: Int, in scratch: Scratch) throws -> (Process, Int) {
        let (process, out) = try launch(in: scratch)
        let path = scratch.path("Results/interrupted/results.sqlite")
        var seen = 0
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: path), let rows = try? ResultsStore(path: path).rows() { seen = rows.count }
            if seen >= cells || !process.isRunning { break }
            usleep(50_000)
        }
        kill(process.processIdentifier, signal)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process, seen)
    }

    @Test func sigkillLosesNoFinishedCellAndTheNextRunResumes() throws {
        let scratch = try Scratch()
        let (process, seen) = try Self.runAndSignal(SIGKILL, after: 3, in: scratch)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        let store = try ResultsStore(path: scratch.path("Results/interrupted/results.sqlite"))
        try store.checkIntegrity()
        let kept = try store.rows()
        #expect(kept.count >= seen && kept.count < 12, "\(kept.count) stored of 12, \(seen) seen before the kill")
        #expect(kept.allSatisfy { $0.status == .ok && $0.metrics["top1"] != nil })
        let resumed = try CLIRunner.run(["run", "grid.toml"], in: scratch.url, environment: RunEndToEndTests.environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\(12 - kept.count) ran (\(12 - kept.count) ok, 0 failed), \(kept.count) already stored"), "\(resumed.stdout)")
        #expect(try store.rows().count == 12)
    }

    @Test func ctrlCStopsAfterTheCellsInFlightAndSaysHowToResume() throws {
        let scratch = try Scratch()
        let (process, out) = try Self.launch(in: scratch)
        let path = scratch.path("Results/interrupted/results.sqlite")
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: path), let rows = try? ResultsStore(path: path).rows(), !rows.isEmpty { break }
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGINT)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(printed)")
        let stored = try ResultsStore(path: path).rows().count
        #expect(stored >= 1 && stored < 12)
        #expect(printed.contains("stopped: \(12 - stored) cells not run; finished cells are stored. Resume with: quantbench run grid.toml"), "\(printed)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("Results/interrupted/report.md")), "no report from a partial run")
    }
}
