import Foundation
import GRDB

/// What ``ResultsStore/merge(from:)`` did.
public struct ResultsMergeSummary: Sendable, Equatable, Codable {
    /// Cells copied because their hash was absent here.
    public var copied: Int
    /// Cells skipped because their hash was already here (the existing row is kept).
    public var skipped: Int
    /// Cells stored here as failed that the other store holds as ok (a re-run shard succeeded).
    public var replaced: Int

    /// Creates a summary.
    public init(copied: Int, skipped: Int, replaced: Int = 0) {
        self.copied = copied
        self.skipped = skipped
        self.replaced = replaced
    }
}

extension ResultsStore {
    /// Copies into this store every cell of another store whose hash is absent here, and
    /// replaces a cell failed here by the other store's ok one.
    ///
    /// A sharded grid writes one store per shard; merging them by hash gives the whole grid,
    /// in any order, and merging a store twice changes nothing. A hash ok in both keeps this
    /// store's row, provided the two agree on every metric but the timings. One transaction:
    /// all or nothing.
    /// - Throws: ``ResultsStoreError/mergeRefused(path:reason:)`` when the other store holds
    ///   another experiment's cells, was written by another workbench version, or holds a cell
    ///   whose metrics differ from this store's (naming the cell and the metric).
    /// - Parameter otherStorePath: the other `results.sqlite`; it is only read.
    /// - Returns: how many cells were copied and how many skipped.
    /// - Throws: ``ResultsStoreError`` naming the other file if it is missing, not a database,
    ///   foreign or of a newer schema.
    public func merge(from otherStorePath: String) throws -> ResultsMergeSummary {
        guard FileManager.default.fileExists(atPath: otherStorePath) else {
            throw ResultsStoreError.missingStore(path: otherStorePath)
        }
        if Self.sameFile(path, otherStorePath) {
            // Attaching a file to its own connection would deadlock; every hash is already here.
            return ResultsMergeSummary(copied: 0, skipped: try completedHashes().count)
        }
        do {
            return try attached(otherStorePath) { db in
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM other.cells") ?? 0
                var summary = ResultsMergeSummary(copied: 0, skipped: 0)
                try db.inTransaction(.immediate) {
                    if let reason = try Self.mergeRefusal(db) { throw ResultsStoreError.mergeRefused(path: otherStorePath, reason: reason) }
                    let failedHere = "SELECT m.hash FROM main.cells m JOIN other.cells o ON o.hash = m.hash WHERE m.status = 'failed' AND o.status = 'ok'"
                    let replaced = try String.fetchAll(db, sql: failedHere)
                    for hash in replaced {
                        try db.execute(sql: "DELETE FROM main.metrics WHERE hash = ?", arguments: [hash])
                        try db.execute(sql: "DELETE FROM main.cells WHERE hash = ?", arguments: [hash])
                    }
                    let absent = "SELECT hash FROM other.cells WHERE hash NOT IN (SELECT hash FROM main.cells)"
                    try db.execute(
                        sql: "INSERT INTO main.metrics (hash, name, value) SELECT hash, name, value FROM other.metrics WHERE hash IN (\(absent))")
                    try db.execute(
                        sql: """
                            INSERT INTO main.cells (\(StoreSchema.cellColumns))
                            SELECT \(StoreSchema.cellColumns) FROM other.cells WHERE hash NOT IN (SELECT hash FROM main.cells)
                            """)
                    let inserted = db.changesCount
                    summary = ResultsMergeSummary(copied: inserted - replaced.count, skipped: total - inserted, replaced: replaced.count)
                    return .commit
                }
                return summary
            }
        } catch let error as ResultsStoreError {
            throw error
        } catch {
            throw Self.mapped(error, path: path, operation: "merge from \(otherStorePath)")
        }
    }

    /// Runs `body` with `otherPath` attached as schema `other`, after checking it is a store.
    private func attached<T>(_ otherPath: String, _ body: (Database) throws -> T) throws -> T {
        try read("attach \(otherPath)") { db in
            do {
                try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [otherPath])
            } catch {
                throw Self.mapped(error, path: otherPath, operation: "open the store to merge")
            }
            defer { try? db.execute(sql: "DETACH DATABASE other") }
            do {
                if try StoreSchema.validate(db, path: otherPath, schema: "other") {
                    throw ResultsStoreError.foreignDatabase(path: otherPath, tables: [])
                }
            } catch {
                throw Self.mapped(error, path: otherPath, operation: "read the store to merge")
            }
            return try body(db)
        }
    }

    /// Whether two paths name the same file (same device and inode).
    private static func sameFile(_ first: String, _ second: String) -> Bool {
        let manager = FileManager.default
        guard let a = try? manager.attributesOfItem(atPath: first), let b = try? manager.attributesOfItem(atPath: second),
            let inodeA = a[.systemFileNumber] as? NSNumber, let inodeB = b[.systemFileNumber] as? NSNumber,
            let deviceA = a[.systemNumber] as? NSNumber, let deviceB = b[.systemNumber] as? NSNumber
        else { return false }
        return inodeA == inodeB && deviceA == deviceB
    }

    /// Metrics that measure the run rather than the cell (wall times, thread counts): two runs
    /// of one cell may differ in them and still agree.
    static let timingMetrics = ["seconds", "sim_ms_per_item", "sim_seconds", "sim_threads"]

    /// Why the attached store `other` cannot be merged into `main`, or nil.
    static func mergeRefusal(_ db: Database) throws -> String? {
        let mainExperiments = Set(try String.fetchAll(db, sql: "SELECT DISTINCT experiment FROM main.cells"))
        let otherExperiments = Set(try String.fetchAll(db, sql: "SELECT DISTINCT experiment FROM other.cells"))
        if !mainExperiments.isEmpty, let foreign = otherExperiments.subtracting(mainExperiments).sorted().first {
            return "it holds cells of experiment '\(foreign)', this store those of '\(mainExperiments.sorted().joined(separator: "', '"))'"
        }
        let version = "SELECT DISTINCT json_extract(provenance_json, '$.workbench.version') FROM %@.cells WHERE provenance_json IS NOT NULL"
        let mainVersions = Set(try String?.fetchAll(db, sql: version.replacingOccurrences(of: "%@", with: "main")).compactMap { $0 })
        let otherVersions = Set(try String?.fetchAll(db, sql: version.replacingOccurrences(of: "%@", with: "other")).compactMap { $0 })
        if !mainVersions.isEmpty, let other = otherVersions.subtracting(mainVersions).sorted().first {
            return "it was written by workbench version \(other), this store by \(mainVersions.sorted().joined(separator: ", ")); "
                + "re-run its cells with this version"
        }
        let pairs = try Row.fetchAll(
            db, sql: "SELECT m.hash, m.metrics_json, o.metrics_json FROM main.cells m JOIN other.cells o ON o.hash = m.hash "
                + "WHERE m.status = 'ok' AND o.status = 'ok' AND m.metrics_json != o.metrics_json")
        for row in pairs {
            let hash: String = row[0], mine: String = row[1], theirs: String = row[2]
            guard let a = try? StoreJSON.decode([String: Double].self, from: mine),
                let b = try? StoreJSON.decode([String: Double].self, from: theirs)
            else { return "cell \(hash.prefix(12)) has metrics that cannot be read" }
            let names = Set(a.keys).intersection(b.keys).subtracting(timingMetrics).sorted()
            if let name = names.first(where: { !Self.sameValue(a[$0], b[$0]) }) {
                return "cell \(hash.prefix(12)) is stored in both with a different \(name) "
                    + "(\(a[name].map { String($0) } ?? "absent") here, \(b[name].map { String($0) } ?? "absent") there)"
            }
        }
        return nil
    }

    /// Equal values, NaN equal to NaN (a metric that was NaN in both runs agrees). A metric only
    /// one side has (a cost model added later) is no conflict.
    private static func sameValue(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case let (x?, y?): return x == y || (x.isNaN && y.isNaN)
        case (nil, nil): return true
        default: return false
        }
    }
}
