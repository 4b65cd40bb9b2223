import Dispatch
import Foundation
import QuantCore
import QuantModels
import Synchronization

/// The only state cells share: loaded models, FP32 references, observation statistics and
/// quantized weights, each computed once and handed to every cell that needs it.
///
/// Quantized weights are counted: when the last cell that needs a weight configuration has
/// taken it, the cache drops it, so a sweep holds only the configurations in flight (a MiniLM
/// configuration is 90 MB).
final class RunCaches: Sendable {
    /// The FP32 weights quantized for one configuration, with a report per tensor.
    struct QuantizedWeights: Sendable {
        var tensors: [String: Tensor]
        var reports: [TensorReport]
    }

    let loader: @Sendable (String) throws -> any ScenarioTask
    private let models = ComputeOnce<String, any ScenarioTask>()
    private let scenarios = ComputeOnce<String, any ScenarioTask>()
    private let references = ComputeOnce<String, EvaluationOutput>()
    private let observations = ComputeOnce<String, ActivationObserver>()
    private let weights = ComputeOnce<String, QuantizedWeights>()
    private let digests = ComputeOnce<String, [String: String]>()
    private let calibrationDigests = ComputeOnce<String, String>()
    private let profiles = ComputeOnce<String, SensitivityProfile>()
    private let weightUsers: Mutex<[String: Int]>
    /// Calibrators each observation key must collect statistics for.
    private let observationCalibrators: [String: [any Calibrator]]
    /// Seconds spent per shared phase (`load`, `fp32`, `observe`, `quantize`).
    let seconds = Mutex<[String: Double]>([:])

    init(plans: [CellPlan], loader: @escaping @Sendable (String) throws -> any ScenarioTask) {
        self.loader = loader
        var users: [String: Int] = [:], calibrators: [String: [any Calibrator]] = [:]
        for plan in plans {
            if let key = plan.weightKey { users[key, default: 0] += 1 }
            if let key = plan.observationKey, let recipe = plan.activations {
                var list = calibrators[key] ?? []
                if !list.contains(where: { $0.name == recipe.calibrator.name }) { list.append(recipe.calibrator) }
                calibrators[key] = list
            }
        }
        weightUsers = Mutex(users)
        observationCalibrators = calibrators
    }

    private func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { let elapsed = (ContinuousClock.now - start).seconds; seconds.withLock { $0[phase, default: 0] += elapsed } }
        return try body()
    }

    /// The plan's model with its calibration set and evaluation scenario.
    func task(_ plan: CellPlan) throws -> any ScenarioTask {
        try scenarios.value(plan.scenarioKey) {
            let base = try models.value(plan.model) { try timed("load") { try loader(plan.model) } }
            return try base.calibrating(on: plan.calibration).evaluating(under: plan.evaluationTransform)
        }
    }

    /// FP32 output on the plan's evaluation scenario.
    func reference(_ plan: CellPlan) throws -> EvaluationOutput {
        try references.value(plan.referenceKey) {
            let task = try task(plan)
            let start = ContinuousClock.now
            let output = try timed("fp32") { try task.evaluate(weights: task.weights, context: .plain) }
            let elapsed = (ContinuousClock.now - start).seconds
            referenceSeconds.withLock { $0[plan.referenceKey] = elapsed }
            return output
        }
    }

    /// Wall seconds of each FP32 evaluation, by reference key (the compute floor's unit).
    let referenceSeconds = Mutex<[String: Double]>([:])

    /// Does the work cells share before any cell starts, so that no cell waits on it and each
    /// runs at its best width: models loaded and FP32 references evaluated one after another
    /// on every core, then the observation passes (sequential by nature) side by side on
    /// `jobs` threads. Failures stay cached: the cells that need the work fail with the error.
    func prepare(_ plans: [CellPlan], jobs: Int, shouldStop: @Sendable () -> Bool) {
        var seen: Set<String> = [], references: [CellPlan] = [], observing: [CellPlan] = []
        for plan in plans where !plan.isWeightsOnly && seen.insert(plan.referenceKey).inserted { references.append(plan) }
        for plan in plans where plan.observationKey.map({ seen.insert("observe " + $0).inserted }) == true { observing.append(plan) }
        for plan in references where !shouldStop() { _ = try? reference(plan) }
        for plan in plans where plan.profileKey.map({ seen.insert("profile " + $0).inserted }) == true && !shouldStop() {
            _ = try? profile(plan, jobs: jobs)
        }
        let observed = observing
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, observed.count))) { worker in
                for i in stride(from: worker, to: observed.count, by: max(1, min(jobs, observed.count))) where !shouldStop() {
                    _ = try? observation(observed[i])
                }
            }
        }
    }

    /// Statistics of the plan's calibration set at its activation cut, for every calibrator
    /// of the grid that uses them; `nil` when the plan calibrates no activation.
    func observation(_ plan: CellPlan) throws -> ActivationObserver? {
        guard let key = plan.observationKey, let recipe = plan.activations else { return nil }
        return try observations.value(key) {
            let task = try task(plan)
            let observer = ActivationObserver(recipe: recipe, calibrators: observationCalibrators[key] ?? [])
            try timed("observe") { try task.calibrate(count: task.calibrationCount, context: ForwardContext(hooks: [observer])) }
            return observer
        }
    }

    /// The plan's quantized weights (FP32 ones when it keeps them), released from the cache
    /// when this was the last plan needing them.
    func quantizedWeights(_ plan: CellPlan) throws -> QuantizedWeights {
        let task = try task(plan)
        guard let key = plan.weightKey, let recipe = plan.weights else { return QuantizedWeights(tensors: task.weights, reports: []) }
        defer {
            let remaining = weightUsers.withLock { users in
                users[key, default: 1] -= 1
                return users[key]!
            }
            if remaining <= 0 { weights.remove(key) }
        }
        return try weights.value(key) { try timed("quantize") { try Self.quantize(task, recipe: recipe) } }
    }

    /// The one-layer-at-a-time sensitivity of the plan's model to its low and high weight
    /// recipes (weights only), which its mixed plan is searched on; computed once per
    /// ``CellPlan/profileKey`` with `jobs` evaluations side by side.
    func profile(_ plan: CellPlan, jobs: Int = BatchScheduler.cores) throws -> SensitivityProfile {
        guard let key = plan.profileKey, let low = plan.weights, let high = plan.highWeights else {
            throw QuantCoreError.incompatible("a mixed plan needs quantized weights")
        }
        return try profiles.value(key) {
            let task = try task(plan)
            let reference = try reference(plan)
            return try timed("profile") {
                try SensitivityAnalysis(recipes: [low, high], jobs: jobs).profile(task: task, reference: reference)
            }
        }
    }

    /// SHA-256 of each file the plan's model was loaded from, by path.
    func sourceDigests(_ plan: CellPlan) throws -> [String: String] {
        try digests.value(plan.model) {
            let task = try task(plan)
            var result: [String: String] = [:]
            for path in task.sourceFiles {
                result[(path as NSString).lastPathComponent] = try FileDigest.sha256(ofFileAt: path)
            }
            return result
        }
    }

    /// SHA-256 of the plan's calibration items as the model sees them.
    func calibrationDigest(_ plan: CellPlan) throws -> String {
        try calibrationDigests.value(plan.scenarioKey) { try task(plan).calibrationDigest() }
    }

    /// Every quantizable weight of `task` fake-quantized by `recipe` (convolutions as
    /// `[out, in·kh·kw]`, as ``ModelEvaluation`` does).
    static func quantize(_ task: any ModelTask, recipe: QuantizationRecipe) throws -> QuantizedWeights {
        let evaluation = ModelEvaluation(weights: recipe, activations: nil, calibrationCount: 0)
        let (tensors, reports) = try evaluation.quantizedWeights(task)
        return QuantizedWeights(tensors: tensors, reports: reports)
    }
}
