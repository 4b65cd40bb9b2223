import QuantCore
import QuantModels

/// Applies an experiment's cost models to its cells: the metrics go into the store beside the
/// task metrics, the estimates (with their notes) into the cell's report.
struct CellCosting: Sendable {
    /// The cost models, each under the name the grid wrote.
    let models: [(name: String, model: any CostModel)]

    /// Resolves `names` through `registry` (the grid parser has already checked them).
    init(names: [String], registry: PluginRegistry) throws {
        models = try names.map { ($0, try registry.costModel($0)) }
    }

    var isEmpty: Bool { models.isEmpty }

    /// Every metric name the models produce.
    var metricNames: [String] { models.flatMap(\.model.metricNames) }

    /// What the cost models say about `plan`'s configuration of `task`.
    ///
    /// A model that cannot cost this cell (`measured` without a timing) leaves its metrics out
    /// and says why in `problems`; the cell itself still succeeds.
    /// - Parameter recipes: Each weight's recipe for a mixed-precision cell (nil: the cell's
    ///   uniform weights).
    func estimates(
        task: any ModelTask, plan: CellPlan, recipes: [String: QuantizationRecipe]? = nil, measurement: CostPlan.Measurement?
    ) throws -> CellCosts {
        let costPlan = try recipes.map { try CostPlanning.plan(task: task, recipes: $0, activations: plan.activations, measurement: measurement) }
            ?? CostPlanning.plan(task: task, weights: plan.weights, activations: plan.activations, measurement: measurement)
        var costs = CellCosts()
        for (name, model) in models {
            do {
                let estimate = try model.estimate(costPlan)
                costs.metrics.merge(estimate.metrics) { _, new in new }
                costs.estimates[name] = estimate
            } catch {
                costs.problems.append("\(name): \(error)")
            }
        }
        return costs
    }
}

/// One cell's cost metrics and estimates.
struct CellCosts: Sendable {
    var metrics: [String: Double] = [:]
    var estimates: [String: CostEstimate] = [:]
    var problems: [String] = []
}
