import QuantCore

/// The sizes of a BERT encoder.
public struct BertConfiguration: Sendable, Equatable {
    public var hidden: Int
    public var layers: Int
    public var heads: Int
    public var intermediate: Int
    public var vocabulary: Int
    public var maxPositions: Int
    public var tokenTypes: Int
    public var layerNormEps: Float

    /// sentence-transformers all-MiniLM-L6-v2 (its `config.json`).
    public static let miniLM = BertConfiguration(
        hidden: 384, layers: 6, heads: 12, intermediate: 1536, vocabulary: 30522, maxPositions: 512, tokenTypes: 2,
        layerNormEps: 1e-12)
}

/// A post-LN BERT encoder (Hugging Face `BertModel` without the pooler): embeddings (word +
/// learned position + token type 0, then LayerNorm), then blocks of self-attention, output
/// projection, residual, LayerNorm, GELU (exact erf) feed-forward, residual, LayerNorm.
///
/// Tensor and activation names are the checkpoint's: `embeddings.word_embeddings`,
/// `encoder.layer.3.intermediate.dense`, …
public struct BertEncoder: Sendable {
    public let configuration: BertConfiguration
    let words: Embedding
    let positions: Embedding
    let tokenTypes: Embedding
    let embeddingNorm: LayerNorm
    let blocks: [BertBlock]

    /// Binds the checkpoint's tensors; `embeddings.position_ids` and `pooler.*` are ignored.
    ///
    /// - Throws: ``ModelError/weightsDoNotMatch(model:source:problems:)`` listing every mismatch.
    public init(weights: [String: Tensor], configuration c: BertConfiguration, model: String, source: String) throws {
        configuration = c
        var binder = WeightBinder(weights: weights, model: model, source: source)
        words = Embedding("embeddings.word_embeddings", count: c.vocabulary, width: c.hidden, binder: &binder)
        positions = Embedding("embeddings.position_embeddings", count: c.maxPositions, width: c.hidden, binder: &binder)
        tokenTypes = Embedding("embeddings.token_type_embeddings", count: c.tokenTypes, width: c.hidden, binder: &binder)
        embeddingNorm = LayerNorm("embeddings.LayerNorm", width: c.hidden, eps: c.layerNormEps, binder: &binder)
        blocks = (0..<c.layers).map { BertBlock("encoder.layer.\($0)", c, binder: &binder) }
        try binder.finish { $0 == "embeddings.position_ids" || $0.hasPrefix("pooler.") }
    }

    /// Every activation site, in forward order.
    public var activationSites: [ActivationSite] {
        [embeddingNorm.outputSite] + blocks.flatMap(\.activationSites)
    }

    /// The weight matrices a weight-quantization scheme quantizes (every Linear's `.weight`), in order.
    public var linearWeightNames: [String] { blocks.flatMap { $0.linears.map { "\($0.name).weight" } } }

    /// Every linear layer's product, one row per token.
    public var layerGeometry: [LayerGeometry] {
        blocks.flatMap(\.linears).map {
            LayerGeometry(weight: "\($0.name).weight", inFeatures: $0.inFeatures, outFeatures: $0.outFeatures, rows: .perToken)
        }
    }

    /// The last hidden states `[tokens, hidden]` of every packed sequence.
    ///
    /// - Throws: ``ModelError/badInput(model:reason:)`` for a token id outside the vocabulary or
    ///   a sequence longer than the position table.
    public func hiddenStates(_ batch: TokenBatch, context: ForwardContext = .plain) throws -> [Float] {
        var x = try embed(batch)
        embeddingNorm.forward(&x, context: context)
        for block in blocks { x = block.forward(x, batch: batch, context: context) }
        return x
    }

    /// The FP32 input of every block for `batch` (block `b`'s input is `inputs[b]`): the states
    /// ``hiddenStates(_:resumingAt:from:context:)`` restarts from.
    public func blockInputs(_ batch: TokenBatch) throws -> [[Float]] {
        var x = try embed(batch)
        embeddingNorm.forward(&x, context: .plain)
        var inputs: [[Float]] = []
        for block in blocks {
            inputs.append(x)
            x = block.forward(x, batch: batch, context: .plain)
        }
        return inputs
    }

    /// The last hidden states computed from block `start` on, given that block's input `x`:
    /// the same operations in the same order as ``hiddenStates(_:context:)``, so bit-identical
    /// to it when `x` is what the earlier blocks produce. Hooks see only sites from `start` on.
    public func hiddenStates(_ batch: TokenBatch, resumingAt start: Int, from x: [Float], context: ForwardContext = .plain) -> [Float] {
        var x = x
        for block in blocks[min(max(0, start), blocks.count)...] { x = block.forward(x, batch: batch, context: context) }
        return x
    }

    /// The block holding weight `name` (`encoder.layer.3.…` → 3); nil outside the blocks.
    public func blockIndex(ofWeight name: String) -> Int? {
        blocks.firstIndex { block in block.linears.contains { "\($0.name).weight" == name } }
    }

    private func embed(_ batch: TokenBatch) throws -> [Float] {
        let c = configuration
        if let bad = batch.ids.first(where: { $0 < 0 || $0 >= c.vocabulary }) {
            throw ModelError.badInput(model: "bert", reason: "token id \(bad) is outside the vocabulary of \(c.vocabulary)")
        }
        if let long = batch.sequences.first(where: { $0.count > c.maxPositions }) {
            throw ModelError.badInput(model: "bert", reason: "a sequence of \(long.count) tokens exceeds the \(c.maxPositions) positions; truncate it")
        }
        var x = [Float](repeating: 0, count: batch.tokenCount * c.hidden)
        x.withUnsafeMutableBufferPointer { out in
            for sequence in batch.sequences {
                for (position, row) in sequence.enumerated() {
                    let target = out.baseAddress! + row * c.hidden
                    words.add(row: batch.ids[row], to: target)
                    positions.add(row: position, to: target)
                    tokenTypes.add(row: 0, to: target)
                }
            }
        }
        return x
    }
}

/// One post-LN transformer block of BERT.
struct BertBlock: Sendable {
    let attention: SelfAttention
    let attentionOutput: Linear
    let attentionNorm: LayerNorm
    let intermediate: Linear
    let output: Linear
    let outputNorm: LayerNorm

    init(_ name: String, _ c: BertConfiguration, binder: inout WeightBinder) {
        attention = SelfAttention("\(name).attention.self", hidden: c.hidden, heads: c.heads, binder: &binder)
        attentionOutput = Linear("\(name).attention.output.dense", in: c.hidden, out: c.hidden, binder: &binder)
        attentionNorm = LayerNorm("\(name).attention.output.LayerNorm", width: c.hidden, eps: c.layerNormEps, binder: &binder)
        intermediate = Linear("\(name).intermediate.dense", in: c.hidden, out: c.intermediate, binder: &binder)
        output = Linear("\(name).output.dense", in: c.intermediate, out: c.hidden, binder: &binder)
        outputNorm = LayerNorm("\(name).output.LayerNorm", width: c.hidden, eps: c.layerNormEps, binder: &binder)
    }

    var linears: [Linear] { attention.linears + [attentionOutput, intermediate, output] }

    var activationSites: [ActivationSite] {
        attention.linears.flatMap { [$0.inputSite, $0.outputSite] }
            + [attentionOutput.inputSite, attentionOutput.outputSite, attentionNorm.outputSite]
            + [intermediate.inputSite, intermediate.outputSite, output.inputSite, output.outputSite, outputNorm.outputSite]
    }

    func forward(_ x: [Float], batch: TokenBatch, context: ForwardContext) -> [Float] {
        let rows = batch.tokenCount
        let contextVectors = attention.forward(x, batch: batch, context: context)
        var attended = attentionOutput.forward(contextVectors, rows: rows, context: context)
        RowKernels.add(&attended, x)
        attentionNorm.forward(&attended, context: context)
        var inner = intermediate.forward(attended, rows: rows, context: context)
        RowKernels.gelu(&inner)
        var y = output.forward(inner, rows: rows, context: context)
        RowKernels.add(&y, attended)
        outputNorm.forward(&y, context: context)
        return y
    }
}
