import QuantCore
import QuantModels

/// A mixed-precision cell's plan: the search's solution and the recipe of every layer.
struct MixedCellPlan: Sendable {
    var solution: MixedPrecisionSolution
    /// Weight name → recipe (the cell's low format or its high one).
    var recipes: [String: QuantizationRecipe]
    /// Weight name → format name, as stored in the cell's report.
    var assignment: [String: String]
    /// Layers raised to the high format.
    var highLayers: Int

    /// Searches `profile` for `plan`'s budget: exact (the Pareto frontier of predicted output
    /// noise against storage bits, then its best point within budget) or greedy.
    ///
    /// - Throws: ``MixedPrecisionError/infeasible(budget:minimum:)`` (with the budget restated
    ///   in the plan's own unit) when even every layer at the low format is over budget.
    init(plan: CellPlan, profile: SensitivityProfile, task: any ModelTask) throws {
        guard case let .mixed(mixed) = plan.weightPlan, let low = plan.weights, let high = plan.highWeights else {
            throw QuantCoreError.incompatible("not a mixed-precision cell")
        }
        // The profile's options are labelled by format name, low first (SensitivityAnalysis.labels).
        let labels = SensitivityAnalysis(recipes: [low, high]).labels
        let problem: MixedPrecisionProblem, budget: Double
        switch mixed.budget {
        case let .bitsPerWeight(bits):
            problem = try profile.problem(formats: labels)
            budget = problem.budget(averageBits: bits)
        case let .mebibytes(mib):
            problem = try profile.problem(formats: labels)
            budget = mib * 1_048_576 * 8
        case let .microseconds(us, _):
            let latency = try Self.layerLatencies(plan: plan, task: task, labels: labels)
            problem = try profile.problem(formats: labels) { latency[$0.layer]?[$0.format] ?? .infinity }
            budget = us
        }
        do {
            solution = mixed.search == .exact
                ? try MixedPrecisionSearch.exact(problem, budget: budget) : try MixedPrecisionSearch.greedy(problem, budget: budget)
        } catch MixedPrecisionError.infeasible(_, let minimum) {
            let elements = Double(max(1, problem.totalElements))
            let cheapest: String
            if case .microseconds = mixed.budget { cheapest = "\(formatted(minimum)) µs" } else {
                cheapest = "\(formatted(minimum / elements)) bits per weight (\(formatted(minimum / 8_388_608)) MiB)"
            }
            throw QuantCoreError.incompatible(
                "plan \(mixed) is infeasible: the cheapest assignment already takes \(cheapest); raise the budget")
        }
        assignment = solution.plan
        highLayers = assignment.values.filter { $0 == labels[1] }.count
        recipes = Self.recipes(assignment, plan: plan)
    }

    /// Each layer's roofline latency (µs) under each of the plan's two recipes, by layer and
    /// label, with the cell's activations: the model's per-layer `latency_us`.
    static func layerLatencies(plan: CellPlan, task: any ModelTask, labels: [String]) throws -> [String: [String: Double]] {
        guard let model = plan.budgetCostModel, let low = plan.weights, let high = plan.highWeights else {
            throw QuantCoreError.incompatible("a latency budget needs a roofline cost model")
        }
        var result: [String: [String: Double]] = [:]
        for (label, recipe) in zip(labels, [low, high]) {
            let estimate = try model.estimate(CostPlanning.plan(task: task, weights: recipe, activations: plan.activations))
            for layer in estimate.layers { result[layer.weight, default: [:]][label] = layer.metrics["latency_us"] }
        }
        return result
    }

    /// The recipes of a stored assignment (weight → format label) of `plan`'s low and high formats.
    static func recipes(_ assignment: [String: String], plan: CellPlan) -> [String: QuantizationRecipe] {
        guard let low = plan.weights, let high = plan.highWeights else { return [:] }
        let labels = SensitivityAnalysis(recipes: [low, high]).labels
        let byLabel = Dictionary(zip(labels, [low, high])) { first, _ in first }
        return assignment.compactMapValues { byLabel[$0] }
    }
}

private func formatted(_ value: Double) -> String {
    String((value * 1000).rounded() / 1000)
}
