import QuantCore

extension DigitsTask: ScenarioTask {
    /// This task calibrating on `set`: positions drawn from the 256-image calibration pool as
    /// ``CalibrationSet/positions(poolSize:model:)`` says, each image transformed as
    /// ``ImageTransform`` says (item = its pool position, noise seeded by `set.seed`).
    ///
    /// - Throws: ``ModelError/calibrationSetTooLarge(model:pool:requested:)``; the transform
    ///   errors of ``ScenarioTransforms/validate(_:model:)``.
    public func calibrating(on set: CalibrationSet) throws -> any ScenarioTask {
        let transform = try ScenarioTransforms.parse(set.transform, model: modelName)
        let positions = try set.positions(poolSize: split.calibration.count, model: modelName)
        let batch = try dataset.batch(
            positions.map { split.calibration[$0] }, items: positions,
            scenario: ImageScenario(transform: transform, seed: set.seed, split: .calibration))
        var task = self
        task.calibration = (batch.values, batch.labels)
        task.calibrationSet = CalibrationSet(size: set.size, seed: set.seed, transform: transform.isIdentity ? nil : transform.description)
        return task
    }

    /// This task evaluating under `transform` (item = the image's position in the evaluation
    /// split, noise seeded by seed 0 on the evaluation split's own streams); nil or `none`
    /// restores the unchanged split.
    ///
    /// - Throws: the transform errors of ``ScenarioTransforms/validate(_:model:)``.
    public func evaluating(under transform: String?) throws -> any ScenarioTask {
        let parsed = try ScenarioTransforms.parse(transform, model: modelName)
        let batch = try dataset.batch(
            split.evaluation, items: Array(split.evaluation.indices), scenario: ImageScenario(transform: parsed, split: .evaluation))
        var task = self
        task.evaluation = (batch.values, batch.labels)
        task.evaluationTransform = parsed.isIdentity ? nil : parsed.description
        return task
    }

    /// SHA-256 of the calibration images' float32 values (``CalibrationDigest/floats(_:)``).
    public func calibrationDigest() -> String { CalibrationDigest.floats(calibration.images) }

    /// The checkpoint.
    public var sourceFiles: [String] { [source] }
}
