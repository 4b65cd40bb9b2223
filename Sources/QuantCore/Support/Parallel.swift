import Dispatch
import Synchronization

/// A pointer handed to parallel workers that write disjoint parts of one buffer.
///
/// `@unchecked Sendable` is justified only where every worker touches a range no other
/// worker touches: use it only with ``parallelChunks(_:workers:_:)``, each chunk writing its own range.
public struct SharedPointer<Pointee>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Pointee>

    public init(base: UnsafeMutablePointer<Pointee>) { self.base = base }
}

/// Runs `body(range)` over `0..<count` split into contiguous chunks, on up to `workers`
/// threads, and returns the chunks' results in order. The first error thrown wins.
public func parallelChunks<Result: Sendable>(
    _ count: Int, workers: Int, _ body: @Sendable (Range<Int>) throws -> Result
) throws -> [Result] {
    let chunks = Swift.max(1, Swift.min(workers, count))
    if chunks == 1 { return [try body(0..<count)] }
    let results = Mutex<[Int: Swift.Result<Result, any Error>]>([:])
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lower = count * c / chunks, upper = count * (c + 1) / chunks
        let outcome = Swift.Result { try body(lower..<upper) }
        results.withLock { $0[c] = outcome }
    }
    return try results.withLock { all in try (0..<chunks).map { try all[$0]!.get() } }
}

/// Runs `body(range)` over `0..<count` cut into blocks of `blockSize` (the last may be
/// shorter), on up to `workers` threads, and returns the blocks' results in order.
///
/// Unlike ``parallelChunks(_:workers:_:)``, the blocks do not depend on `workers`, so results
/// that are reduced block by block (floating-point sums) are the same bit for bit whatever the
/// thread count. The first error thrown wins.
public func parallelBlocks<Result: Sendable>(
    _ count: Int, blockSize: Int, workers: Int, _ body: @Sendable (Range<Int>) throws -> Result
) throws -> [Result] {
    let size = Swift.max(1, blockSize)
    let blocks = (count + size - 1) / size
    guard blocks > 1 else { return [try body(0..<count)] }
    let results = Mutex<[Int: Swift.Result<Result, any Error>]>([:])
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(workers, blocks))) { _ in
        while true {
            let b = next.add(1, ordering: .relaxed).oldValue
            guard b < blocks else { return }
            let outcome = Swift.Result { try body((b * size)..<Swift.min(count, (b + 1) * size)) }
            results.withLock { $0[b] = outcome }
        }
    }
    return try results.withLock { all in try (0..<blocks).map { try all[$0]!.get() } }
}
