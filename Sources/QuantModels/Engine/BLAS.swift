import CBLAS
import QuantCore

/// Single-precision matrix products through OpenBLAS (Debian's `libopenblas0-pthread`).
///
/// Thread policy: the engine parallelises evaluation across batches itself (one batch per core),
/// so it calls BLAS with ``threads`` = 1 while it does; a single stream of batches (calibration,
/// which must observe batches in order) sets it to the core count so each product uses both
/// cores. Never both at once: that would run 2 × 2 threads on 2 cores.
public enum BLAS {
    /// OpenBLAS's thread count for the following products (process-wide).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Runs `body` with OpenBLAS on `count` threads, then restores the previous count.
    public static func withThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let previous = threads
        threads = count
        defer { threads = previous }
        return try body()
    }

    /// C = A·B (+ C when `accumulate`), row-major, with `A` m×k (or k×m when `transposeA`),
    /// `B` k×n (or n×k when `transposeB`) and leading dimensions as stored.
    static func sgemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, accumulate: Bool = false
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
    }
}

extension BLAS {
    /// GFLOP/s of C = A·Bᵀ for m×k and n×k matrices on `threads` threads (best of `repeats`):
    /// the engine's Linear-layer product.
    public static func measureGFLOPS(m: Int, n: Int, k: Int, threads: Int, repeats: Int = 5) -> Double {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
        var c = [Float](repeating: 0, count: m * n)
        let best = withThreads(threads) {
            bestTime(repeats: repeats) {
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            sgemm(m, n, k, a.baseAddress!, lda: k, b.baseAddress!, ldb: k, transposeB: true, c.baseAddress!, ldc: n)
                        }
                    }
                }
            }
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }
}
