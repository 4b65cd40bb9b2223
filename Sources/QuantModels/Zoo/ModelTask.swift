import QuantCore

/// What a model produced on its evaluation split: one row per item (logits, embeddings).
public struct EvaluationOutput: Sendable {
    public var rows: Int
    public var width: Int
    public var values: [Float]

    public init(rows: Int, width: Int, values: [Float]) {
        self.rows = rows
        self.width = width
        self.values = values
    }

    /// Row `i`.
    public func row(_ i: Int) -> ArraySlice<Float> { values[(i * width)..<((i + 1) * width)] }
}

/// One number a task reports, e.g. `top1` = 0.884.
public struct TaskMetric: Sendable, Codable, Equatable {
    public var name: String
    public var value: Double
    /// One line saying what it is.
    public var meaning: String

    public init(_ name: String, _ value: Double, _ meaning: String) {
        self.name = name
        self.value = value
        self.meaning = meaning
    }
}

/// A model of the zoo with its data and task: run calibration data through it, evaluate it, score it.
///
/// Implementations keep the FP32 weights; a quantization plan passes replaced weights to
/// ``evaluate(weights:context:)`` and fake-quantizes activations through `context`'s hooks.
public protocol ModelTask: Sendable {
    /// The zoo name, e.g. `digits-cnn`.
    var modelName: String { get }
    /// The checkpoint's tensors, FP32.
    var weights: [String: Tensor] { get }
    /// The weights a plan quantizes (every conv and linear weight), in forward order.
    var quantizableWeights: [String] { get }
    /// Every activation site, in forward order.
    var activationSites: [ActivationSite] { get }
    /// The matrix-product shape of every quantizable weight, in ``quantizableWeights`` order
    /// (cost models read it). The default treats each weight `[N, K]` as a linear layer with one
    /// row per item; models with convolutions or token sequences give their own.
    var layerGeometry: [LayerGeometry] { get }
    /// Parameters the model computes with (quantizable weights included); the default counts
    /// every tensor of ``weights``, a model whose checkpoint holds unused tensors gives its own.
    var parameterCount: Int { get }
    /// How many items the calibration split holds.
    var calibrationCount: Int { get }
    /// How many items the evaluation split holds.
    var evaluationCount: Int { get }

    /// Runs the first `count` calibration items through the FP32 model, batch after batch on
    /// the calling thread (so observers see batches in order).
    func calibrate(count: Int, context: ForwardContext) throws

    /// Runs the evaluation split with `weights` (the FP32 ones or replacements of the same
    /// names and shapes); batches may run in parallel, so hooks must be thread-safe.
    func evaluate(weights: [String: Tensor], context: ForwardContext) throws -> EvaluationOutput

    /// The task's metrics for `output`, plus its fidelity to `reference` (the FP32 output).
    func metrics(_ output: EvaluationOutput, reference: EvaluationOutput) -> [TaskMetric]
}

extension ModelTask {
    public var parameterCount: Int { weights.values.reduce(0) { $0 + $1.count } }

    public var layerGeometry: [LayerGeometry] {
        quantizableWeights.compactMap { name in
            guard let shape = weights[name]?.shape, let n = shape.first else { return nil }
            return LayerGeometry(weight: name, inFeatures: shape.dropFirst().reduce(1, *), outFeatures: n, rows: .perItem(1))
        }
    }
}
