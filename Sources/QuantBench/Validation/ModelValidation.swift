import Foundation
import QuantCore
import QuantModels

/// The seed notes' PTQ validation protocol as one run: FP32 baseline, several calibrators,
/// the primary metric's drop against a budget, the size check, and a verdict.
///
/// Each candidate calibrator sets the ranges of the weights (granule by granule, as
/// `quantbench eval --calibrator` does; `weightCalibrator` fixes one instead) and of the
/// activations when they are quantized. The calibration activations are observed once, with the
/// statistics every candidate needs; each candidate's evaluation (and, on failure, each
/// leave-one-out evaluation) runs single-threaded, `jobs` at a time.
public struct ModelValidation: Sendable {
    /// The weight format and granularity; the calibrator is replaced per candidate unless
    /// ``weightCalibrator`` is set.
    public var weights: QuantizationRecipe
    /// The one calibrator for every candidate's weights, or nil to use each candidate's.
    public var weightCalibrator: (any Calibrator)?
    /// The activation format and cut (nil keeps FP32 activations); the calibrator is replaced per candidate.
    public var activations: ActivationRecipe?
    public var calibrators: [any Calibrator]
    public var budget: AccuracyBudget
    /// The metric to judge (nil: ``PrimaryMetric/standard(for:reported:)``).
    public var metric: String?
    public var calibrationCount: Int
    /// The minimum compression of the quantized layers (nil: ``SizeCheck/defaultMinimum(for:)``).
    public var minimumCompression: Double?
    /// Evaluations run at once.
    public var jobs: Int
    /// Culprits listed in the triage.
    public var culpritCount = 5

    public init(
        weights: QuantizationRecipe, weightCalibrator: (any Calibrator)? = nil, activations: ActivationRecipe?,
        calibrators: [any Calibrator], budget: AccuracyBudget, metric: String? = nil, calibrationCount: Int,
        minimumCompression: Double? = nil, jobs: Int = BatchScheduler.cores
    ) {
        self.weights = weights
        self.weightCalibrator = weightCalibrator
        self.activations = activations
        self.calibrators = calibrators
        self.budget = budget
        self.metric = metric
        self.calibrationCount = calibrationCount
        self.minimumCompression = minimumCompression
        self.jobs = max(1, jobs)
    }

    /// Runs the protocol on `task`.
    ///
    /// - Throws: ``ValidationSetupError`` for a bad list, metric or compression, or when every
    ///   calibrator failed; calibration errors of the activation recipe; the task's own errors.
    ///   A calibrator failing on some tensor is recorded in its row, not thrown.
    public func run(_ task: any ModelTask) throws -> ValidationReport {
        try checkSetup()
        var seconds: [String: Double] = [:]
        let reference = try timed("fp32", &seconds) { try task.evaluate(weights: task.weights, context: .plain) }
        let fp32 = task.metrics(reference, reference: reference)
        let primary = try primaryMetric(task, fp32: fp32)
        let fp32Value = fp32.first { $0.name == primary.name }?.value ?? .nan
        let calibrated = min(calibrationCount, task.calibrationCount)
        let observer = activations?.isStatic == true ? try timed("observe", &seconds) { try observe(task, count: calibrated) } : nil
        let candidates = try timed("calibrators", &seconds) {
            try evaluateCandidates(task, reference: reference, observer: observer)
        }
        let allowed = budget.allowedDrop(fp32: fp32Value)
        let rows = candidates.map { row($0, task: task, reference: reference, primary: primary, fp32: fp32Value, allowed: allowed) }
        guard let bestIndex = Self.bestIndex(rows, primary: primary), let best = candidates[bestIndex].outcome else {
            throw ValidationSetupError.noCalibratorSucceeded(
                model: task.modelName, failures: rows.map { "\($0.calibrator): \($0.error ?? "failed")" })
        }
        let size = SizeCheck(
            format: weights.format, reports: best.reports, parameterCount: task.parameterCount,
            minimum: minimumCompression ?? SizeCheck.defaultMinimum(for: weights.format))
        let accuracyPassed = rows[bestIndex].withinBudget
        var culprits: [ValidationReport.Culprit] = []
        if !accuracyPassed {
            culprits = timed("culprits", &seconds) {
                leaveOneOut(task, best: best, reference: reference, bestValue: rows[bestIndex].value ?? .nan, fp32: fp32Value, primary: primary,
                                observer: observer)
            }
        }
        var report = ValidationReport(
            model: task.modelName, configuration: configuration, metric: primary, budget: budget,
            calibrationItems: activations?.isStatic == true ? calibrated : 0, evaluationItems: task.evaluationCount,
            fp32: fp32, fp32Value: fp32Value, allowedDrop: allowed, calibrators: rows, best: rows[bestIndex].calibrator,
            size: size, accuracyPassed: accuracyPassed, verdict: accuracyPassed && size.passed ? .pass : .fail, reasons: [],
            culprits: culprits, worstWeights: Self.worst(best.reports.map(LayerError.init)),
            worstActivations: Self.worst(ModelEvaluation.siteErrors(best.hook, order: task.activationSites)),
            triage: [], latencyNote: ValidationReport.latencyStatement, seconds: seconds)
        report.reasons = ValidationTriage.reasons(report)
        report.triage = accuracyPassed ? [] : ValidationTriage.suggestions(report, validation: self, task: task)
        return report
    }

    func checkSetup() throws {
        if calibrators.isEmpty { throw ValidationSetupError.badCalibratorList("") }
        let names = calibrators.map(\.name)
        if Set(names).count != names.count { throw ValidationSetupError.badCalibratorList(names.joined(separator: ",")) }
        if let minimumCompression, !(minimumCompression.isFinite && minimumCompression > 0) {
            throw ValidationSetupError.badCompression(minimumCompression)
        }
        try activations?.validate()
        if let activations, activations.isStatic, calibrationCount < 1 {
            throw QuantCoreError.incompatible("static activation quantization needs calibration data; use --calibration N with N > 0")
        }
    }

    func primaryMetric(_ task: any ModelTask, fp32: [TaskMetric]) throws -> PrimaryMetric {
        let known = fp32.map(\.name)
        let chosen = metric.map { PrimaryMetric(name: $0) } ?? PrimaryMetric.standard(for: task.modelName, reported: fp32)
        guard let chosen, known.contains(chosen.name) else {
            throw ValidationSetupError.unknownMetric(metric ?? "", model: task.modelName, known: known)
        }
        return chosen
    }

    /// One observation pass over the calibration items for every candidate (nil when
    /// activations stay FP32 or are quantized dynamically).
    func observe(_ task: any ModelTask, count: Int) throws -> ActivationObserver? {
        guard let activations, activations.isStatic else { return nil }
        let observer = ActivationObserver(recipe: activations, calibrators: calibrators, extra: [.range, .absHistogram])
        try task.calibrate(count: count, context: ForwardContext(hooks: [observer]))
        return observer
    }

    var configuration: [String: String] {
        var summary = ["weights": weights.format.name, "granularity": weights.granularity.name]
        summary["weight_calibrator"] = weightCalibrator?.name ?? "each candidate"
        if let activations {
            summary["activations"] = activations.format.name
            summary["activation_granularity"] = activations.cut.rawValue
        }
        return summary
    }

    static func worst(_ errors: [LayerError], count: Int = 3) -> [LayerError] {
        Array(errors.sorted { $0.sqnrDB < $1.sqnrDB }.prefix(count))
    }

    func timed<T>(_ phase: String, _ seconds: inout [String: Double], _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { seconds[phase] = (ContinuousClock.now - start).seconds }
        return try body()
    }
}
