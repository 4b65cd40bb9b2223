import ArgumentParser
import Foundation
import PythonBridge
import QuantBench
import QuantCore

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput of the hot paths beside this machine's memory-copy bandwidth, measured in the same run.",
        discussion: """
            Build with -c release for meaningful numbers: swift run -c release quantbench bench
            --chip measures this machine for the roofline cost model instead (peak FP32 sgemm GFLOP/s on all
            cores and one, STREAM copy/triad bandwidth) and prints a chips.toml entry to paste.
            """)

    @Option(help: "Rows and columns of the benchmark tensor.")
    var size: Int = 4096

    @Option(help: "Repetitions per measurement (the best is kept).")
    var repeats: Int = 5

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Measure this machine's roofline figures and print a chips.toml entry (roofline(chip=this-cpu)).")
    var chip = false

    func run() throws {
        if chip { return try runChip() }
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            let tensor = try Benchmarks.gaussianTensor(rows: size, cols: size)
            let copy = Benchmarks.copyBandwidth(count: tensor.count, repeats: repeats)
            var rows = [Benchmarks.Measurement(name: "memory copy (memcpy)", gigabytesPerSecond: copy / 1e9, ratioToCopy: 1)]
            rows += Benchmarks.histogram(tensor, copy: copy, repeats: repeats)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-bench-\(getpid())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            rows += try Benchmarks.tensorFiles(tensor, directory: scratch.path, copy: copy, repeats: repeats)
            let single: [(String, String, String?)] = [
                ("fake-quant int8 per-channel, 1 thread", "int8", "per-channel"),
                ("fake-quant int4 per-group(128), 1 thread", "int4", "per-group(128)"),
                ("fake-quant fp8-e4m3 per-channel, 1 thread", "fp8-e4m3", "per-channel"),
                ("fake-quant fp4-e2m1 per-channel, 1 thread", "fp4-e2m1", "per-channel"),
                ("fake-quant mxfp4 (blocks of 32), 1 thread", "mxfp4", nil),
                ("fake-quant nvfp4 (blocks of 16), 1 thread", "nvfp4", nil),
            ]
            let recipes = try single.map { item in
                (label: item.0, recipe: try QuantizationRecipe(
                    format: item.1, granularity: item.2, calibrator: "minmax", registry: registry, threads: 1))
            }
            rows += try Benchmarks.fakeQuantization(tensor, recipes: recipes, copy: copy, repeats: repeats)
            let endToEnd = try QuantizationRecipe(format: "int8", granularity: "per-channel", calibrator: "minmax", registry: registry, threads: 2)
            rows.append(try Benchmarks.pipeline(tensor, recipe: endToEnd, label: "quantize int8 per-channel minmax", copy: copy, repeats: max(1, repeats / 2)))
            let calibrators = ["minmax", "ema-minmax", "percentile(99.99)", "kl", "aciq", "mse", "hist-l2", "ort-entropy"]
            rows += try Benchmarks.calibrators(registry: registry, names: calibrators, format: "int8", repeats: repeats)
            rows += Self.bridgeRows(copy: copy)
            if json { try printJSON(rows) } else { print(Self.render(rows, size: size)) }
        }
    }

    /// Peak FP32 throughput and memory bandwidth of this machine, then its chips.toml entry.
    func runChip() throws {
        try runReportingErrors {
            let m = ChipBenchmark.measure(repeats: repeats)
            if json { return try printJSON(m) }
            var table = TextTable(header: ["figure", "value", "how"])
            table.append(["fp32 peak, \(m.cores) cores", "\(formatNumber(m.fp32GflopsAllCores)) GFLOP/s", "OpenBLAS sgemm \(m.gemmSize)³, best of \(repeats)"])
            table.append(["fp32 peak, 1 core", "\(formatNumber(m.fp32GflopsOneCore)) GFLOP/s", "same, 1 thread"])
            table.append(["memory, copy", "\(formatNumber(m.copyGBPerSecond)) GB/s", "STREAM copy, 8 B per element"])
            table.append(["memory, triad", "\(formatNumber(m.triadGBPerSecond)) GB/s", "STREAM triad, 12 B per element"])
            print("\(m.cpu), \(m.cores) cores, \(m.date)\n\n" + table.render())
            print("\nchips.toml entry (paste into a chips file, use with roofline(chip=this-cpu, chips=PATH)):\n\n" + m.tomlEntry())
        }
    }

    /// numpy → Tensor for 64M floats beside a memcpy into a fresh array of the same size, both
    /// measured by the bridge in this run; a row saying why when Python or numpy is missing.
    static func bridgeRows(copy: Double) -> [Benchmarks.Measurement] {
        let count = 64 * 1_048_576
        do {
            let m = try PythonBridgeBenchmark.numpyToTensor(count: count, runs: 3)
            return [
                Benchmarks.Measurement(
                    name: "numpy → Tensor, 64M float32", gigabytesPerSecond: m.numpyGigabytesPerSecond,
                    ratioToCopy: Double(m.bytes) / m.numpySeconds / copy,
                    note: String(format: "%.2f× a memcpy into a fresh array", m.memcpySeconds / m.numpySeconds)),
                Benchmarks.Measurement(
                    name: "memcpy into a fresh 256 MiB array", gigabytesPerSecond: m.memcpyGigabytesPerSecond,
                    ratioToCopy: Double(m.bytes) / m.memcpySeconds / copy, note: "page faults included"),
            ]
        } catch {
            return [Benchmarks.Measurement(name: "numpy → Tensor", note: "skipped: \(error)")]
        }
    }

    static func render(_ rows: [Benchmarks.Measurement], size: Int) -> String {
        var table = TextTable(header: ["benchmark", "GB/s", "× memcpy", "ms/granule", "note"])
        for r in rows {
            table.append([
                r.name, r.gigabytesPerSecond.map { formatNumber($0) } ?? "", r.ratioToCopy.map { formatNumber($0, digits: 3) } ?? "",
                r.millisecondsPerCall.map { formatNumber($0) } ?? "", r.note ?? "",
            ])
        }
        return "tensor \(size)×\(size) float32 (\(size * size * 4 / 1_048_576) MiB); calibrators from one 2048-bin histogram of 65,536 values\n\n"
            + table.render()
    }
}
