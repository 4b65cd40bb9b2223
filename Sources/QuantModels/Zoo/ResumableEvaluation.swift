import QuantCore

/// A task whose evaluation can restart partway through the network from cached FP32 states,
/// so that changing one late layer recomputes only what follows it.
///
/// The resumed pass runs the same operations in the same order on the same batches, so its
/// output is bit-identical to ``ModelTask/evaluate(weights:context:)`` as long as every weight
/// outside `changed` is the FP32 one and the hooks only touch sites from the resumption point
/// on (earlier sites are not visited).
public protocol ResumableEvaluation: ModelTask {
    /// The FP32 states at every resumption point, for every evaluation batch (computed once,
    /// shared by every resumed evaluation).
    func checkpoints() throws -> any Sendable

    /// Evaluates with `weights`, where only the weights named in `changed` differ from FP32,
    /// from the latest resumption point before all of them (from the start when one of them
    /// precedes every resumption point, or `checkpoints` is not this task's).
    func evaluate(weights: [String: Tensor], context: ForwardContext, changed: Set<String>, checkpoints: any Sendable) throws -> EvaluationOutput
}

/// MiniLM's block inputs, per evaluation batch.
struct MiniLMCheckpoints: Sendable {
    /// `blockInputs[batch][block]`: `[tokens, hidden]` entering `block` for that batch.
    var blockInputs: [[[Float]]]
    var batchSize: Int
}

extension MiniLMTask: ResumableEvaluation {
    /// The input of each of the 6 blocks for every evaluation batch (about 6 × tokens × 384 floats).
    public func checkpoints() throws -> any Sendable {
        let ids = evaluationIDs, encoder = model.encoder
        let inputs = try BatchScheduler.parallel(ids.count, batchSize: batchSize) { range in
            try encoder.blockInputs(TokenBatch(Array(ids[range])))
        }
        return MiniLMCheckpoints(blockInputs: inputs, batchSize: batchSize)
    }

    public func evaluate(weights: [String: Tensor], context: ForwardContext, changed: Set<String>, checkpoints: any Sendable) throws -> EvaluationOutput {
        let encoder = model.encoder
        let blocks = changed.map { encoder.blockIndex(ofWeight: $0) }
        guard let cache = checkpoints as? MiniLMCheckpoints, cache.batchSize == batchSize, !blocks.isEmpty, !blocks.contains(nil),
            let start = blocks.compactMap({ $0 }).min()
        else { return try evaluate(weights: weights, context: context) }
        let changedModel = try SentenceEmbedder(weights: weights, source: source)
        let ids = evaluationIDs, size = batchSize
        let embeddings = try BatchScheduler.parallel(ids.count, batchSize: size) { range in
            changedModel.embed(TokenBatch(Array(ids[range])), resumingAt: start, from: cache.blockInputs[range.lowerBound / size][start], context: context)
        }
        return EvaluationOutput(rows: ids.count, width: encoder.configuration.hidden, values: embeddings.flatMap { $0 })
    }
}
