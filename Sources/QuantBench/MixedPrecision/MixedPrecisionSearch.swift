/// Searches for the per-layer assignment of least total damage within a cost budget.
///
/// - ``exact(_:)``: dynamic programming over the layers keeping only the Pareto set of
///   (Σ cost, Σ damage) partial sums; a state is dropped only when another costs no more and
///   damages no more, so the final set is exactly the Pareto frontier of all assignments (real
///   costs are fine: nothing is discretized). Partial sums are added in layer order, as
///   ``bruteForce(_:budget:)`` adds them, so both give bit-identical totals.
/// - ``greedy(_:budget:)``: from the least-damaging option of every layer, repeatedly take the
///   downgrade with the least damage increase per unit of cost saved until the budget is met.
/// - ``bruteForce(_:budget:)``: every assignment (for tests and tiny instances).
public enum MixedPrecisionSearch {
    /// One partial assignment: totals, and how it was reached (for backtracking).
    struct State {
        var cost: Double
        var damage: Double
        var parent: Int
        var choice: Int
    }

    /// The Pareto frontier of every assignment, cheapest first (damage strictly decreasing).
    ///
    /// - Throws: ``MixedPrecisionError`` for a layer without options or a non-finite number.
    public static func exact(_ problem: MixedPrecisionProblem) throws -> [MixedPrecisionSolution] {
        try problem.validate()
        var levels: [[State]] = []
        var current = [State(cost: 0, damage: 0, parent: -1, choice: -1)]
        for layer in problem.layers {
            var next: [State] = []
            next.reserveCapacity(current.count * layer.options.count)
            for (p, state) in current.enumerated() {
                for (c, option) in layer.options.enumerated() {
                    next.append(State(cost: state.cost + option.cost, damage: state.damage + option.damage, parent: p, choice: c))
                }
            }
            current = paretoPrune(next)
            levels.append(current)
        }
        return current.indices.map { problem.solution(backtrack(levels, from: $0)) }
    }

    /// The least-damaging assignment whose cost is at most `budget` (exact).
    ///
    /// - Throws: ``MixedPrecisionError/infeasible(budget:minimum:)`` when even the cheapest
    ///   assignment costs more than `budget`.
    public static func exact(_ problem: MixedPrecisionProblem, budget: Double) throws -> MixedPrecisionSolution {
        try select(try exact(problem), budget: budget)
    }

    /// The frontier point of least damage within `budget`.
    public static func select(_ frontier: [MixedPrecisionSolution], budget: Double) throws -> MixedPrecisionSolution {
        // The frontier is sorted by cost with damage decreasing: the last point within budget is best.
        guard let best = frontier.last(where: { $0.cost <= budget }) else {
            throw MixedPrecisionError.infeasible(budget: budget, minimum: frontier.first?.cost ?? 0)
        }
        return best
    }

    /// Greedy downgrading: start from each layer's least-damaging option (the costlier on a
    /// tie) and, while over budget, take the move to a cheaper option of any layer with the
    /// smallest Δdamage / Δcost (first layer, then first option, on a tie).
    ///
    /// - Throws: ``MixedPrecisionError/infeasible(budget:minimum:)`` when no downgrade is left.
    public static func greedy(_ problem: MixedPrecisionProblem, budget: Double) throws -> MixedPrecisionSolution {
        try problem.validate()
        var choices = problem.layers.map { layer in
            layer.options.indices.min { a, b in
                let x = layer.options[a], y = layer.options[b]
                return x.damage != y.damage ? x.damage < y.damage : x.cost > y.cost
            } ?? 0
        }
        var cost = problem.solution(choices).cost
        while cost > budget {
            var best: (ratio: Double, layer: Int, option: Int)?
            for (l, layer) in problem.layers.enumerated() {
                let now = layer.options[choices[l]]
                for (o, option) in layer.options.enumerated() where option.cost < now.cost {
                    let ratio = (option.damage - now.damage) / (now.cost - option.cost)
                    if best == nil || ratio < best!.ratio { best = (ratio, l, o) }
                }
            }
            guard let move = best else {
                let minimum = problem.layers.reduce(0) { $0 + ($1.options.map(\.cost).min() ?? 0) }
                throw MixedPrecisionError.infeasible(budget: budget, minimum: minimum)
            }
            choices[move.layer] = move.option
            cost = problem.solution(choices).cost
        }
        return problem.solution(choices)
    }

    /// Every assignment tried; the least damage within `budget` (the first found on a tie).
    /// Exponential: for tests and instances of a few layers only.
    public static func bruteForce(_ problem: MixedPrecisionProblem, budget: Double) throws -> MixedPrecisionSolution {
        try problem.validate()
        var choices = [Int](repeating: 0, count: problem.layers.count)
        var best: MixedPrecisionSolution?
        while true {
            let candidate = problem.solution(choices)
            if candidate.cost <= budget, best == nil || candidate.damage < best!.damage { best = candidate }
            var l = problem.layers.count - 1
            while l >= 0 {
                choices[l] += 1
                if choices[l] < problem.layers[l].options.count { break }
                choices[l] = 0
                l -= 1
            }
            if l < 0 { break }
        }
        guard let best else {
            let minimum = problem.layers.reduce(0) { $0 + ($1.options.map(\.cost).min() ?? 0) }
            throw MixedPrecisionError.infeasible(budget: budget, minimum: minimum)
        }
        return best
    }

    /// The non-dominated states, cheapest first: a state survives only if it damages strictly
    /// less than every state costing no more.
    static func paretoPrune(_ states: [State]) -> [State] {
        let sorted = states.sorted { $0.cost != $1.cost ? $0.cost < $1.cost : $0.damage < $1.damage }
        var kept: [State] = []
        for state in sorted where kept.last.map({ state.damage < $0.damage }) ?? true { kept.append(state) }
        return kept
    }

    /// The option indices leading to state `index` of the last level.
    static func backtrack(_ levels: [[State]], from index: Int) -> [Int] {
        var choices = [Int](repeating: 0, count: levels.count)
        var i = index
        for level in stride(from: levels.count - 1, through: 0, by: -1) {
            choices[level] = levels[level][i].choice
            i = levels[level][i].parent
        }
        return choices
    }
}
