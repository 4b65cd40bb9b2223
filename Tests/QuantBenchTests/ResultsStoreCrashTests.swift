import Foundation
import QuantBench
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Kills a writer with SIGKILL in the middle of recording and checks what it left behind.
@Suite("ResultsStore crash safety")
struct ResultsStoreCrashTests {
    @Test func storeSurvivesSIGKILLOfItsWriter() throws {
        let scratch = try Scratch()
        let file = scratch.path("results.sqlite")
        let acknowledged = try runWriterAndKill(path: file, cells: 100_000, killAfter: 40)
        #expect(acknowledged.count >= 40)

        let store = try ResultsStore(path: file)
        try store.checkIntegrity()
        #expect(try sqlite(file, "PRAGMA integrity_check") == "ok")
        let rows = try store.rows()
        let hashes = Set(rows.map(\.hash))
        // Every cell the writer reported as recorded is there (the commit came before the print).
        for index in acknowledged { #expect(hashes.contains(String(format: "selftest-%06d", index))) }
        #expect(rows.count <= acknowledged.count + 1)
        // Every row present is whole: its JSON parses and its metrics rows match.
        for row in rows {
            let report = try JSONSerialization.jsonObject(with: Data((row.reportJSON ?? "").utf8)) as? [String: Any]
            #expect((report?["filler"] as? String)?.count == 64 * 1024, "cell \(row.hash)")
            #expect(row.metrics.count == 2)
        }
        #expect(try sqlite(file, "SELECT COUNT(*) FROM metrics") == "\(rows.count * 2)")

        // Writing resumes, in process and from a new writer.
        try store.record(sampleCell(1))
        let resumed = try CLIRunner.run(["store-selftest-writer", file, "3", "--first", "500000"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try store.rows().count == rows.count + 4)
    }

    /// Starts `quantbench store-selftest-writer`, waits until it has printed `killAfter` commits,
    /// sends SIGKILL, and returns the indices it acknowledged.
    private func runWriterAndKill(path: String, cells: Int, killAfter: Int) throws -> [Int] {
        let process = Process()
        process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("quantbench")
        process.arguments = ["store-selftest-writer", path, "\(cells)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let reader = out.fileHandleForReading
        while process.isRunning, text.split(separator: "\n").count < killAfter {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .uncaughtSignal, "the writer ended before it was killed")
        // Only whole lines count (each is one short write, so a cut line is not expected anyway).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.compactMap { line in
            line.hasPrefix("recorded ") ? Int(line.dropFirst("recorded ".count)) : nil
        }
    }
}
