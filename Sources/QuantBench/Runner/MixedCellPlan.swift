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
    init(plan: CellPlan, profile: SensitivityProfile) throws {
        guard case let .mixed(mixed) = plan.weightPlan, let low = plan.weights, let high = plan.highWeights else {
            throw QuantCoreError.incompatible("not a mixed-precision cell")
        }
        // The profile's options are labelled by format name, low first (SensitivityAnalysis.labels).
        let labels = SensitivityAnalysis(recipes: [low, high]).labels
        let problem = try profile.problem(formats: labels)
        let budget: Double
        switch mixed.budget {
        case let .bitsPerWeight(bits): budget = problem.budget(averageBits: bits)
        case let .mebibytes(mib): budget = mib * 1_048_576 * 8
        }
        do {
            solution = mixed.search == .exact
                ? try MixedPrecisionSearch.exact(problem, budget: budget) : try MixedPrecisionSearch.greedy(problem, budget: budget)
        } catch MixedPrecisionError.infeasible(_, let minimum) {
            let elements = Double(max(1, problem.totalElements))
            throw QuantCoreError.incompatible(
                "plan \(mixed) is infeasible: every layer at \(low.format.name) already takes "
                    + "\(formatted(minimum / elements)) bits per weight (\(formatted(minimum / 8_388_608)) MiB); raise the budget")
        }
        assignment = solution.plan
        highLayers = assignment.values.filter { $0 == labels[1] }.count
        recipes = Self.recipes(assignment, plan: plan)
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
