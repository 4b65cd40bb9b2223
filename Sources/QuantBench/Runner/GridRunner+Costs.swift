import Foundation
import QuantCore
import QuantModels

extension GridRunner {
    /// Costs the experiment's stored `ok` cells that lack a metric of one of its cost models, so
    /// adding a cost model to a finished grid costs no evaluation: the plan is rebuilt from the
    /// cell's axes and the model's geometry, and `measured` reads the stored evaluation time.
    ///
    /// - Returns: how many cells gained metrics.
    /// - Throws: ``ResultsStoreError`` when the store cannot be read or written.
    func annotateStoredCosts(costing: CellCosting, caches: RunCaches) throws -> Int {
        guard !costing.isEmpty else { return 0 }
        let wanted = Set(costing.metricNames)
        let cells = Dictionary(experiment.cells.enumerated().map { ($0.element.hash, ($0.offset, $0.element)) }) { first, _ in first }
        var updated = 0
        for var row in try store.rows(experiment: name) where row.status == .ok {
            guard let (index, cell) = cells[row.hash], !wanted.isSubset(of: row.metrics.keys),
                let plan = try? CellPlan(cell: cell, index: index, registry: registry, threads: 1), !plan.isWeightsOnly,
                let task = try? caches.task(plan)
            else { continue }
            let report = row.reportJSON.flatMap { try? StoreJSON.decode(ModelEvaluationReport.self, from: $0) }
            let costs: CellCosts
            do {
                let recipes = report?.plan.map { MixedCellPlan.recipes($0, plan: plan) }
                if plan.profileKey != nil, recipes == nil { continue }
                costs = try costing.estimates(
                    task: task, plan: plan, recipes: recipes, measurement: Self.storedMeasurement(row, report: report, task: task))
            } catch {
                continue
            }
            let before = row.metrics
            row.metrics.merge(costs.metrics) { old, _ in old }
            guard row.metrics != before else { continue }
            if var costed = report {
                costed.costs = (costed.costs ?? [:]).merging(costs.estimates) { _, new in new }
                costed.costProblems = costs.problems.isEmpty ? nil : costs.problems
                row.reportJSON = (try? StoreJSON.encode(costed)) ?? row.reportJSON
            }
            try store.record(row)
            updated += 1
        }
        return updated
    }

    /// The stored evaluation time of a cell, when its report says how many threads it ran on.
    static func storedMeasurement(_ row: CellRecord, report: ModelEvaluationReport?, task: any ModelTask) -> CostPlan.Measurement? {
        guard let threads = report?.evaluationThreads, let text = row.timingsJSON,
            let timings = try? StoreJSON.decode([String: Double].self, from: text), let seconds = timings["evaluate"]
        else { return nil }
        return CostPlan.Measurement(seconds: seconds, items: task.evaluationCount, threads: threads)
    }
}
