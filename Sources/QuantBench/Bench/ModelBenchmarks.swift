import Foundation
import QuantCore
import QuantModels

/// The inference engine against its peers, in one run: MiniLM throughput beside numpy and ONNX
/// Runtime on the same weights and token ids, SGEMM beside OpenBLAS's peak, the cost of
/// fake-quantization in an evaluation pass, and the cost of observing every activation once for
/// every calibrator.
public struct ModelBenchmarks: Sendable {
    public var repeats = 3
    /// The Python that runs `scripts/bench/minilm_peers.py` (numpy; ONNX Runtime when importable).
    public var peerPython: String?
    public var peerScript = "scripts/bench/minilm_peers.py"
    public var store = AssetStore.default
    /// Threads for our batches and for the peers (ONNX Runtime's intra-op threads, numpy's
    /// OpenBLAS threads).
    public var threads = BatchScheduler.cores

    public init(repeats: Int = 3, peerPython: String?, threads: Int = BatchScheduler.cores) {
        self.repeats = repeats
        self.peerPython = peerPython
        self.threads = threads
    }

    public func run() throws -> ModelBenchmarkReport {
        let parts = try ModelZoo.miniLMParts(store: store)
        let ids = parts.documents.map { parts.tokenizer.encode($0).ids }
        var report = ModelBenchmarkReport()
        report.miniLM = try throughput(parts.embedder, ids)
        if let peerPython { report.peers = try peers(python: peerPython, weights: parts.weightsPath, ids: ids, ours: parts.embedder) }
        report.sgemm = sgemm(tokens: ids.map(\.count).reduce(0, +) / max(1, ids.count))
        let calibrationIDs = parts.background.prefix(64).map { parts.tokenizer.encode($0).ids }
        report.observation = try observation(parts.embedder, calibrationIDs)
        report.fakeQuant = try fakeQuantOverhead(parts.embedder, calibration: calibrationIDs, evaluation: ids)
        return report
    }

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        try bestTime(repeats: repeats, body)
    }

    /// Tokens/s of the evaluation configuration (packed batches of 16, both cores) and of one
    /// sequence per batch (the peers' granularity).
    func throughput(_ model: SentenceEmbedder, _ ids: [[Int]]) throws -> ModelBenchmarkReport.Throughput {
        let tokens = ids.map(\.count).reduce(0, +)
        func run(batch: Int) throws -> Double {
            try seconds {
                _ = try BatchScheduler.parallel(ids.count, batchSize: batch, workers: threads) { range in
                    try model.embed(TokenBatch(Array(ids[range])))
                }
            }
        }
        let packed = try run(batch: 16), single = try run(batch: 1)
        return .init(sequences: ids.count, tokens: tokens, packedTokensPerSecond: Double(tokens) / packed,
                     perSequenceTokensPerSecond: Double(tokens) / single)
    }
}
