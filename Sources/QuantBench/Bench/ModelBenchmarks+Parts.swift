import Foundation
import QuantCore
import QuantModels

extension ModelBenchmarks {
    /// Runs the peer script on the same weights and ids; checks that its embeddings match ours.
    func peers(python: String, weights: String, ids: [[Int]], ours: SentenceEmbedder) throws -> ModelBenchmarkReport.Peers {
        let idsFile = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-ids-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: idsFile) }
        try JSONEncoder().encode(ids).write(to: idsFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [peerScript, weights, idsFile.path, "--repeats", "\(repeats)", "--threads", "\(threads)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "\(threads)"]) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw QuantCoreError.incompatible(
                "the benchmark peers (\(python) \(peerScript)) failed with status \(process.terminationStatus): "
                    + String(stderr.suffix(800)))
        }
        let result = try JSONDecoder().decode(PeerOutput.self, from: data)
        let embedding = try ours.embed(TokenBatch(ids))
        let width = ours.encoder.configuration.hidden
        var agreement = 1.0
        for (i, reference) in result.embeddings.enumerated() {
            let dot = (0..<width).reduce(0.0) { $0 + Double(embedding[i * width + $1]) * reference[$1] }
            agreement = min(agreement, dot)
        }
        return .init(
            numpyTokensPerSecond: result.numpy.tokens_per_second, numpyErf: result.numpy.erf,
            onnxRuntimeTokensPerSecond: result.onnxruntime?.tokens_per_second, onnxRuntimeVersion: result.onnxruntime?.version,
            onnxRuntimeNote: result.onnxruntime?.unavailable, minimumCosineToNumpy: agreement)
    }

    /// GFLOP/s of the FFN product at a typical sequence length beside a large square product.
    func sgemm(tokens: Int) -> ModelBenchmarkReport.GEMM {
        let cores = BatchScheduler.cores
        return .init(
            shape: "\(tokens)×384 · (1536×384)ᵀ",
            ffnOneThread: BLAS.measureGFLOPS(m: tokens, n: 1536, k: 384, threads: 1, repeats: 20),
            ffnAllCores: BLAS.measureGFLOPS(m: tokens, n: 1536, k: 384, threads: cores, repeats: 20),
            peakOneThread: BLAS.measureGFLOPS(m: 2048, n: 2048, k: 2048, threads: 1, repeats: 3),
            peakAllCores: BLAS.measureGFLOPS(m: 2048, n: 2048, k: 2048, threads: cores, repeats: 3), cores: cores)
    }

    /// One plain pass over the calibration documents, then one pass observing every activation
    /// site with the statistics of every built-in calibrator, then each calibrator's ranges.
    func observation(_ model: SentenceEmbedder, _ ids: [[Int]]) throws -> ModelBenchmarkReport.Observation {
        let registry = PluginRegistry.builtIn
        let calibrators = try ["minmax", "ema-minmax", "percentile", "mse", "kl", "hist-l2", "aciq", "ort-entropy"].map { try registry.calibrator($0) }
        let format = try registry.format("int8")
        let recipe = ActivationRecipe(format: format, calibrator: calibrators[0], includes: { _ in true })
        func pass(_ context: ForwardContext) throws {
            try BatchScheduler.sequential(ids.count, batchSize: 16) { range in
                _ = try model.embed(TokenBatch(Array(ids[range])), context: context)
            }
        }
        let plain = try seconds { try pass(.plain) }
        var observer = ActivationObserver(recipe: recipe, calibrators: calibrators)
        let observed = try seconds {
            observer = ActivationObserver(recipe: recipe, calibrators: calibrators)
            try pass(ForwardContext(hooks: [observer]))
        }
        let clock = ContinuousClock()
        var calibration: [String: Double] = [:]
        for calibrator in calibrators {
            let elapsed = try clock.measure { _ = try observer.plan(calibrator: calibrator) }
            calibration[calibrator.name] = elapsed.seconds
        }
        return .init(documents: ids.count, sites: observer.statistics.count, forwardSeconds: plain, observedSeconds: observed,
                     calibratorSeconds: calibration)
    }

    /// An evaluation pass with static per-tensor int8 fake quantization of the input of every
    /// linear (what A8 adds to a pass; weights are quantized once, before) beside the FP32 pass.
    func fakeQuantOverhead(_ model: SentenceEmbedder, calibration: [[Int]], evaluation: [[Int]]) throws -> ModelBenchmarkReport.Overhead {
        let registry = PluginRegistry.builtIn
        let recipe = ActivationRecipe(format: try registry.format("int8"), calibrator: try registry.calibrator("minmax"))
        let observer = ActivationObserver(recipe: recipe, calibrators: [recipe.calibrator])
        _ = try model.embed(TokenBatch(calibration), context: ForwardContext(hooks: [observer]))
        let quantizer = try observer.plan(calibrator: recipe.calibrator)
        func pass(_ context: ForwardContext) throws {
            _ = try BatchScheduler.parallel(evaluation.count, batchSize: 16, workers: threads) { range in
                try model.embed(TokenBatch(Array(evaluation[range])), context: context)
            }
        }
        let fp32 = try seconds { try pass(.plain) }
        let quantized = try seconds { try pass(ForwardContext(hooks: [quantizer])) }
        return .init(fp32Seconds: fp32, fakeQuantSeconds: quantized, sites: quantizer.sites.count)
    }
}

/// What the peer script prints.
struct PeerOutput: Decodable {
    struct Peer: Decodable {
        var tokens_per_second: Double?
        var erf: String?
        var version: String?
        var unavailable: String?
    }
    var numpy: Peer
    var onnxruntime: Peer?
    var embeddings: [[Double]]
}
