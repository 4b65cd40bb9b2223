import Foundation
import GRDB

/// What ``ResultsStore/merge(from:)`` did.
public struct ResultsMergeSummary: Sendable, Equatable, Codable {
    /// Cells copied because their hash was absent here.
    public var copied: Int
    /// Cells skipped because their hash was already here (the existing row is kept).
    public var skipped: Int

    /// Creates a summary.
    public init(copied: Int, skipped: Int) {
        self.copied = copied
        self.skipped = skipped
    }
}

extension ResultsStore {
    /// Copies into this store every cell of another store whose hash is absent here.
    ///
    /// A sharded grid writes one store per shard; merging them by hash gives the whole grid.
    /// A hash present in both keeps this store's row. One transaction: all or nothing.
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
                    let absent = "SELECT hash FROM other.cells WHERE hash NOT IN (SELECT hash FROM main.cells)"
                    try db.execute(
                        sql: "INSERT INTO main.metrics (hash, name, value) SELECT hash, name, value FROM other.metrics WHERE hash IN (\(absent))")
                    try db.execute(
                        sql: """
                            INSERT INTO main.cells (\(StoreSchema.cellColumns))
                            SELECT \(StoreSchema.cellColumns) FROM other.cells WHERE hash NOT IN (SELECT hash FROM main.cells)
                            """)
                    summary = ResultsMergeSummary(copied: db.changesCount, skipped: total - db.changesCount)
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
}
