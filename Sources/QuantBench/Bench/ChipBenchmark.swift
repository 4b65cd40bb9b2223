import Foundation
import QuantCore
import QuantModels

/// This machine's roofline figures, measured: peak FP32 throughput and memory bandwidth.
///
/// Peak: the best of `repeats` OpenBLAS sgemm products C = A·Bᵀ of n×n matrices (2·n³ FLOPs),
/// on every core and on one. Bandwidth: STREAM's copy (a = b) and triad (a = b + s·c) over
/// float32 arrays far larger than the last-level cache, split across every core, counted as
/// STREAM counts them (copy 8 B, triad 12 B per element; write-allocate traffic not counted).
public struct ChipBenchmark: Sendable, Codable {
    public var cpu: String
    public var cores: Int
    public var date: String
    public var gemmSize: Int
    public var fp32GflopsAllCores: Double
    public var fp32GflopsOneCore: Double
    public var copyGBPerSecond: Double
    public var triadGBPerSecond: Double

    /// Measures this machine.
    ///
    /// - Parameters:
    ///   - gemmSize: n of the n×n sgemm (2048: 17 GFLOP per product).
    ///   - streamElements: float32 elements per STREAM array (3 arrays are allocated).
    public static func measure(gemmSize: Int = 2048, streamElements: Int = 1 << 25, repeats: Int = 5) -> ChipBenchmark {
        let cores = BatchScheduler.cores
        let all = BLAS.measureGFLOPS(m: gemmSize, n: gemmSize, k: gemmSize, threads: cores, repeats: repeats)
        let one = BLAS.measureGFLOPS(m: gemmSize, n: gemmSize, k: gemmSize, threads: 1, repeats: repeats)
        let (copy, triad) = stream(count: streamElements, workers: cores, repeats: repeats)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return ChipBenchmark(
            cpu: cpuModel(), cores: cores, date: formatter.string(from: Date()), gemmSize: gemmSize, fp32GflopsAllCores: all,
            fp32GflopsOneCore: one, copyGBPerSecond: copy, triadGBPerSecond: triad)
    }

    /// STREAM copy and triad bandwidth in GB/s (best of `repeats`).
    static func stream(count: Int, workers: Int, repeats: Int) -> (copy: Double, triad: Double) {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let pa = SharedPointer(base: a), pb = SharedPointer(base: b), pc = SharedPointer(base: c)
        // First touch in parallel, as STREAM does, so pages are mapped before timing.
        _ = try? parallelChunks(count, workers: workers) { r in
            for i in r { pa.base[i] = 0; pb.base[i] = 1; pc.base[i] = 2 }
        }
        let copy = bestTime(repeats: repeats) {
            _ = try? parallelChunks(count, workers: workers) { r in
                (pa.base + r.lowerBound).update(from: pb.base + r.lowerBound, count: r.count)
            }
        }
        let triad = bestTime(repeats: repeats) {
            _ = try? parallelChunks(count, workers: workers) { r in
                let s: Float = 3
                for i in r { pa.base[i] = pb.base[i] + s * pc.base[i] }
            }
        }
        return (Double(8 * count) / copy / 1e9, Double(12 * count) / triad / 1e9)
    }

    /// The CPU's model name from /proc/cpuinfo, or "unknown CPU".
    static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
            ?? "unknown CPU"
    }

    /// A `chips.toml` entry for this machine, ready to paste (triad bandwidth, all-core peak).
    public func tomlEntry(id: String = "this-cpu") -> String {
        let source = "quantbench bench --chip on \(cpu) (\(cores) cores), \(date)"
        return """
            [\(id)]
            summary = "\(cpu), \(cores) cores (measured; fp32 only: every other precision falls back to fp32)"
            peak_fp32_gflops = { value = \(Self.rounded(fp32GflopsAllCores)), source = "\(source): OpenBLAS sgemm \(gemmSize)³, \(cores) threads", verified = true, note = "one core: \(Self.rounded(fp32GflopsOneCore)) GFLOP/s" }
            memory_gb_per_s = { value = \(Self.rounded(triadGBPerSecond)), source = "\(source): STREAM-style triad, float32, \(cores) threads", verified = true, note = "copy: \(Self.rounded(copyGBPerSecond)) GB/s; STREAM byte counting (no write-allocate)" }
            """
    }

    static func rounded(_ value: Double) -> String { String(format: "%.1f", value) }
}
