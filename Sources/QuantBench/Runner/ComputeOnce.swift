import Foundation

/// A cache whose values are computed at most once per key, even when several threads ask for
/// the same key at the same time: the first computes, the others wait for its result.
///
/// A failed computation is cached too, so every cell that shares a broken configuration fails
/// with the same error without redoing the work. ``remove(_:)`` frees a value nobody needs.
final class ComputeOnce<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked: `values` and `running` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var values: [Key: Result<Value, any Error>] = [:]
    private var running: Set<Key> = []

    /// The value for `key`, computing it with `compute` if no one has.
    func value(_ key: Key, compute: () throws -> Value) throws -> Value {
        condition.lock()
        while running.contains(key) { condition.wait() }
        if let known = values[key] {
            condition.unlock()
            return try known.get()
        }
        running.insert(key)
        condition.unlock()
        let result = Result { try compute() }
        condition.lock()
        values[key] = result
        running.remove(key)
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Forgets `key`'s value (a later request computes it again).
    func remove(_ key: Key) {
        condition.lock()
        values[key] = nil
        condition.unlock()
    }
}
