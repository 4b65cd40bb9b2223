import Foundation
import QuantCore
import QuantModels

/// One model configuration run end to end: quantize the weights, calibrate the activations on
/// the calibration split, evaluate on the evaluation split, and compare with FP32.
public struct ModelEvaluation: Sendable {
    /// Weight recipe (nil keeps FP32 weights).
    public var weights: QuantizationRecipe?
    /// Activation recipe (nil keeps FP32 activations).
    public var activations: ActivationRecipe?
    /// Calibration items to observe (at most the split's size).
    public var calibrationCount: Int

    public init(weights: QuantizationRecipe?, activations: ActivationRecipe?, calibrationCount: Int) {
        self.weights = weights
        self.activations = activations
        self.calibrationCount = calibrationCount
    }

    /// Runs the configuration on `task`.
    ///
    /// - Parameter reference: The FP32 output of `task`, when already computed (a sweep runs
    ///   it once for all configurations); computed here otherwise.
    /// - Throws: quantization and calibration errors naming the tensor or activation site,
    ///   and the task's own errors.
    public func run(_ task: any ModelTask, reference known: EvaluationOutput? = nil) throws -> ModelEvaluationReport {
        try activations?.validate()
        let calibrated = min(calibrationCount, task.calibrationCount)
        if let activations, activations.isStatic, calibrated < 1 {
            throw QuantCoreError.incompatible("static activation quantization needs calibration data; use --calibration N with N > 0")
        }
        let clock = ContinuousClock()
        var seconds: [String: Double] = [:]
        func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
            let start = clock.now
            defer { seconds[phase] = (clock.now - start).seconds }
            return try body()
        }
        let reference = try known ?? timed("fp32_eval") { try task.evaluate(weights: task.weights, context: .plain) }
        let (weights, weightReports) = try timed("weights") { try quantizedWeights(task) }
        let hook = try timed("calibration") { try activationHook(task, count: calibrated) }
        let output = try timed("quantized_eval") {
            try task.evaluate(weights: weights, context: ForwardContext(hooks: hook.map { [$0] } ?? []))
        }
        if let dynamic = hook as? DynamicTokenQuantizer, let failure = dynamic.failure {
            throw QuantCoreError.incompatible("dynamic activation quantization failed: \(failure)")
        }
        return ModelEvaluationReport(
            model: task.modelName, configuration: configurationSummary, calibrationItems: activations == nil ? 0 : calibrated,
            evaluationItems: task.evaluationCount, fp32: task.metrics(reference, reference: reference), quantized: task.metrics(output, reference: reference),
            weightLayers: weightReports.map(LayerError.init), activationSites: Self.siteErrors(hook, order: task.activationSites),
            seconds: seconds)
    }

    /// The task's weights with every quantizable one fake-quantized, and a report per weight.
    ///
    /// Convolution weights `[out, in, kh, kw]` are quantized as `[out, in·kh·kw]`, so per-group
    /// granules run along the flattened input (the usual choice); the shape is restored after.
    func quantizedWeights(_ task: any ModelTask) throws -> ([String: Tensor], [TensorReport]) {
        guard let recipe = weights else { return (task.weights, []) }
        var result = task.weights
        var reports: [TensorReport] = []
        let quantizer = TensorQuantizer(recipe: recipe)
        for name in task.quantizableWeights {
            guard let tensor = task.weights[name] else { continue }
            let (output, report) = try MixedPlanEvaluation.quantize(tensor, quantizer: quantizer)
            result[name] = output
            reports.append(report)
        }
        return (result, reports)
    }

    /// Observes the calibration split and returns the static quantizer, or the dynamic one
    /// (``run(_:reference:)`` has checked that a static recipe has calibration items).
    func activationHook(_ task: any ModelTask, count: Int) throws -> (any ActivationHook)? {
        guard let recipe = activations else { return nil }
        guard recipe.isStatic else { return DynamicTokenQuantizer(recipe: recipe) }
        let observer = ActivationObserver(recipe: recipe, calibrators: [recipe.calibrator])
        try task.calibrate(count: count, context: ForwardContext(hooks: [observer]))
        return try observer.plan(calibrator: recipe.calibrator)
    }

    var configurationSummary: [String: String] {
        var summary: [String: String] = [:]
        if let weights {
            summary["weights"] = weights.format.name
            summary["granularity"] = weights.granularity.name
            summary["calibrator"] = weights.calibrator.name
        }
        if let activations {
            summary["activations"] = activations.format.name
            summary["activation_granularity"] = activations.cut.rawValue
            summary["activation_calibrator"] = activations.calibrator.name
        }
        return summary
    }

    static func siteErrors(_ hook: (any ActivationHook)?, order: [ActivationSite]) -> [LayerError] {
        let errors = (hook as? any MeasuredActivationHook)?.siteErrors ?? [:]
        return order.compactMap { site in errors[site.name].map { LayerError(name: site.name, metrics: $0) } }
    }
}

/// The quantization error of one weight tensor or activation site.
public struct LayerError: Sendable, Codable {
    public var name: String
    public var sqnrDB: Double
    public var mse: Double
    public var cosine: Double
    public var bits: Double?

    init(name: String, metrics: ErrorMetrics) {
        self.name = name
        sqnrDB = metrics.sqnrDB
        mse = metrics.mse
        cosine = metrics.cosine
    }

    init(_ report: TensorReport) {
        name = report.tensor
        sqnrDB = report.sqnrDB
        mse = report.mse
        cosine = report.cosine
        bits = report.storageBitsPerElement
    }

    enum CodingKeys: String, CodingKey {
        case name, mse, cosine, bits
        case sqnrDB = "sqnr_db"
    }
}

/// What ``ModelEvaluation/run(_:)`` found.
public struct ModelEvaluationReport: Sendable, Codable {
    public var model: String
    public var configuration: [String: String]
    public var calibrationItems: Int
    public var evaluationItems: Int
    public var fp32: [TaskMetric]
    public var quantized: [TaskMetric]
    public var weightLayers: [LayerError]
    public var activationSites: [LayerError]
    public var seconds: [String: Double]
    /// Threads the quantized evaluation ran on (grid cells; the `measured` cost model's divisor).
    public var evaluationThreads: Int?
    /// The estimate of each cost model the experiment lists, by the name it was written with.
    public var costs: [String: CostEstimate]?
    /// Cost models that could not cost this cell, with the reason.
    public var costProblems: [String]?
    /// A mixed-precision cell's plan: weight name → format.
    public var plan: [String: String]?

    enum CodingKeys: String, CodingKey {
        case model, configuration, fp32, quantized, seconds, costs, plan
        case evaluationThreads = "evaluation_threads"
        case costProblems = "cost_problems"
        case calibrationItems = "calibration_items"
        case evaluationItems = "evaluation_items"
        case weightLayers = "weight_layers"
        case activationSites = "activation_sites"
    }

    /// The quantized value of metric `name`.
    public func quantized(_ name: String) -> Double? { quantized.first { $0.name == name }?.value }
    /// The FP32 value of metric `name`.
    public func fp32(_ name: String) -> Double? { fp32.first { $0.name == name }?.value }
}
