/// What can go wrong with a results store; each message names the file and what to do.
public enum ResultsStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not an SQLite database (or its header is damaged).
    case notADatabase(path: String, detail: String)
    /// The file is an SQLite database of some other program (it lacks QuantBench's schema table).
    case foreignDatabase(path: String, tables: [String])
    /// The store was written by a newer QuantBench whose schema this one does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// SQLite reports the file as damaged (`SQLITE_CORRUPT`, or `PRAGMA integrity_check` failed).
    case corrupt(path: String, detail: String)
    /// A store to merge from does not exist.
    case missingStore(path: String)
    /// A stored row cannot be decoded (for example its JSON columns were edited by hand).
    case badRow(path: String, hash: String, detail: String)
    /// A store to merge holds cells that cannot join this one: another experiment, another
    /// workbench version, or a cell stored here with different values.
    case mergeRefused(path: String, reason: String)
    /// Any other SQLite failure while doing `operation`.
    case sqlite(path: String, operation: String, detail: String)

    public var description: String {
        switch self {
        case let .notADatabase(path, detail):
            return "\(path) is not an SQLite database (\(detail)). Point the results store at a new file name, "
                + "or move this file away and run again to start a fresh store."
        case let .foreignDatabase(path, tables):
            let listed = tables.isEmpty ? "" : " (it has tables: \(tables.joined(separator: ", ")))"
            return "\(path) is an SQLite database but not a QuantBench results store\(listed). "
                + "Use another file name for the results store; QuantBench will not write into it."
        case let .newerSchema(path, found, supported):
            return "\(path) has results-store schema version \(found), newer than the \(supported) this QuantBench "
                + "understands. Open it with a newer QuantBench, or write to a new store."
        case let .corrupt(path, detail):
            return "\(path) is damaged (\(detail)). Recover what is readable with "
                + "'sqlite3 \(path) .recover | sqlite3 new.sqlite', or move it away and re-run the grid."
        case let .missingStore(path):
            return "No results store at \(path) to merge from. Check the path (each shard writes its own results.sqlite)."
        case let .badRow(path, hash, detail):
            return "\(path): the row of cell \(hash) cannot be read (\(detail)). Delete it with --force to re-run that cell."
        case let .mergeRefused(path, reason):
            return "Not merging \(path): \(reason). Nothing was copied."
        case let .sqlite(path, operation, detail):
            return "\(path): SQLite failed to \(operation): \(detail). Check that the disk has room and that the "
                + "file and its folder are writable (the store needs \(path)-wal and \(path)-shm beside it)."
        }
    }
}
