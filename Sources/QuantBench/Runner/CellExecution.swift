import Foundation
import QuantCore
import QuantModels

/// Runs one cell against the shared caches and turns the outcome into a store record.
struct CellExecution: Sendable {
    let caches: RunCaches
    /// Evaluation workers per cell (cores divided among the cells running at once).
    let workers: Int
    let experiment: String
    /// Provenance common to every cell (workbench version, git commit).
    let provenance: [String: String]
    /// The experiment's cost models.
    let costing: CellCosting

    /// The cell's record: `ok` with its metrics, or `failed` with the error text. Never throws:
    /// a failing cell must not stop the grid.
    func run(_ plan: CellPlan) -> CellRecord {
        if plan.model.hasPrefix(GridSpec.weightsOnlyPrefix) { return runWeightsOnly(plan) }
        let started = Date()
        var timings: [String: Double] = [:]
        do {
            let (report, metrics) = try evaluate(plan, timings: &timings)
            var record = record(plan, status: .ok, started: started, timings: timings)
            record.metrics = metrics
            record.reportJSON = try? StoreJSON.encode(report)
            return record
        } catch {
            var record = record(plan, status: .failed, started: started, timings: timings)
            record.error = Self.describe(error)
            return record
        }
    }

    private func evaluate(_ plan: CellPlan, timings: inout [String: Double]) throws -> (ModelEvaluationReport, [String: Double]) {
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ phase: String) {
            let now = clock.now
            timings[phase, default: 0] += (now - mark).seconds
            mark = now
        }
        let task = try caches.task(plan)
        let reference = try caches.reference(plan)
        let observer = try caches.observation(plan)
        let mixed = try plan.profileKey.map { _ in try MixedCellPlan(plan: plan, profile: try caches.profile(plan), task: task) }
        lap("shared")
        let weights = try mixed.map { mixed in
            let (tensors, reports) = try MixedPlanEvaluation.quantizedWeights(task, plan: mixed.recipes)
            return RunCaches.QuantizedWeights(tensors: tensors, reports: reports)
        } ?? caches.quantizedWeights(plan)
        lap(mixed == nil ? "shared" : "quantize")
        let hook = try activationHook(plan, observer: observer)
        lap("calibrate")
        let context = ForwardContext(hooks: hook.map { [$0] } ?? [])
        let output = try BatchScheduler.$workerLimit.withValue(workers) { try task.evaluate(weights: weights.tensors, context: context) }
        if let dynamic = hook as? DynamicTokenQuantizer, let failure = dynamic.failure {
            throw QuantCoreError.incompatible("dynamic activation quantization failed: \(failure)")
        }
        lap("evaluate")
        let report = ModelEvaluationReport(
            model: task.modelName, configuration: plan.axisTexts,
            calibrationItems: plan.activations == nil ? 0 : task.calibrationCount, evaluationItems: task.evaluationCount,
            fp32: task.metrics(reference, reference: reference), quantized: task.metrics(output, reference: reference),
            weightLayers: weights.reports.map(LayerError.init),
            activationSites: ModelEvaluation.siteErrors(hook, order: task.activationSites), seconds: timings)
        var metrics = Self.metrics(report, weightReports: weights.reports)
        metrics["seconds"] = timings.values.reduce(0, +)
        var costed = report
        costed.evaluationThreads = workers
        if let mixed {
            costed.plan = mixed.assignment
            // The plan's exact storage (whatever the budget was counted in: bits, MiB or µs).
            metrics["plan_bits"] = metrics["weight_bits"]
            metrics["plan_predicted_sqnr_db"] = mixed.solution.predictedSQNRDB
            metrics["plan_high_layers"] = Double(mixed.highLayers)
        }
        guard !costing.isEmpty else { return (costed, metrics) }
        let measurement = CostPlan.Measurement(seconds: timings["evaluate"] ?? 0, items: task.evaluationCount, threads: workers)
        let costs = try costing.estimates(task: task, plan: plan, recipes: mixed?.recipes, measurement: measurement)
        costed.costs = costs.estimates
        costed.costProblems = costs.problems.isEmpty ? nil : costs.problems
        metrics.merge(costs.metrics) { old, _ in old }
        return (costed, metrics)
    }

    /// The static quantizer from the shared statistics, or the dynamic one, or none.
    private func activationHook(_ plan: CellPlan, observer: ActivationObserver?) throws -> (any ActivationHook)? {
        guard let recipe = plan.activations else { return nil }
        try recipe.validate()
        guard recipe.isStatic else { return DynamicTokenQuantizer(recipe: recipe) }
        guard let observer else { throw QuantCoreError.incompatible("no calibration statistics for static activations") }
        return try observer.plan(calibrator: recipe.calibrator, recipe: recipe)
    }

    /// The task's metrics, their FP32 values as `fp32_<name>`, and the quantization errors:
    /// mean weight and activation SQNR (dB) and the storage bits per weight (32 for FP32).
    static func metrics(_ report: ModelEvaluationReport, weightReports: [TensorReport]) -> [String: Double] {
        var metrics: [String: Double] = [:]
        for metric in report.quantized { metrics[metric.name] = metric.value }
        for metric in report.fp32 { metrics["fp32_" + metric.name] = metric.value }
        if !report.weightLayers.isEmpty { metrics["weight_sqnr_db"] = mean(report.weightLayers.map(\.sqnrDB)) }
        if !report.activationSites.isEmpty { metrics["activation_sqnr_db"] = mean(report.activationSites.map(\.sqnrDB)) }
        let elements = weightReports.map { Double($0.shape.reduce(1, *)) }
        let bits = zip(weightReports, elements).map { $0.storageBitsPerElement * $1 }.reduce(0, +)
        metrics["weight_bits"] = weightReports.isEmpty ? 32 : bits / max(1, elements.reduce(0, +))
        return metrics
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    private func record(_ plan: CellPlan, status: CellRecord.Status, started: Date, timings: [String: Double]) -> CellRecord {
        CellRecord(
            hash: plan.cell.hash, experiment: experiment, axes: plan.axisTexts, status: status,
            timingsJSON: try? StoreJSON.encode(timings), provenanceJSON: try? StoreJSON.encode(cellProvenance(plan)),
            startedAt: started, finishedAt: Date())
    }

    /// Where the cell's numbers come from: versions, plug-ins, model files and calibration data.
    private func cellProvenance(_ plan: CellPlan) -> [String: [String: String]] {
        var plugins: [String: String] = [:]
        for axis in ["calibrator", "granularity", "weights", "activations"] {
            if let name = plan.cell.canonical[axis]?.string { plugins[axis] = name }
        }
        var data: [String: String] = ["calibration": plan.calibrationKey]
        if let digest = try? caches.calibrationDigest(plan) { data["calibration_sha256"] = digest }
        return [
            "workbench": provenance, "plugins": plugins, "data": data,
            "model_files": (try? caches.sourceDigests(plan)) ?? [:],
        ]
    }

    /// An error as one line for the store and the report.
    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
