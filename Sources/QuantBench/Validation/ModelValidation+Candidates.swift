import Foundation
import QuantCore
import QuantModels

extension ModelValidation {
    /// One calibrator's quantized model: its weights, activation hook and evaluation output.
    struct Outcome: Sendable {
        var calibrator: any Calibrator
        var weights: [String: Tensor]
        var reports: [TensorReport]
        var hook: (any ActivationHook)?
        var output: EvaluationOutput
    }

    /// A candidate's outcome, or the error that stopped it.
    struct Candidate: Sendable {
        var calibrator: any Calibrator
        var outcome: Outcome?
        var error: String?
        var seconds: Double
    }

    /// Quantizes and evaluates every candidate, `jobs` at a time, each single-threaded.
    func evaluateCandidates(_ task: any ModelTask, reference: EvaluationOutput, observer: ActivationObserver?) throws -> [Candidate] {
        let shared = try weightCalibrator.map { try quantizedWeights(task, calibrator: $0) }
        let validation = self
        let results = ValidationWorkers.map(calibrators, jobs: jobs) { calibrator -> Candidate in
            let start = ContinuousClock.now
            let (tensors, reports) = try shared ?? validation.quantizedWeights(task, calibrator: calibrator)
            let hook = try validation.hook(for: calibrator, observer: observer)
            let output = try validation.evaluate(task, weights: tensors, hook: hook)
            return Candidate(
                calibrator: calibrator, outcome: Outcome(calibrator: calibrator, weights: tensors, reports: reports, hook: hook, output: output),
                error: nil, seconds: (ContinuousClock.now - start).seconds)
        }
        return zip(calibrators, results).map { calibrator, result in
            switch result {
            case let .success(candidate): return candidate
            case let .failure(error): return Candidate(calibrator: calibrator, outcome: nil, error: String(describing: error), seconds: 0)
            }
        }
    }

    /// Every quantizable weight fake-quantized with the validation's format and granularity and `calibrator`.
    func quantizedWeights(_ task: any ModelTask, calibrator: any Calibrator) throws -> ([String: Tensor], [TensorReport]) {
        var recipe = weights
        recipe.calibrator = calibrator
        recipe.threads = 1
        return try ModelEvaluation(weights: recipe, activations: nil, calibrationCount: 0).quantizedWeights(task)
    }

    /// The activation quantizer for `calibrator`: static from the shared statistics, dynamic
    /// per token, or none when activations stay FP32.
    func hook(for calibrator: any Calibrator, observer: ActivationObserver?) throws -> (any ActivationHook)? {
        guard var recipe = activations else { return nil }
        recipe.calibrator = calibrator
        guard recipe.isStatic else { return DynamicTokenQuantizer(recipe: recipe) }
        guard let observer else { throw QuantCoreError.incompatible("no calibration statistics for static activations") }
        return try observer.plan(calibrator: calibrator, recipe: recipe)
    }

    /// The evaluation split through `weights` and `hook`; a dynamic quantizer's failure is an error.
    func evaluate(_ task: any ModelTask, weights: [String: Tensor], hook: (any ActivationHook)?) throws -> EvaluationOutput {
        let output = try task.evaluate(weights: weights, context: ForwardContext(hooks: hook.map { [$0] } ?? []))
        if let dynamic = hook as? DynamicTokenQuantizer, let failure = dynamic.failure {
            throw QuantCoreError.incompatible("dynamic activation quantization failed: \(failure)")
        }
        return output
    }

    /// A candidate's row: metrics, primary value, drop and whether it is within `allowed`.
    func row(
        _ candidate: Candidate, task: any ModelTask, reference: EvaluationOutput, primary: PrimaryMetric, fp32: Double, allowed: Double
    ) -> ValidationReport.CalibratorResult {
        guard let outcome = candidate.outcome else {
            return .init(calibrator: candidate.calibrator.name, metrics: nil, value: nil, drop: nil, withinBudget: false,
                         meanWeightSQNR: nil, meanActivationSQNR: nil, error: candidate.error, seconds: candidate.seconds)
        }
        let metrics = task.metrics(outcome.output, reference: reference)
        let value = metrics.first { $0.name == primary.name }?.value ?? .nan
        let drop = primary.drop(fp32: fp32, quantized: value)
        let sites = ModelEvaluation.siteErrors(outcome.hook, order: task.activationSites).map(\.sqnrDB)
        return .init(
            calibrator: candidate.calibrator.name, metrics: metrics, value: value, drop: drop,
            withinBudget: Self.within(drop: drop, allowed: allowed), meanWeightSQNR: Self.mean(outcome.reports.map(\.sqnrDB)),
            meanActivationSQNR: sites.isEmpty ? nil : Self.mean(sites), error: nil, seconds: candidate.seconds)
    }

    /// drop ≤ allowed, with a margin of 1e-12 for the rounding of `fraction × fp32`.
    static func within(drop: Double, allowed: Double) -> Bool { drop.isFinite && drop <= allowed + 1e-12 }

    static func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }

    /// The row with the best primary value (the first on ties); nil when every row failed.
    static func bestIndex(_ rows: [ValidationReport.CalibratorResult], primary: PrimaryMetric) -> Int? {
        var best: (index: Int, score: Double)?
        for (i, row) in rows.enumerated() {
            guard let value = row.value, value.isFinite else { continue }
            let score = primary.higherIsBetter ? value : -value
            if let current = best, score <= current.score { continue }
            best = (i, score)
        }
        return best?.index
    }
}
