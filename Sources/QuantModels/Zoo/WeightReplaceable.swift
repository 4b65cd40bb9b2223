import QuantCore

/// A task that can run the same data and task with another checkpoint of its model (a
/// retrained or edited copy), for comparing two versions of a model.
public protocol WeightReplaceable: ScenarioTask {
    /// This task (its calibration set, scenario and batch size kept) with `weights` in place of
    /// its checkpoint; `source` names them in errors.
    ///
    /// - Throws: ``ModelError/weightsDoNotMatch(model:source:problems:)`` listing every missing,
    ///   misshapen or unexpected tensor.
    func replacingWeights(_ weights: [String: Tensor], source: String) throws -> any ScenarioTask
}

extension DigitsTask: WeightReplaceable {
    public func replacingWeights(_ weights: [String: Tensor], source: String) throws -> any ScenarioTask {
        var task = try DigitsTask(weights: weights, source: source, dataset: dataset, split: split)
        task.calibration = calibration
        task.evaluation = evaluation
        task.calibrationSet = calibrationSet
        task.evaluationTransform = evaluationTransform
        task.batchSize = batchSize
        return task
    }
}

extension MiniLMTask: WeightReplaceable {
    public func replacingWeights(_ weights: [String: Tensor], source: String) throws -> any ScenarioTask {
        var task = self
        task.model = try SentenceEmbedder(weights: weights, source: source)
        task.weights = weights
        task.source = source
        task.sourceFiles = [source] + sourceFiles.dropFirst()
        return task
    }
}
