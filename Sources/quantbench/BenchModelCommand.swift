import ArgumentParser
import Foundation
import QuantBench
import QuantModels

struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-model",
        abstract: "The inference engine beside its peers, measured in one run (MiniLM on lee.cor).",
        discussion: """
            Reports MiniLM FP32 tokens/s (packed batches of 16, and one sequence per batch) beside a
            numpy implementation and ONNX Runtime on the same weights and token ids; SGEMM GFLOP/s of
            the FFN product beside OpenBLAS on 2048³; an evaluation pass with W8A8 fake quantization
            beside FP32; and one calibration pass observing every activation for all eight built-in
            calibrators beside a plain pass. Build with -c release for meaningful numbers.

            The peers run in --peer-python (default /usr/bin/python3: numpy only). For ONNX Runtime:
              /usr/bin/python3 -m venv --system-site-packages .venv-bench
              .venv-bench/bin/pip install onnxruntime scipy
              swift run -c release quantbench bench-model --peer-python .venv-bench/bin/python
            """)

    @Option(help: "Python that runs scripts/bench/minilm_peers.py (numpy; onnxruntime, torch and onnx when importable).")
    var peerPython = "/usr/bin/python3"

    @Flag(help: "Skip the peers.")
    var noPeers = false

    @Option(help: "Repetitions per measurement (the best is kept).")
    var repeats = 3

    @Option(help: "Threads for our batches and for each peer (default: every core).")
    var threads: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let report = try ModelBenchmarks(
                repeats: max(1, repeats), peerPython: noPeers ? nil : peerPython, threads: max(1, threads ?? BatchScheduler.cores)
            ).run()
            if json { try printJSON(report) } else { print(Self.render(report)) }
        }
    }

    static func render(_ r: ModelBenchmarkReport) -> String {
        var lines: [String] = []
        if let m = r.miniLM {
            lines.append("MiniLM FP32 on lee.cor: \(m.sequences) documents, \(m.tokens) tokens")
            var table = TextTable(header: ["engine", "tokens/s", "ratio to ours (per sequence)"])
            table.append(["quantbench, packed batches of 16", formatNumber(m.packedTokensPerSecond), formatNumber(m.packedTokensPerSecond / m.perSequenceTokensPerSecond)])
            table.append(["quantbench, one sequence per batch", formatNumber(m.perSequenceTokensPerSecond), "1"])
            if let p = r.peers {
                if let numpy = p.numpyTokensPerSecond {
                    table.append(["numpy (\(p.numpyErf ?? "?"))", formatNumber(numpy), formatNumber(numpy / m.perSequenceTokensPerSecond)])
                }
                if let ort = p.onnxRuntimeTokensPerSecond {
                    table.append(["ONNX Runtime \(p.onnxRuntimeVersion ?? "")", formatNumber(ort), formatNumber(ort / m.perSequenceTokensPerSecond)])
                }
            }
            lines.append(table.render())
            if let p = r.peers {
                if let note = p.onnxRuntimeNote { lines.append("ONNX Runtime unavailable: \(note)") }
                lines.append("smallest cosine between our embeddings and numpy's: \(formatNumber(p.minimumCosineToNumpy, digits: 8))")
            }
        }
        if let g = r.sgemm {
            lines += ["", "SGEMM GFLOP/s (\(g.cores) cores): FFN \(g.shape): \(formatNumber(g.ffnOneThread)) on 1 thread, \(formatNumber(g.ffnAllCores)) on all; "
                + "2048³ peak: \(formatNumber(g.peakOneThread)) on 1 thread, \(formatNumber(g.peakAllCores)) on all"]
        }
        if let f = r.fakeQuant {
            lines += ["", "W8A8 fake quantization (\(f.sites) activation sites): \(formatNumber(f.fakeQuantSeconds)) s vs FP32 \(formatNumber(f.fp32Seconds)) s, "
                + "overhead \(formatNumber(100 * (f.fakeQuantSeconds / f.fp32Seconds - 1), digits: 3)) %"]
        }
        if let o = r.observation {
            let calibrators = o.calibratorSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(formatNumber($0.value * 1000, digits: 3)) ms" }
            lines += ["", "Observation of \(o.sites) activation sites over \(o.documents) documents for 8 calibrators at once: "
                + "\(formatNumber(o.observedSeconds)) s vs one plain pass \(formatNumber(o.forwardSeconds)) s (×\(formatNumber(o.observedSeconds / o.forwardSeconds, digits: 3)))",
                "then ranges per calibrator: " + calibrators.joined(separator: ", ")]
        }
        return lines.joined(separator: "\n")
    }
}
