import Foundation
import QuantBench
import Testing

/// A record with deterministic content for index `index`.
func sampleCell(_ index: Int, experiment: String = "grid", status: CellRecord.Status = .ok) -> CellRecord {
    CellRecord(
        hash: "hash-\(index)", experiment: experiment,
        axes: ["format": index.isMultiple(of: 2) ? "int4" : "int8", "calibrator": "percentile(99.9)", "path/axis": "a/b"],
        status: status, error: status == .failed ? "shape mismatch in layer \(index)" : nil,
        metrics: ["sqnr_db": 20 + Double(index), "cosine": 0.99, "kl": .infinity, "nan_metric": .nan],
        reportJSON: #"{"model":"digits","index":\#(index),"text":"naïve ✓ \"quoted\""}"#,
        timingsJSON: #"{"evaluate":1.5}"#, provenanceJSON: #"{"git":"abc123","sha256":{"model.safetensors":"00ff"}}"#,
        startedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(index)),
        finishedAt: Date(timeIntervalSince1970: 1_790_000_000.25 + Double(index)))
}

@Suite("ResultsStore")
struct ResultsStoreTests {
    @Test func recordsRoundTrip() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let cells = [sampleCell(1), sampleCell(2, status: .failed), sampleCell(3, experiment: "other")]
        for cell in cells { try store.record(cell) }
        #expect(try store.rows() == cells)
        #expect(try store.rows(experiment: "grid") == Array(cells.prefix(2)))
        #expect(try store.rows(experiment: "grid", where: ["format": "int8"]) == [cells[0]])
        #expect(try store.rows(where: ["format": "fp8"]).isEmpty)
        // A second store on the same file sees what the first committed.
        #expect(try ResultsStore(path: store.path).rows() == cells)
    }

    @Test func hasCellAndCompletedHashes() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        #expect(try !store.hasCell(hash: "hash-1"))
        try store.record(sampleCell(1))
        try store.record(sampleCell(2, status: .failed))
        #expect(try store.hasCell(hash: "hash-1"))
        #expect(try store.hasCell(hash: "hash-2"))
        #expect(try store.completedHashes() == ["hash-1", "hash-2"])
        #expect(try store.completedHashes(status: .ok) == ["hash-1"])
        #expect(try store.completedHashes(status: .failed) == ["hash-2"])
        #expect(try store.delete(hash: "hash-1"))
        #expect(try !store.delete(hash: "hash-1"))
        #expect(try store.completedHashes() == ["hash-2"])
    }

    @Test func reRecordingReplacesTheRowAndItsMetrics() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        try store.record(sampleCell(1, status: .failed))
        var rerun = sampleCell(1)
        rerun.metrics = ["accuracy": 0.5]
        try store.record(rerun)
        #expect(try store.rows() == [rerun])
        let metrics = try sqlite(store.path, "SELECT name, value FROM metrics ORDER BY name")
        #expect(metrics == "accuracy|0.5")
    }

    @Test func mergeCopiesAbsentHashesAndKeepsExistingRows() throws {
        let scratch = try Scratch()
        let main = try ResultsStore(path: scratch.path("shard0.sqlite"))
        let shard = try ResultsStore(path: scratch.path("shard1.sqlite"))
        for index in 0..<4 { try main.record(sampleCell(index)) }
        // The same cell in both stores, timed differently: the timing is no conflict.
        var rerun = sampleCell(3)
        rerun.metrics["seconds"] = 99
        try shard.record(rerun)
        for index in 4..<7 { try shard.record(sampleCell(index)) }

        #expect(try main.merge(from: shard.path) == ResultsMergeSummary(copied: 3, skipped: 1))
        let rows = try main.rows()
        #expect(rows.map(\.hash) == (0..<7).map { "hash-\($0)" })
        #expect(rows.first { $0.hash == "hash-3" } == sampleCell(3))
        #expect(rows.first { $0.hash == "hash-5" } == sampleCell(5))
        #expect(try sqlite(main.path, "SELECT COUNT(*) FROM metrics") == "\(7 * 4)")
        // Merging again copies nothing.
        #expect(try main.merge(from: shard.path) == ResultsMergeSummary(copied: 0, skipped: 4))
        #expect(try main.rows().count == 7)
        // Merging a store into itself is harmless.
        #expect(try main.merge(from: main.path) == ResultsMergeSummary(copied: 0, skipped: 7))
    }

    @Test func mergeFromMissingOrForeignFilesNamesThem() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let missing = scratch.path("absent.sqlite")
        #expect(throws: ResultsStoreError.missingStore(path: missing)) { try store.merge(from: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let foreign = scratch.path("foreign.sqlite")
        _ = try sqlite(foreign, "CREATE TABLE people (name TEXT);")
        #expect(throws: ResultsStoreError.foreignDatabase(path: foreign, tables: ["people"])) { try store.merge(from: foreign) }
        let garbage = scratch.path("garbage.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let error = #expect(throws: ResultsStoreError.self) { try store.merge(from: garbage) }
        guard case .notADatabase(let path, _) = error else {
            Issue.record("expected notADatabase, got \(String(describing: error))")
            return
        }
        #expect(path == garbage)
        #expect(try store.rows().isEmpty)
    }

    @Test func foreignAndCorruptFilesGiveClearErrors() throws {
        let scratch = try Scratch()
        let foreign = scratch.path("foreign.sqlite")
        _ = try sqlite(foreign, "CREATE TABLE people (name TEXT);")
        let error = #expect(throws: ResultsStoreError.self) { try ResultsStore(path: foreign) }
        #expect(error == .foreignDatabase(path: foreign, tables: ["people"]))
        #expect(error?.description.contains(foreign) == true)
        // The foreign file was left as it was (still in rollback-journal mode).
        #expect(try sqlite(foreign, "PRAGMA journal_mode") == "delete")

        let garbage = scratch.path("garbage.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let notADatabase = #expect(throws: ResultsStoreError.self) { try ResultsStore(path: garbage) }
        guard case .notADatabase(let path, _) = notADatabase else {
            Issue.record("expected notADatabase, got \(String(describing: notADatabase))")
            return
        }
        #expect(path == garbage)
        #expect(notADatabase?.description.contains(garbage) == true)
    }

    @Test func handEditedRowsAreErrorsNamingTheCell() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        try store.record(sampleCell(1))
        _ = try sqlite(store.path, "UPDATE cells SET metrics_json = 'not json', started_at = 'noon';")
        let error = #expect(throws: ResultsStoreError.self) { try store.rows() }
        guard case .badRow(let path, let hash, _) = error else {
            Issue.record("expected badRow, got \(String(describing: error))")
            return
        }
        #expect(path == store.path)
        #expect(hash == "hash-1")
    }

    @Test func truncatedStoreIsReportedNotCrashed() throws {
        let scratch = try Scratch()
        let file = scratch.path("results.sqlite")
        do {
            let store = try ResultsStore(path: file)
            for index in 0..<40 { try store.record(sampleCell(index)) }
        }
        _ = try sqlite(file, "PRAGMA wal_checkpoint(TRUNCATE);")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(data.count > 4096)
        // Page 1 (header and schema) stays; every page after it is overwritten.
        var damaged = data
        damaged.replaceSubrange(4096..<data.count, with: Data(repeating: 0xFF, count: data.count - 4096))
        try damaged.write(to: URL(fileURLWithPath: file))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        do {
            let store = try ResultsStore(path: file)
            try store.checkIntegrity()
            _ = try store.rows()
            Issue.record("a damaged store opened and read without an error")
        } catch let error as ResultsStoreError {
            #expect(error.description.contains(file))
        }
    }

    @Test func concurrentRecordsLoseNothing() async throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<25 { try store.record(sampleCell(task * 100 + index)) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.completedHashes().count == 200)
        #expect(try sqlite(store.path, "SELECT COUNT(*) FROM metrics") == "800")
    }

    /// Python's sqlite3 module (another SQLite client) reads the rows back as real SQL rows.
    @Test func rowsAreReadableByPython() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let cells = [sampleCell(1), sampleCell(2, status: .failed)]
        for cell in cells { try store.record(cell) }
        let script = """
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            out = {"journal": db.execute("PRAGMA journal_mode").fetchone()[0],
                   "schema": db.execute("SELECT application, version FROM store_schema").fetchall(),
                   "cells": [dict(hash=h, experiment=e, axes=json.loads(a), status=s, error=err, metrics=json.loads(m),
                                  report=json.loads(r), started=st, finished=fi)
                             for h, e, a, s, err, m, r, st, fi in db.execute(
                                 "SELECT hash, experiment, axes_json, status, error, metrics_json, report_json, "
                                 "started_at, finished_at FROM cells ORDER BY hash")],
                   "sqnr": db.execute("SELECT hash, value FROM metrics WHERE name = 'sqnr_db' ORDER BY hash").fetchall(),
                   "nan": db.execute("SELECT COUNT(*) FROM metrics WHERE name = 'nan_metric' AND value IS NULL").fetchone()[0]}
            print(json.dumps(out, allow_nan=True))
            """
        let output = try python(script, store.path)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(decoded["journal"] as? String == "wal")
        #expect((decoded["schema"] as? [[Any]])?.first?.first as? String == "quantbench-results")
        let rows = try #require(decoded["cells"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["hash"] as? String == "hash-1")
        #expect(rows[0]["axes"] as? [String: String] == cells[0].axes)
        #expect(rows[1]["status"] as? String == "failed")
        #expect(rows[1]["error"] as? String == cells[1].error)
        #expect((rows[0]["report"] as? [String: Any])?["text"] as? String == "naïve ✓ \"quoted\"")
        #expect((rows[0]["metrics"] as? [String: Any])?["kl"] as? String == "Infinity")
        #expect(rows[0]["finished"] as? Double == 1_790_000_001.25)
        #expect((decoded["sqnr"] as? [[Any]])?.map { $0[1] as? Double } == [21, 22])
        #expect(decoded["nan"] as? Int == 2)
    }
}

/// Runs `sql` with the `sqlite3` module of /usr/bin/python3 (not our SQLite binding) and returns
/// the rows as `a|b` lines.
func sqlite(_ path: String, _ sql: String) throws -> String {
    let script = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        rows = db.executescript(sys.argv[2]).fetchall() if sys.argv[2].rstrip().endswith(";") else db.execute(sys.argv[2]).fetchall()
        db.commit()
        print("\\n".join("|".join(str(v) for v in row) for row in rows))
        """
    return try python(script, path, sql).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs a Python script with `/usr/bin/python3`, returning stdout; a non-zero exit is an error.
func python(_ script: String, _ arguments: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonScriptError(message: String(decoding: stderr, as: UTF8.self))
    }
    return String(decoding: stdout, as: UTF8.self)
}

struct PythonScriptError: Error, CustomStringConvertible {
    var message: String
    var description: String { "python3 failed: \(message)" }
}
