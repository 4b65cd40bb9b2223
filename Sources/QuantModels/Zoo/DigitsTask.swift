import QuantCore

/// `digits-cnn` on scikit-learn's digits: top-1 accuracy, agreement with FP32 and the KL
/// divergence of the quantized logits from FP32's, on the evaluation split.
public struct DigitsTask: ModelTask {
    public let modelName = DigitsCNN.modelName
    public let weights: [String: Tensor]
    let model: DigitsCNN
    let source: String
    /// Preprocessed `[N, 1, 28, 28]` images and labels of each split.
    let calibration: (images: [Float], labels: [Int])
    let evaluation: (images: [Float], labels: [Int])
    /// Images per forward batch.
    public var batchSize = 64

    /// - Parameters:
    ///   - weights: The checkpoint's tensors; `source` names it in errors.
    ///   - calibration, evaluation: Preprocessed images (784 values each) and their labels.
    public init(
        weights: [String: Tensor], source: String, calibration: (images: [Float], labels: [Int]),
        evaluation: (images: [Float], labels: [Int])
    ) throws {
        self.weights = weights
        self.source = source
        model = try DigitsCNN(weights: weights, source: source)
        self.calibration = calibration
        self.evaluation = evaluation
    }

    public var quantizableWeights: [String] { model.weightNames }
    public var activationSites: [ActivationSite] { model.activationSites }
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
