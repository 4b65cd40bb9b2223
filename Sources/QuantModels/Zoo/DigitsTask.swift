import QuantCore

/// `digits-cnn` on scikit-learn's digits: top-1 accuracy, agreement with FP32 and the KL
/// divergence of the quantized logits from FP32's, on the evaluation split.
///
/// The calibration pool is the split's calibration images in drawn order; ``calibrationSet``
/// says which of them calibrate and under which transform, ``evaluationTransform`` which
/// scenario the evaluation split is seen under (see `DigitsTask+Scenario.swift`).
public struct DigitsTask: ModelTask {
    public let modelName = DigitsCNN.modelName
    public let weights: [String: Tensor]
    let model: DigitsCNN
    let source: String
    /// The data set, and the indices of the calibration pool (drawn order) and evaluation split.
    let dataset: DigitsDataset
    let split: DigitsSplit
    /// The calibration set drawn from the pool (the whole pool, untransformed, at first).
    public internal(set) var calibrationSet = CalibrationSet()
    /// The canonical evaluation transform, nil for none.
    public internal(set) var evaluationTransform: String?
    /// Preprocessed `[N, 1, 28, 28]` images and labels of the calibration set and the evaluation split.
    var calibration: (images: [Float], labels: [Int])
    var evaluation: (images: [Float], labels: [Int])
    /// Images per forward batch.
    public var batchSize = 64

    /// The task over `split` of `dataset`: calibration on the whole pool, evaluation unchanged.
    ///
    /// - Parameters:
    ///   - weights: The checkpoint's tensors; `source` names it in errors.
    ///   - dataset: The digits; `split` draws its calibration pool and evaluation split.
    /// - Throws: ``ModelError/weightsDoNotMatch(model:source:problems:)``; `DatasetError` for a
    ///   split index outside the data set.
    public init(weights: [String: Tensor], source: String, dataset: DigitsDataset, split: DigitsSplit) throws {
        self.weights = weights
        self.source = source
        model = try DigitsCNN(weights: weights, source: source)
        self.dataset = dataset
        self.split = split
        let calibration = try dataset.batch(split.calibration), evaluation = try dataset.batch(split.evaluation)
        self.calibration = (calibration.values, calibration.labels)
        self.evaluation = (evaluation.values, evaluation.labels)
    }

    public var quantizableWeights: [String] { model.weightNames }
    public var activationSites: [ActivationSite] { model.activationSites }
    public var layerGeometry: [LayerGeometry] { model.layerGeometry }
    public var calibrationCount: Int { calibration.labels.count }
    public var evaluationCount: Int { evaluation.labels.count }

    public func calibrate(count: Int, context: ForwardContext) throws {
        let pixels = DigitsCNN.imageSize * DigitsCNN.imageSize
        try BatchScheduler.sequential(count, batchSize: batchSize) { range in
            let images = Array(calibration.images[(range.lowerBound * pixels)..<(range.upperBound * pixels)])
            _ = try model.logits(images, batch: range.count, context: context)
        }
    }

    public func evaluate(weights: [String: Tensor], context: ForwardContext) throws -> EvaluationOutput {
        let model = try DigitsCNN(weights: weights, source: source)
        let pixels = DigitsCNN.imageSize * DigitsCNN.imageSize, count = evaluationCount
        let images = evaluation.images
        let logits = try BatchScheduler.parallel(count, batchSize: batchSize) { range in
            try model.logits(Array(images[(range.lowerBound * pixels)..<(range.upperBound * pixels)]), batch: range.count, context: context)
        }
        return EvaluationOutput(rows: count, width: DigitsCNN.classes, values: logits.flatMap { $0 })
    }

    public func metrics(_ output: EvaluationOutput, reference: EvaluationOutput) -> [TaskMetric] {
        let predicted = TaskStatistics.argmax(output), expected = TaskStatistics.argmax(reference)
        let n = Double(max(1, output.rows))
        let correct = zip(predicted, evaluation.labels).filter { $0 == $1 }.count
        let agreeing = zip(predicted, expected).filter { $0 == $1 }.count
        return [
            TaskMetric("top1", Double(correct) / n, "top-1 accuracy on the evaluation split"),
            TaskMetric("agreement", Double(agreeing) / n, "fraction of predictions equal to FP32's"),
            TaskMetric("kl", TaskStatistics.meanKL(output, reference: reference), "mean KL(FP32 ‖ quantized) of the class probabilities, nats"),
        ]
    }
}
