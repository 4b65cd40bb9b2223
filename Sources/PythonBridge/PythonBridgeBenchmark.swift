import Foundation
import QuantCore

/// Measurements of the bridge's copies, compared with a peer in the same run.
public enum PythonBridgeBenchmark {
    /// The time to turn a numpy array into a tensor, and to `memcpy` the same bytes.
    public struct CopyMeasurement: Codable, Sendable {
        /// Number of float32 elements.
        public var count: Int
        public var bytes: Int
        /// Best of the runs: `NumpyBridge.tensor(fromNumpy:)` on a C-contiguous float32 array.
        public var numpySeconds: Double
        /// Best of the runs: a strided (Fortran-order) float32 array, the general path.
        public var stridedSeconds: Double
        /// Best of the runs: `memcpy` of the same bytes into a freshly allocated `[Float]`.
        public var memcpySeconds: Double
        /// Best of the runs: `memcpy` into a destination whose pages are already resident
        /// (memory bandwidth alone, no page faults).
        public var residentMemcpySeconds: Double

        /// numpy → Tensor time relative to the plain copy (1 means as fast as `memcpy`).
        public var relativeToMemcpy: Double { numpySeconds / memcpySeconds }
        /// Throughput of the numpy → Tensor copy in GB/s.
        public var numpyGigabytesPerSecond: Double { Double(bytes) / numpySeconds / 1e9 }
        /// Throughput of the plain copy in GB/s.
        public var memcpyGigabytesPerSecond: Double { Double(bytes) / memcpySeconds / 1e9 }
    }

    /// Times numpy → Tensor for `count` float32 values against a plain memory copy.
    ///
    /// The plain copy allocates a fresh `[Float]` each run, as the bridge does (so both pay the
    /// destination's page faults; the bridge asks for huge pages, see `adviseHugePages`); a
    /// second peer copies into resident memory. Each takes the best of `runs`. The strided case
    /// reads a Fortran-order 2-D array through the general path.
    ///
    /// - Parameters:
    ///   - count: Number of float32 elements (64M = 64 * 1024 * 1024 for the figure).
    ///   - runs: Repetitions; the fastest counts.
    /// - Returns: The measurement.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` without numpy.
    public static func numpyToTensor(count: Int, runs: Int = 3) throws -> CopyMeasurement {
        let rows = 1024
        let ns = try Python.run("""
            import numpy as np
            a = np.random.default_rng(0).standard_normal(\(count), dtype=np.float32)
            f = np.asfortranarray(a[: \(count / rows * rows)].reshape(\(rows), -1))
            """)
        let array = try ns.item("a")
        let fortran = try ns.item("f")
        let numpy = try bestTime(repeats: runs) { _ = try NumpyBridge.tensor(fromNumpy: array, name: "bench") }
        let strided = try bestTime(repeats: runs) { _ = try NumpyBridge.tensor(fromNumpy: fortran, name: "bench") }
        let source = try NumpyBridge.tensor(fromNumpy: array, name: "source").values
        let memcpy = bestTime(repeats: runs) {
            let copy = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                source.withUnsafeBytes { bytes in
                    if let from = bytes.baseAddress, let to = buffer.baseAddress {
                        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: bytes.count)
                    }
                }
                initialized = count
            }
            withExtendedLifetime(copy) {}
        }
        var resident = [Float](repeating: 0, count: count)
        let residentMemcpy = bestTime(repeats: runs) {
            resident.withUnsafeMutableBytes { to in
                source.withUnsafeBytes { from in
                    if let base = from.baseAddress, let to = to.baseAddress { to.copyMemory(from: base, byteCount: from.count) }
                }
            }
        }
        return CopyMeasurement(
            count: count, bytes: count * MemoryLayout<Float>.size, numpySeconds: numpy, stridedSeconds: strided,
            memcpySeconds: memcpy, residentMemcpySeconds: residentMemcpy)
    }
}
