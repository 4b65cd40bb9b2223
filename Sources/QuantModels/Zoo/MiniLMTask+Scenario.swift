import QuantCore

extension MiniLMTask: ScenarioTask {
    /// This task calibrating on `set`: documents drawn from the 300 of `lee_background.cor` as
    /// ``CalibrationSet/positions(poolSize:model:)`` says. The only transform is `none`.
    ///
    /// - Throws: ``ModelError/calibrationSetTooLarge(model:pool:requested:)``;
    ///   ``ModelError/unknownTransform(model:name:known:suggestions:)`` for any transform but `none`.
    public func calibrating(on set: CalibrationSet) throws -> any ScenarioTask {
        try ScenarioTransforms.validate(set.transform ?? "none", model: modelName)
        let positions = try set.positions(poolSize: calibrationPool.count, model: modelName)
        var task = self
        task.calibrationIDs = positions.map { calibrationPool[$0] }
        task.calibrationSet = CalibrationSet(size: set.size, seed: set.seed, transform: nil)
        return task
    }

    /// This task, for `transform` nil or `none`: its evaluation corpora have no scenarios.
    ///
    /// - Throws: ``ModelError/badTransform(model:name:reason:)`` for anything else.
    public func evaluating(under transform: String?) throws -> any ScenarioTask {
        guard let transform, (try? ScenarioTransforms.parse(transform, model: modelName))?.isIdentity != true else { return self }
        throw ModelError.badTransform(
            model: modelName, name: transform,
            reason: "its evaluation corpora (lee.cor, WordSim-353, SimLex-999, polarity) have no scenario transforms; "
                + "leave evaluation.transform out or write \"none\"")
    }

    /// SHA-256 of the calibration documents' token ids (``CalibrationDigest/tokens(_:)``).
    public func calibrationDigest() -> String { CalibrationDigest.tokens(calibrationIDs) }
}
