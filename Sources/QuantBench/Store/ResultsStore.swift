import Foundation
import GRDB

/// The results store: one SQLite file (`results.sqlite`) holding every finished grid cell.
///
/// Each ``record(_:)`` is one transaction, committed before it returns, so an interrupted run
/// loses nothing and a re-run skips what ``completedHashes(status:)`` lists. The file is in WAL
/// mode with `synchronous=FULL`: a commit is on disk (the WAL fsynced) when `record` returns, so a
/// cell survives SIGKILL of the writer and also a crash of the machine, at the price of one fsync
/// per cell — nothing beside the seconds a cell takes to evaluate. Shards of a grid each write
/// their own store and ``merge(from:)`` joins them by hash. Keep the file on a local disk: WAL
/// needs shared memory, which network file systems do not give.
///
/// Tables: `cells` (one row per cell, JSON text columns), `metrics` (hash, name, value) for SQL
/// pivots, and `store_schema` (application, version).
public final class ResultsStore: Sendable {
    /// The schema version this QuantBench writes.
    public static let schemaVersion = 1
    /// The `application` value in `store_schema` that marks a QuantBench results store.
    static let application = "quantbench-results"

    /// The path of the SQLite file.
    public let path: String
    /// One connection, serializing every access (GRDB's `DatabaseQueue` is thread-safe).
    private let queue: DatabaseQueue

    /// Opens the store at `path`, creating the file and its tables if the file is new or empty.
    ///
    /// - Parameter path: the SQLite file, usually `Results/<experiment>/results.sqlite`.
    /// - Throws: ``ResultsStoreError``: `.notADatabase` for a file that is not SQLite,
    ///   `.foreignDatabase` for another program's database, `.newerSchema`, `.corrupt`, `.sqlite`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "ResultsStore"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                let isNew = try StoreSchema.validate(db, path: path)
                // Only now that the file is known to be ours (or empty) do we change it.
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw ResultsStoreError.sqlite(path: path, operation: "switch to WAL mode", detail: "journal mode stayed \(mode ?? "?")")
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
                if isNew { try db.inTransaction(.immediate) { try StoreSchema.create(db); return .commit } }
            }
        } catch {
            throw Self.mapped(error, path: path, operation: "open the results store")
        }
    }

    /// Records one finished (or failed) cell, replacing any row with the same hash.
    ///
    /// One transaction: the `cells` row and its `metrics` rows appear together or not at all.
    /// - Throws: ``ResultsStoreError/sqlite(path:operation:detail:)`` if SQLite refuses the write.
    public func record(_ row: CellRecord) throws {
        let axes: String, metrics: String
        do {
            axes = try StoreJSON.encode(row.axes)
            metrics = try StoreJSON.encode(row.metrics)
        } catch {
            throw ResultsStoreError.badRow(path: path, hash: row.hash, detail: "cannot encode as JSON: \(error)")
        }
        try write("record cell \(row.hash)") { db in
            try db.execute(sql: "DELETE FROM metrics WHERE hash = ?", arguments: [row.hash])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO cells (\(StoreSchema.cellColumns))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row.hash, row.experiment, axes, row.status.rawValue, row.error, metrics, row.reportJSON,
                    row.timingsJSON, row.provenanceJSON, row.startedAt.timeIntervalSince1970,
                    row.finishedAt.timeIntervalSince1970,
                ])
            for (name, value) in row.metrics.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO metrics (hash, name, value) VALUES (?, ?, ?)",
                    arguments: [row.hash, name, value.isNaN ? nil : value])
            }
        }
    }

    /// Whether a cell with this hash is recorded (whatever its status).
    public func hasCell(hash: String) throws -> Bool {
        try read("look up cell \(hash)") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cells WHERE hash = ?)", arguments: [hash]) ?? false
        }
    }

    /// The hashes of the recorded cells, all of them or only those with `status`.
    public func completedHashes(status: CellRecord.Status? = nil) throws -> Set<String> {
        try read("list recorded cells") { db in
            if let status {
                return Set(try String.fetchAll(db, sql: "SELECT hash FROM cells WHERE status = ?", arguments: [status.rawValue]))
            }
            return Set(try String.fetchAll(db, sql: "SELECT hash FROM cells"))
        }
    }

    /// The recorded cells, oldest first, optionally of one experiment and with given axis values.
    ///
    /// - Parameters:
    ///   - experiment: only cells of this experiment; `nil` for all.
    ///   - axes: only cells whose axes include every one of these name → value pairs.
    /// - Throws: ``ResultsStoreError/badRow(path:hash:detail:)`` for a row that does not decode.
    public func rows(experiment: String? = nil, where axes: [String: String] = [:]) throws -> [CellRecord] {
        let path = self.path
        let rows = try read("read cells") { db in
            let select = "SELECT \(StoreSchema.cellColumns) FROM cells"
            let order = " ORDER BY started_at, hash"
            if let experiment {
                return try Row.fetchAll(db, sql: select + " WHERE experiment = ?" + order, arguments: [experiment])
            }
            return try Row.fetchAll(db, sql: select + order)
        }
        return try rows.map { try StoreSchema.decode($0, path: path) }
            .filter { record in axes.allSatisfy { record.axes[$0.key] == $0.value } }
    }

    /// Deletes a cell and its metrics (`--force` re-runs it).
    ///
    /// - Returns: whether the cell was there.
    @discardableResult
    public func delete(hash: String) throws -> Bool {
        try write("delete cell \(hash)") { db in
            try db.execute(sql: "DELETE FROM metrics WHERE hash = ?", arguments: [hash])
            try db.execute(sql: "DELETE FROM cells WHERE hash = ?", arguments: [hash])
            return db.changesCount > 0
        }
    }

    /// Runs SQLite's `PRAGMA integrity_check`.
    ///
    /// - Throws: ``ResultsStoreError/corrupt(path:detail:)`` with SQLite's findings if it is not "ok".
    public func checkIntegrity() throws {
        let findings = try read("check integrity") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        guard findings == ["ok"] else {
            throw ResultsStoreError.corrupt(path: path, detail: findings.prefix(5).joined(separator: "; "))
        }
    }

    // MARK: - Access

    /// Runs `body` in one immediate transaction, mapping errors to ``ResultsStoreError``.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.inDatabase { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.mapped(error, path: path, operation: operation)
        }
    }

    /// Runs `body` without a write transaction, mapping errors to ``ResultsStoreError``.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.inDatabase(body)
        } catch {
            throw Self.mapped(error, path: path, operation: operation)
        }
    }

    /// `error` as a ``ResultsStoreError`` naming `path`.
    static func mapped(_ error: any Error, path: String, operation: String) -> ResultsStoreError {
        if let error = error as? ResultsStoreError { return error }
        guard let error = error as? DatabaseError else {
            return .sqlite(path: path, operation: operation, detail: String(describing: error))
        }
        let detail = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path, detail: detail)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
        default: return .sqlite(path: path, operation: operation, detail: detail)
        }
    }
}
