import QuantBench
import QuantCore
import Testing

/// The mixed-precision search against brute force, and greedy's known weakness.
@Suite("mixed-precision search")
struct MixedPrecisionSearchTests {
    typealias Option = MixedPrecisionProblem.Option

    /// `layers` layers of `options` options with random costs in 1…100 (integers, as storage
    /// bits are) and random damages in [0, 1).
    static func randomProblem(seed: UInt64, layers: Int = 6, options: Int = 3) -> MixedPrecisionProblem {
        var rng = SplitMix64(seed: seed)
        return MixedPrecisionProblem(layers: (0..<layers).map { l in
            MixedPrecisionProblem.Layer(name: "layer\(l)", elements: Int.random(in: 1...20, using: &rng), options: (0..<options).map { o in
                Option(name: "f\(o)", cost: Double(Int.random(in: 1...100, using: &rng)), damage: Double.random(in: 0..<1, using: &rng))
            })
        })
    }

    /// At every budget between the cheapest and the dearest assignment (every integer, since
    /// costs are integers), the frontier's best point has brute force's least damage.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func exactMatchesBruteForceAtEveryBudget(seed: UInt64) throws {
        let problem = Self.randomProblem(seed: seed)
        let frontier = try MixedPrecisionSearch.exact(problem)
        let low = problem.layers.reduce(0) { $0 + $1.options.map(\.cost).min()! }
        let high = problem.layers.reduce(0) { $0 + $1.options.map(\.cost).max()! }
        #expect(zip(frontier, frontier.dropFirst()).allSatisfy { $0.cost < $1.cost && $0.damage > $1.damage })
        for budget in stride(from: low, through: high, by: 1) {
            let truth = try MixedPrecisionSearch.bruteForce(problem, budget: budget)
            let exact = try MixedPrecisionSearch.select(frontier, budget: budget)
            #expect(exact.damage == truth.damage, "budget \(budget): exact \(exact.damage) vs brute force \(truth.damage)")
            #expect(exact.cost <= budget)
            let greedy = try MixedPrecisionSearch.greedy(problem, budget: budget)
            #expect(greedy.cost <= budget, "greedy stays within budget")
            #expect(greedy.damage >= exact.damage, "greedy never beats the optimum")
        }
        #expect(throws: MixedPrecisionError.self) { try MixedPrecisionSearch.exact(problem, budget: low - 1) }
    }

    /// Budget 12 of a dearest 22 (need to save 10). Greedy's ratios Δdamage/Δcost: A 5.5/10 =
    /// 0.55, B 3/6 = 0.5, C 3/6 = 0.5: it drops B (cost 16), still over, then C (cost 10):
    /// damage 6. The optimum drops A alone: cost 12, damage 5.5 (dropping B or C alone saves
    /// only 6; dropping two of them costs ≥ 6 damage).
    @Test func greedyIsSuboptimalOnAKnapsackInstance() throws {
        func layer(_ name: String, _ cost: Double, _ damage: Double) -> MixedPrecisionProblem.Layer {
            .init(name: name, elements: 1, options: [Option(name: "hi", cost: cost, damage: 0), Option(name: "lo", cost: 0, damage: damage)])
        }
        let problem = MixedPrecisionProblem(layers: [layer("A", 10, 5.5), layer("B", 6, 3), layer("C", 6, 3)])
        let greedy = try MixedPrecisionSearch.greedy(problem, budget: 12)
        let exact = try MixedPrecisionSearch.exact(problem, budget: 12)
        #expect(greedy.damage == 6 && greedy.cost == 10)
        #expect(greedy.plan == ["A": "hi", "B": "lo", "C": "lo"])
        #expect(exact.damage == 5.5 && exact.cost == 12)
        #expect(exact.plan == ["A": "lo", "B": "hi", "C": "hi"])
    }

    /// Two layers of 100 and 300 weights, int8 = 8 bits and int4 = 4 bits per weight plus one
    /// 32-bit scale per layer: all-int8 = 800 + 2400 + 64 = 3264 bits = 8.16 bits/weight;
    /// int4 on the big layer: 800 + 1200 + 64 = 2064 = 5.16. A 6-bit budget is 6 × 400 = 2400.
    @Test func budgetBitsBookkeeping() throws {
        func layer(_ name: String, _ n: Int, _ damage4: Double) -> MixedPrecisionProblem.Layer {
            .init(name: name, elements: n, options: [
                Option(name: "int8", cost: Double(8 * n + 32), damage: damage4 / 256),
                Option(name: "int4", cost: Double(4 * n + 32), damage: damage4),
            ])
        }
        let problem = MixedPrecisionProblem(layers: [layer("small", 100, 1.0), layer("big", 300, 0.5)])
        #expect(problem.budget(averageBits: 6) == 2400)
        let all8 = problem.solution([0, 0])
        #expect(all8.cost == 3264 && abs(all8.averageBits - 8.16) < 1e-12)
        let best = try MixedPrecisionSearch.exact(problem, budget: problem.budget(averageBits: 6))
        #expect(best.choices == [0, 1] && best.cost == 2064 && abs(best.averageBits - 5.16) < 1e-12)
        // Damage 1/256 + 0.5 → predicted SQNR −10·log10(0.50390625) = 2.9766 dB.
        #expect(abs(best.predictedSQNRDB - 2.976_6) < 1e-4)
    }

    @Test func errorsNameTheLayer() {
        let empty = MixedPrecisionProblem(layers: [.init(name: "fc", elements: 1, options: [])])
        #expect(throws: MixedPrecisionError.noOptions(layer: "fc")) { try MixedPrecisionSearch.exact(empty) }
        let bad = MixedPrecisionProblem(layers: [.init(name: "fc", elements: 1, options: [Option(name: "int4", cost: 1, damage: .nan)])])
        #expect((try? MixedPrecisionSearch.exact(bad)) == nil)
    }
}
