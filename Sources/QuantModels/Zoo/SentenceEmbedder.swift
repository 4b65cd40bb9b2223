import QuantCore

/// A sentence-transformers model: a BERT encoder, mean pooling over each sequence's tokens,
/// then L2 normalisation (all-MiniLM-L6-v2's `modules.json`: Transformer, Pooling(mean), Normalize).
public struct SentenceEmbedder: Sendable {
    public static let modelName = "minilm"
    public let encoder: BertEncoder

    /// Binds all-MiniLM-L6-v2's `model.safetensors` tensors.
    public init(weights: [String: Tensor], source: String, configuration: BertConfiguration = .miniLM) throws {
        encoder = try BertEncoder(weights: weights, configuration: configuration, model: Self.modelName, source: source)
    }

    /// Unit-length embeddings `[sequences, hidden]`, one per packed sequence.
    public func embed(_ batch: TokenBatch, context: ForwardContext = .plain) throws -> [Float] {
        pool(try encoder.hiddenStates(batch, context: context), batch: batch)
    }

    /// ``embed(_:context:)`` restarted at encoder block `start` from its FP32 input `x`
    /// (``BertEncoder/blockInputs(_:)``); bit-identical when only later weights differ.
    public func embed(_ batch: TokenBatch, resumingAt start: Int, from x: [Float], context: ForwardContext = .plain) -> [Float] {
        pool(encoder.hiddenStates(batch, resumingAt: start, from: x, context: context), batch: batch)
    }

    /// Mean over each sequence's token states, then L2 normalisation.
    func pool(_ states: [Float], batch: TokenBatch) -> [Float] {
        let hidden = encoder.configuration.hidden
        var pooled = [Float](repeating: 0, count: batch.sequences.count * hidden)
        for (index, sequence) in batch.sequences.enumerated() where !sequence.isEmpty {
            for row in sequence {
                for i in 0..<hidden { pooled[index * hidden + i] += states[row * hidden + i] }
            }
            let inverse = 1 / Float(sequence.count)
            for i in 0..<hidden { pooled[index * hidden + i] *= inverse }
        }
        RowKernels.l2Normalize(&pooled, width: hidden)
        return pooled
    }
}
