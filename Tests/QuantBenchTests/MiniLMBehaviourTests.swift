import QuantBench
import QuantCore
import QuantModels
import Testing

/// What the field knows about quantizing a small BERT, asserted on all-MiniLM-L6-v2 with its
/// real weights and gensim's corpora (assets fetched by `quantbench fetch-assets`).
@Suite("MiniLM quantization behaviour", .serialized)
struct MiniLMBehaviourTests {
    /// The task and its FP32 output, computed once for the suite.
    static let fixture: Result<(task: any ModelTask, reference: EvaluationOutput), any Error> = Result {
        let task = try ModelZoo.task(named: "minilm")
        return (task, try task.evaluate(weights: task.weights, context: .plain))
    }

    static func evaluate(_ weights: String?, _ granularity: String? = nil, activations: ActivationRecipe? = nil) throws -> ModelEvaluationReport {
        let (task, reference) = try fixture.get()
        let registry = PluginRegistry.builtIn
        let recipe = try weights.map { try QuantizationRecipe(format: $0, granularity: granularity, calibrator: "minmax", registry: registry) }
        return try ModelEvaluation(weights: recipe, activations: activations, calibrationCount: 64).run(task, reference: reference)
    }

    /// FP32 Pearson r on lee.cor's 1225 pairs: the issue quotes ≈ 0.656 for this model.
    @Test func fp32ReproducesTheLeeCorrelation() throws {
        let report = try Self.evaluate(nil)
        let pearson = try #require(report.fp32("lee_pearson"))
        #expect(abs(pearson - 0.656) < 0.005, "lee_pearson \(pearson)")
        #expect(abs((report.quantized("cosine_to_fp32") ?? 0) - 1) < 1e-12, "nothing quantized: embeddings identical")
    }

    @Test func int8PerChannelWeightsKeepTheEmbeddings() throws {
        let report = try Self.evaluate("int8", "per-channel")
        let cosine = try #require(report.quantized("cosine_to_fp32"))
        #expect(cosine >= 0.99, "W8 per-channel cosine to FP32 \(cosine)")
        #expect(report.weightLayers.count == 36, "6 blocks × 6 linears")
    }

    /// W4 with one scale per tensor loses far more than with one per output channel or per group of 32.
    @Test func int4PerTensorFallsFarBelowPerChannelAndGroups() throws {
        let perTensor = try #require(try Self.evaluate("int4").quantized("cosine_to_fp32"))
        let perChannel = try #require(try Self.evaluate("int4", "per-channel").quantized("cosine_to_fp32"))
        let grouped = try #require(try Self.evaluate("int4", "per-group(32)").quantized("cosine_to_fp32"))
        #expect(perTensor < perChannel - 0.05, "per-tensor \(perTensor) vs per-channel \(perChannel)")
        #expect(perChannel <= grouped + 0.005, "per-channel \(perChannel) vs per-group(32) \(grouped)")
        #expect(perTensor < grouped - 0.05)
    }
}

/// The transformer outlier effect of the seed notes: the widest activation ranges of MiniLM's
/// linear inputs are the inputs of the FFN's first linear (`intermediate.dense`, fed by the
/// attention block's LayerNorm), not the attention projections or the FFN's second linear.
@Suite("MiniLM activation outliers")
struct MiniLMOutlierTests {
    @Test func widestInputRangesAreAtTheFFNInputs() throws {
        let task = try MiniLMBehaviourTests.fixture.get().task
        let registry = PluginRegistry.builtIn
        let recipe = ActivationRecipe(format: try registry.format("int8"), calibrator: try registry.calibrator("minmax"))
        let observer = ActivationObserver(recipe: recipe, calibrators: [])
        try task.calibrate(count: 64, context: ForwardContext(hooks: [observer]))
        let ranges = observer.statistics.mapValues { $0[0].absMax }.sorted { $0.value > $1.value }
        #expect(ranges.count == 36, "6 blocks × 6 linear inputs")
        let widest = ranges.prefix(3).map(\.key)
        #expect(widest.allSatisfy { $0.hasSuffix("intermediate.dense.input") }, "widest: \(ranges.prefix(6))")
        let ffn = ranges.filter { $0.key.hasSuffix("intermediate.dense.input") }.map(\.value).max() ?? 0
        let projections = ranges.filter { $0.key.contains("attention.self") }.map(\.value).max() ?? .infinity
        #expect(ffn > 2 * projections, "FFN input range \(ffn) vs attention projection inputs \(projections)")
    }
}
