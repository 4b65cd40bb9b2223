import Foundation
import QuantCore

/// How the engine spreads batches over the cores without oversubscribing them.
///
/// Evaluation runs independent batches on `workers` threads with BLAS single-threaded;
/// calibration runs batches one after another (observers need them in order) with BLAS on
/// every core. See ``BLAS``.
public enum BatchScheduler {
    /// The cores this process may use.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// `work(i)` for every batch `i < count`, on up to `workers` threads; results in batch order.
    /// The first error thrown wins.
    public static func parallel<T: Sendable>(
        _ count: Int, workers: Int = cores, _ work: @Sendable (Int) throws -> T
    ) throws -> [T] {
        let previous = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = previous }
        let chunks = try parallelChunks(count, workers: workers) { range in try range.map(work) }
        return chunks.flatMap { $0 }
    }

    /// `work(i)` for every batch in order on the calling thread, BLAS on every core.
    public static func sequential(_ count: Int, _ work: (Int) throws -> Void) rethrows {
        let previous = BLAS.threads
        BLAS.threads = cores
        defer { BLAS.threads = previous }
        for i in 0..<count { try work(i) }
    }
}
