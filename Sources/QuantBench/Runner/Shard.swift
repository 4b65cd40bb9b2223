import Foundation

/// One of N parts of a grid, chosen by cell hash: `--shard I/N`.
///
/// A cell belongs to shard `h mod N`, with `h` the first 64 bits of its content hash, so the
/// same cell lands in the same shard on every machine and every run, the shards are disjoint
/// and together they are the whole grid. Shards are numbered 0…N−1, as Slurm numbers the tasks
/// of a job array (`$SLURM_ARRAY_TASK_ID`).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// - Throws: ``ShardError`` unless `0 ≤ index < count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else { throw ShardError(text: "\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    ///
    /// - Throws: ``ShardError`` naming the text and the expected form.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let count = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { throw ShardError(text: text) }
        try self.init(index: index, count: count)
    }

    /// Whether the cell with this content hash (hex SHA-256) belongs to the shard.
    public func contains(hash: String) -> Bool {
        guard let prefix = UInt64(hash.prefix(16), radix: 16) else { return index == 0 }
        return Int(prefix % UInt64(count)) == index
    }

    /// The shard's own store file name: `results.shard-I-of-N.sqlite`.
    public var storeFileName: String { "results.shard-\(index)-of-\(count).sqlite" }

    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that is not `I/N` with `0 ≤ I < N`.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "--shard '\(text)' is not I/N with 0 ≤ I < N (shards are numbered 0…N−1, like Slurm array task ids: --shard 0/4 … --shard 3/4)"
    }
}
