import Foundation
import GRDB

/// The results store's tables: how they are created, recognized and read back.
enum StoreSchema {
    /// The `cells` columns in the order `record` writes them.
    static let cellColumns = """
        hash, experiment, axes_json, status, error, metrics_json, report_json, timings_json, \
        provenance_json, started_at, finished_at
        """

    /// Checks that the open file is empty or a results store this QuantBench can read.
    ///
    /// - Returns: `true` if the file has no tables yet (a new store).
    /// - Throws: ``ResultsStoreError`` `.foreignDatabase`, `.newerSchema` or `.corrupt`; SQLite's
    ///   own error (`SQLITE_NOTADB`) for a file that is not a database.
    static func validate(_ db: Database, path: String, schema: String = "main") throws -> Bool {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM \(schema).sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if tables.isEmpty { return true }
        guard tables.contains("store_schema"),
            let row = try Row.fetchOne(db, sql: "SELECT application, version FROM \(schema).store_schema LIMIT 1"),
            (try? row.decode(String?.self, forColumn: "application")) == ResultsStore.application
        else {
            throw ResultsStoreError.foreignDatabase(path: path, tables: tables)
        }
        let version = (try? row.decode(Int?.self, forColumn: "version")) ?? 0
        if version > ResultsStore.schemaVersion {
            throw ResultsStoreError.newerSchema(path: path, found: version, supported: ResultsStore.schemaVersion)
        }
        guard tables.contains("cells"), tables.contains("metrics") else {
            throw ResultsStoreError.corrupt(path: path, detail: "the store_schema table is there but cells or metrics is missing")
        }
        return false
    }

    /// Creates the tables (idempotent, so two processes creating one store at once both succeed).
    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS store_schema (application TEXT NOT NULL, version INTEGER NOT NULL);
                INSERT INTO store_schema (application, version)
                    SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM store_schema);
                CREATE TABLE IF NOT EXISTS cells (
                    hash TEXT PRIMARY KEY NOT NULL,
                    experiment TEXT NOT NULL,
                    axes_json TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
                    error TEXT,
                    metrics_json TEXT NOT NULL,
                    report_json TEXT,
                    timings_json TEXT,
                    provenance_json TEXT,
                    started_at REAL NOT NULL,
                    finished_at REAL NOT NULL
                );
                CREATE INDEX IF NOT EXISTS cells_experiment ON cells (experiment);
                CREATE TABLE IF NOT EXISTS metrics (
                    hash TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value REAL,
                    PRIMARY KEY (hash, name)
                );
                CREATE INDEX IF NOT EXISTS metrics_name ON metrics (name);
                """,
            arguments: [ResultsStore.application, ResultsStore.schemaVersion])
    }

    /// A `cells` row (selected with ``cellColumns``) as a ``CellRecord``; a hand-edited row that
    /// does not decode is an error, never a crash.
    static func decode(_ row: Row, path: String) throws -> CellRecord {
        let hash = try? row.decode(String?.self, forColumn: "hash")
        do {
            let statusText = try row.decode(String.self, forColumn: "status")
            guard let status = CellRecord.Status(rawValue: statusText) else {
                throw ResultsStoreError.badRow(path: path, hash: hash ?? "?", detail: "status '\(statusText)' is not 'ok' or 'failed'")
            }
            return CellRecord(
                hash: try row.decode(String.self, forColumn: "hash"),
                experiment: try row.decode(String.self, forColumn: "experiment"),
                axes: try StoreJSON.decode([String: String].self, from: row.decode(String.self, forColumn: "axes_json")),
                status: status, error: try row.decode(String?.self, forColumn: "error"),
                metrics: try StoreJSON.decode([String: Double].self, from: row.decode(String.self, forColumn: "metrics_json")),
                reportJSON: try row.decode(String?.self, forColumn: "report_json"),
                timingsJSON: try row.decode(String?.self, forColumn: "timings_json"),
                provenanceJSON: try row.decode(String?.self, forColumn: "provenance_json"),
                startedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "started_at")),
                finishedAt: Date(timeIntervalSince1970: try row.decode(Double.self, forColumn: "finished_at")))
        } catch let error as ResultsStoreError {
            throw error
        } catch {
            throw ResultsStoreError.badRow(path: path, hash: hash ?? "?", detail: "\(error)")
        }
    }
}
