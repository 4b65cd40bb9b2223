import Foundation
import QuantCore

/// How the engine spreads batches over the cores without oversubscribing them.
///
/// Evaluation runs independent batches on `workers` threads with BLAS single-threaded;
/// calibration runs batches one after another (observers need them in order) with BLAS on
/// every core. See ``BLAS``.
public enum BatchScheduler {
    /// BLAS threads for in-order batches: 1. OpenBLAS's threads cost more than they gain on
    /// the engine's products (MiniLM's attention multiplies 12 heads of [tokens × 32] per
    /// sequence), and when the other core is busy they spin: calibrating 64 documents took 88 s
    /// with 2 threads against 6 s with 1 while another process used one core.
    public static let sequentialBLASThreads = 1

    /// The cores this process may use.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Caps the workers of ``parallel(_:batchSize:workers:_:)`` for the work bound inside
    /// `BatchScheduler.$workerLimit.withValue(n) { … }` (on any thread): a grid runner that
    /// evaluates two cells at once on two cores gives each one worker.
    @TaskLocal public static var workerLimit: Int?

    /// The workers a parallel evaluation uses: ``workerLimit`` when bound, else ``cores``.
    public static var defaultWorkers: Int { workerLimit ?? cores }

    /// `0..<count` cut into consecutive batches of `size` items (the last one shorter).
    public static func batches(_ count: Int, size: Int) -> [Range<Int>] {
        let size = max(1, size)
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// `work(batch)` for every batch of `batchSize` of `count` items, on up to `workers`
    /// threads; results in batch order. The first error thrown wins.
    public static func parallel<T: Sendable>(
        _ count: Int, batchSize: Int, workers: Int = defaultWorkers, _ work: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        let ranges = batches(count, size: batchSize)
        let chunks = try BLAS.withThreads(1) {
            try parallelChunks(ranges.count, workers: workers) { chunk in try chunk.map { try work(ranges[$0]) } }
        }
        return chunks.flatMap { $0 }
    }

    /// `work(batch)` for every batch of `batchSize` of `count` items, in order on the calling
    /// thread, BLAS on `blasThreads` threads.
    public static func sequential(
        _ count: Int, batchSize: Int, blasThreads: Int = sequentialBLASThreads, _ work: (Range<Int>) throws -> Void
    ) rethrows {
        try BLAS.withThreads(blasThreads) {
            for batch in batches(count, size: batchSize) { try work(batch) }
        }
    }
}
