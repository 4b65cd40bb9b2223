import Dispatch
import QuantCore
import QuantModels
import Synchronization

/// One evaluated plan: what the search predicted and what the model really did.
public struct MixedPrecisionPoint: Sendable, Codable {
    /// `exact`, `greedy` or `frontier`.
    public var kind: String
    /// The layer → format assignment, in layer order.
    public var plan: [LayerChoice]
    /// Total cost (storage bits of the quantized weights).
    public var cost: Double
    public var averageBits: Double
    public var predictedDamage: Double
    /// −10·log10(Σ damage) when the damage is output noise; nil for a metric-drop search.
    public var predictedSQNRDB: Double?
    /// The real primary metric and output SQNR of the model with the plan applied.
    public var metric: Double
    public var outputSQNRDB: Double
    /// Whether no other evaluated point is at most as costly and at least as good on the metric (one strictly).
    public var onRealFrontier: Bool
    /// E.g. `int8: 2 (conv_layers.0, fc_layers.2); int4: 3`.
    public var summary: String
    /// One character per layer: the format's first digit (else its index), e.g. `84448`.
    public var code: String

    enum CodingKeys: String, CodingKey {
        case kind, plan, cost, metric, summary, code
        case averageBits = "average_bits"
        case predictedDamage = "predicted_damage"
        case predictedSQNRDB = "predicted_sqnr_db"
        case outputSQNRDB = "output_sqnr_db"
        case onRealFrontier = "on_real_frontier"
    }
}

/// The sensitivity-driven mixed-precision study: the exact predicted frontier, a sweep of its
/// points evaluated for real, and greedy against exact at one budget.
public struct MixedPrecisionStudy: Sendable, Codable {
    public var profile: SensitivityProfile
    public var damage: String
    /// The budget in cost units (bits), if one was given.
    public var budget: Double?
    /// Size of the whole predicted frontier.
    public var frontierSize: Int
    /// Evaluated frontier points, cheapest first.
    public var points: [MixedPrecisionPoint]
    /// The exact and greedy plans at ``budget``, evaluated.
    public var exactAtBudget: MixedPrecisionPoint?
    public var greedyAtBudget: MixedPrecisionPoint?

    enum CodingKeys: String, CodingKey {
        case profile, damage, budget, points
        case frontierSize = "frontier_size"
        case exactAtBudget = "exact_at_budget"
        case greedyAtBudget = "greedy_at_budget"
    }

    /// Searches `profile` (costs: storage bits) and evaluates `count` frontier points spread
    /// evenly over the cost range (the cheapest and dearest always), and the plans at `budget`.
    ///
    /// - Parameter recipes: The recipe of each profiled format, by its label.
    /// - Throws: search errors (an infeasible budget names the cheapest cost), evaluation errors.
    public static func run(
        task: any ModelTask, reference: EvaluationOutput, profile: SensitivityProfile, recipes: [String: QuantizationRecipe],
        count: Int, budget: Double?, damage: SensitivityProfile.Damage = .outputNoise, jobs: Int = BatchScheduler.cores
    ) throws -> MixedPrecisionStudy {
        let problem = try profile.problem(damage: damage)
        let frontier = try MixedPrecisionSearch.exact(problem)
        var chosen: [MixedPrecisionSolution] = []
        if let low = frontier.first?.cost, let high = frontier.last?.cost {
            let k = max(2, count)
            for i in 0..<k {
                let target = low + (high - low) * Double(i) / Double(k - 1)
                if let s = try? MixedPrecisionSearch.select(frontier, budget: target), !chosen.contains(s) { chosen.append(s) }
            }
        }
        var extra: [(String, MixedPrecisionSolution)] = []
        if let budget {
            extra.append(("exact", try MixedPrecisionSearch.select(frontier, budget: budget)))
            extra.append(("greedy", try MixedPrecisionSearch.greedy(problem, budget: budget)))
        }
        let all = chosen.map { ("frontier", $0) } + extra
        let evaluated = try evaluate(all, task: task, reference: reference, profile: profile, recipes: recipes, damage: damage, jobs: jobs)
        var points = Array(evaluated.prefix(chosen.count))
        markRealFrontier(&points)
        return MixedPrecisionStudy(
            profile: profile, damage: damage.rawValue, budget: budget, frontierSize: frontier.count, points: points,
            exactAtBudget: budget == nil ? nil : evaluated[chosen.count], greedyAtBudget: budget == nil ? nil : evaluated[chosen.count + 1])
    }

    /// Each plan evaluated for real, side by side on `jobs` single-threaded evaluations.
    static func evaluate(
        _ plans: [(String, MixedPrecisionSolution)], task: any ModelTask, reference: EvaluationOutput, profile: SensitivityProfile,
        recipes: [String: QuantizationRecipe], damage: SensitivityProfile.Damage, jobs: Int
    ) throws -> [MixedPrecisionPoint] {
        let results = Mutex<[Int: Result<MixedPrecisionPoint, any Error>]>([:])
        let next = Atomic<Int>(0)
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, plans.count))) { _ in
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    guard i < plans.count else { return }
                    let result = Result {
                        try BatchScheduler.$workerLimit.withValue(1) {
                            try point(plans[i].0, plans[i].1, task: task, reference: reference, profile: profile, recipes: recipes, damage: damage)
                        }
                    }
                    results.withLock { $0[i] = result }
                }
            }
        }
        let collected = results.withLock { $0 }
        return try plans.indices.map { i in try collected[i]!.get() }
    }

    static func point(
        _ kind: String, _ solution: MixedPrecisionSolution, task: any ModelTask, reference: EvaluationOutput, profile: SensitivityProfile,
        recipes: [String: QuantizationRecipe], damage: SensitivityProfile.Damage
    ) throws -> MixedPrecisionPoint {
        var plan: [String: QuantizationRecipe] = [:]
        for choice in solution.assignment {
            guard var recipe = recipes[choice.option] else {
                throw SensitivityError.unknownFormat(name: choice.option, known: recipes.keys.sorted())
            }
            recipe.threads = 1
            plan[choice.layer] = recipe
        }
        let result = try MixedPlanEvaluation.run(task, reference: reference, plan: plan)
        let metric = result.metrics.first { $0.name == profile.primaryMetric }?.value ?? .nan
        return MixedPrecisionPoint(
            kind: kind, plan: solution.assignment, cost: solution.cost, averageBits: solution.averageBits, predictedDamage: solution.damage,
            predictedSQNRDB: damage == .outputNoise ? solution.predictedSQNRDB : nil, metric: metric, outputSQNRDB: result.outputSQNRDB,
            onRealFrontier: false, summary: summary(solution.assignment, formats: profile.formats), code: code(solution.assignment, formats: profile.formats))
    }

    /// Marks the points no other point beats: cost ≤ and metric ≥, one strictly.
    static func markRealFrontier(_ points: inout [MixedPrecisionPoint]) {
        for i in points.indices {
            let p = points[i]
            points[i].onRealFrontier = p.metric.isFinite && !points.contains { q in
                q.cost <= p.cost && q.metric >= p.metric && (q.cost < p.cost || q.metric > p.metric)
            }
        }
    }

    /// Per format, how many layers take it, naming them when at most four do.
    public static func summary(_ plan: [LayerChoice], formats: [String]) -> String {
        formats.compactMap { format in
            let layers = plan.filter { $0.option == format }.map { $0.layer.hasSuffix(".weight") ? String($0.layer.dropLast(7)) : $0.layer }
            guard !layers.isEmpty else { return nil }
            return layers.count <= 4 ? "\(format): \(layers.count) (\(layers.joined(separator: ", ")))" : "\(format): \(layers.count)"
        }.joined(separator: "; ")
    }

    /// One character per layer: the format name's first digit, else its index among `formats`.
    public static func code(_ plan: [LayerChoice], formats: [String]) -> String {
        String(plan.map { choice -> Character in
            choice.option.first(where: \.isNumber) ?? Character(String(formats.firstIndex(of: choice.option) ?? 0))
        })
    }
}
