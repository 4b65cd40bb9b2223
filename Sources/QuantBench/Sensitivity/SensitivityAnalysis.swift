import Dispatch
import QuantCore
import QuantModels
import Synchronization

/// Per-layer sensitivity: the model evaluated with exactly one layer quantized (every other
/// layer FP32), for every quantizable weight and every recipe.
///
/// With an activation recipe, the quantized layer's input activation (its `.input` site) is
/// quantized too, and no other site: "one layer at a time" means that layer's weight and the
/// activation it consumes. Static activations are calibrated once (one observation pass over
/// the calibration split serves every layer and format).
///
/// Jobs (layer × recipe) run side by side on `jobs` threads, each evaluation single-threaded
/// (batch workers 1, OpenBLAS 1 thread), as the grid runner does; each weight is quantized
/// once per recipe. Models that can resume a forward pass from cached FP32 states
/// (``ResumableEvaluation``) only recompute from the changed layer onward (bit-identical).
public struct SensitivityAnalysis: Sendable {
    public var recipes: [QuantizationRecipe]
    public var activations: ActivationRecipe?
    /// Calibration items for static activations.
    public var calibrationCount: Int
    /// Parallel evaluations (default: every core).
    public var jobs: Int
    /// Whether to resume from cached FP32 states when the model can (same numbers; off only to measure).
    public var resumes = true

    public init(recipes: [QuantizationRecipe], activations: ActivationRecipe? = nil, calibrationCount: Int = 0, jobs: Int = BatchScheduler.cores) {
        self.recipes = recipes
        self.activations = activations
        self.calibrationCount = calibrationCount
        self.jobs = max(1, jobs)
    }

    /// The label of recipe `i`: its format name, with the granularity when two recipes share it.
    public var labels: [String] {
        recipes.map { recipe in
            recipes.filter { $0.format.name == recipe.format.name }.count > 1 ? "\(recipe.format.name) \(recipe.granularity.name)" : recipe.format.name
        }
    }

    /// Measures every (layer, recipe) of `task`.
    ///
    /// - Parameter reference: The FP32 output of `task` if already computed.
    /// - Throws: ``SensitivityError``; quantization errors naming the tensor (e.g. a format
    ///   whose granularity does not fit a weight); calibration errors naming the site.
    public func profile(task: any ModelTask, reference known: EvaluationOutput? = nil) throws -> SensitivityProfile {
        guard !recipes.isEmpty else { throw SensitivityError.noRecipes }
        let labels = labels
        if let twice = labels.first(where: { label in labels.filter { $0 == label }.count > 1 }) { throw SensitivityError.duplicateFormat(twice) }
        let start = ContinuousClock.now
        let reference = try known ?? task.evaluate(weights: task.weights, context: .plain)
        let fp32 = task.metrics(reference, reference: reference)
        let primary = fp32.first ?? TaskMetric("none", 0, "the task reports no metric")
        let hook = try activationHook(task)
        let layers = task.quantizableWeights
        let resumable = resumes ? task as? any ResumableEvaluation : nil
        let checkpoints = try resumable.map { try $0.checkpoints() }
        let work = layers.flatMap { layer in recipes.indices.map { (layer, $0) } }
        let results = Mutex<[Int: Result<SensitivityEntry, any Error>]>([:])
        let next = Atomic<Int>(0), failed = Atomic<Bool>(false)
        let workers = min(jobs, work.count)
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
                while !failed.load(ordering: .relaxed) {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    guard i < work.count else { return }
                    let (layer, r) = work[i]
                    let result = Result {
                        try BatchScheduler.$workerLimit.withValue(1) {
                            try measure(
                                task, layer: layer, recipe: r, label: labels[r], reference: reference, primary: primary, hook: hook,
                                resume: resumable.flatMap { task in checkpoints.map { (task, $0) } })
                        }
                    }
                    if case .failure = result { failed.store(true, ordering: .relaxed) }
                    results.withLock { $0[i] = result }
                }
            }
        }
        let collected = results.withLock { $0 }
        if let failure = collected.sorted(by: { $0.key < $1.key }).lazy.compactMap({ if case let .failure(e) = $0.value { e } else { nil } }).first {
            throw failure
        }
        let entries = try work.indices.map { i in try collected[i]?.get() ?? { throw SensitivityError.missingEntry(layer: work[i].0, format: labels[work[i].1]) }() }
        return SensitivityProfile(
            model: task.modelName, primaryMetric: primary.name, fp32Metric: primary.value, layers: layers, formats: labels,
            entries: entries, seconds: (ContinuousClock.now - start).seconds)
    }

    /// One layer quantized with one recipe, evaluated.
    func measure(
        _ task: any ModelTask, layer: String, recipe r: Int, label: String, reference: EvaluationOutput, primary: TaskMetric,
        hook: (any ActivationHook)?, resume: (any ResumableEvaluation, any Sendable)?
    ) throws -> SensitivityEntry {
        var recipe = recipes[r]
        recipe.threads = 1
        guard let tensor = task.weights[layer] else { throw SensitivityError.unknownWeight(name: layer, model: task.modelName, suggestions: task.quantizableWeights) }
        let (quantized, report) = try MixedPlanEvaluation.quantize(tensor, quantizer: TensorQuantizer(recipe: recipe))
        var weights = task.weights
        weights[layer] = quantized
        let site = Self.inputSite(of: layer)
        let context = ForwardContext(hooks: hook.map { [SingleSiteHook(site: site, inner: $0)] } ?? [])
        let output: EvaluationOutput
        if let (model, checkpoints) = resume {
            output = try model.evaluate(weights: weights, context: context, changed: [layer], checkpoints: checkpoints)
        } else {
            output = try task.evaluate(weights: weights, context: context)
        }
        let metrics = task.metrics(output, reference: reference)
        let value = metrics.first { $0.name == primary.name }?.value ?? .nan
        return SensitivityEntry(
            layer: layer, format: label, params: tensor.count, storageBits: MixedPlanEvaluation.storageBits(report), metric: value,
            drop: primary.value - value, outputSQNRDB: MixedPlanEvaluation.outputSQNR(output, reference: reference),
            weightSQNRDB: report.sqnrDB, metrics: metrics)
    }

    /// The activation site feeding weight `layer` (`fc.weight` → `fc.input`).
    static func inputSite(of layer: String) -> String {
        (layer.hasSuffix(".weight") ? String(layer.dropLast(".weight".count)) : layer) + ".input"
    }

    /// The static quantizer calibrated once on the calibration split, or the dynamic one.
    func activationHook(_ task: any ModelTask) throws -> (any ActivationHook)? {
        guard let recipe = activations else { return nil }
        try recipe.validate()
        guard recipe.isStatic else { return DynamicTokenQuantizer(recipe: recipe) }
        let count = min(calibrationCount, task.calibrationCount)
        guard count > 0 else {
            throw QuantCoreError.incompatible("static activation quantization needs calibration data; use --calibration N with N > 0")
        }
        let observer = ActivationObserver(recipe: recipe, calibrators: [recipe.calibrator])
        try task.calibrate(count: count, context: ForwardContext(hooks: [observer]))
        return try observer.plan(calibrator: recipe.calibrator)
    }
}

/// Passes only one site to another hook: quantizes one layer's input and nothing else.
final class SingleSiteHook: ActivationHook {
    let site: String
    let inner: any ActivationHook
    init(site: String, inner: any ActivationHook) {
        self.site = site
        self.inner = inner
    }
    func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        if site.name == self.site { inner.visit(site, shape: shape, values: values) }
    }
}
