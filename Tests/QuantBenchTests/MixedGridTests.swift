import Foundation
import QuantBench
import QuantCore
import QuantModels
import Testing

/// `plan = "mixed(…)"` cells on the real digits CNN, checked against the layer shapes.
@Suite("Mixed-precision grid cells")
struct MixedGridTests {
    /// digits-cnn's weights [N, K]: convs 1→32, 32→64, 64→128 (3×3, so K = in·9), fc 1152→256, 256→10.
    static let shapes: [String: (n: Int, k: Int)] = [
        "conv_layers.0.weight": (32, 9), "conv_layers.3.weight": (64, 288), "conv_layers.6.weight": (128, 576),
        "fc_layers.0.weight": (256, 1152), "fc_layers.2.weight": (10, 256),
    ]

    /// Per-channel storage by hand: K·N·b + N·32 (one fp32 scale per output channel).
    static func bits(_ plan: [String: String]) -> Double {
        plan.reduce(0.0) { sum, entry in
            let (n, k) = shapes[entry.key]!
            let b = entry.value == "int8" ? 8 : 4
            return sum + Double(k * n * b + n * 32)
        }
    }

    static let elements = Double(shapes.values.reduce(0) { $0 + $1.n * $1.k })

    @Test func mixedPlansStayWithinBudgetAndExactBeatsGreedy() throws {
        let scratch = try Scratch()
        let text = """
            name = "mixed"
            model = "digits-cnn"
            weights = "int4"
            granularity = "per-channel"
            plan = ["mixed(budget_bits=5)", "mixed(budget_bits=5, search=greedy)", "mixed(budget_bits=4)", "uniform"]
            cost_models = ["size"]
            """
        let experiment = try Experiment(ExperimentFile(file: "mixed.toml", text: text))
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let summary = try GridRunner(experiment: experiment, name: "mixed", store: store).run(observer: CollectingObserver())
        #expect(summary.ok == 3 && summary.failed == 1)
        // All-int4 already takes (Σ 4KN + 32N)/Σ KN = 4 + 32·490/389,920 = 4.0402 bits per weight
        // (scales included), so a budget of 4 bits is infeasible, and the cell says so.
        let rows = try store.rows()
        let failed = try #require(rows.first { $0.status == .failed })
        #expect(failed.axes["plan"] == "mixed(budget_bits=4)")
        #expect(failed.error?.contains("infeasible") == true && failed.error?.contains("4.04") == true)
        for row in rows where row.status == .ok && row.axes["plan"] != "uniform" {
            let report = try #require(row.reportJSON.flatMap { try? JSONDecoder().decode(ModelEvaluationReport.self, from: Data($0.utf8)) })
            let plan = try #require(report.plan)
            #expect(Set(plan.keys) == Set(Self.shapes.keys))
            let expected = Self.bits(plan) / Self.elements
            let budget = 5.0
            #expect(abs((row.metrics["plan_bits"] ?? 0) - expected) < 1e-9)
            #expect(abs((row.metrics["weight_bits_per_weight"] ?? 0) - expected) < 1e-9)
            #expect(expected <= budget)
            #expect(row.metrics["plan_high_layers"] == Double(plan.values.filter { $0 == "int8" }.count))
        }
        func predicted(_ plan: String) -> Double? {
            rows.first { $0.axes["plan"] == plan }?.metrics["plan_predicted_sqnr_db"]
        }
        let exact = try #require(predicted("mixed(budget_bits=5)")), greedy = try #require(predicted("mixed(budget_bits=5, search=greedy)"))
        #expect(exact >= greedy - 1e-9)
    }
}

extension MixedGridTests {
    /// A latency budget: every layer's roofline time under int4 and int8 (int8 activations, so
    /// both compute int8 × int8 on the H100) enters the same search; the plan's whole-model
    /// latency, as the grid's own roofline cost model reports it, must fit the budget.
    @Test func aLatencyBudgetIsMetOnTheRoofline() throws {
        let scratch = try Scratch()
        let text = """
            name = "mixed-latency"
            model = "digits-cnn"
            calibration = { size = 64 }
            weights = "int4"
            granularity = "per-channel"
            activations = "int8"
            plan = ["uniform", "mixed(budget_us=0.13, chip=h100-sxm)", "mixed(budget_us=0.05, chip=h100-sxm)"]
            include = [{ weights = "int8", plan = "uniform" }]
            cost_models = ["roofline(chip=h100-sxm)"]
            """
        let experiment = try Experiment(ExperimentFile(file: "latency.toml", text: text))
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        _ = try GridRunner(experiment: experiment, name: "mixed-latency", store: store).run(observer: CollectingObserver())
        let rows = try store.rows()
        func row(_ plan: String, _ weights: String = "int4") -> CellRecord? {
            rows.first { $0.axes["plan"] == plan && $0.axes["weights"] == weights }
        }
        let int4 = try #require(row("uniform")?.metrics["latency_us_h100_sxm"])
        let int8 = try #require(row("uniform", "int8")?.metrics["latency_us_h100_sxm"])
        // The budget sits between the all-int4 and all-int8 plans, so the search raises some layers.
        #expect(int4 < 0.13 && 0.13 < int8)
        let mixed = try #require(row("mixed(budget_us=0.13, chip=h100-sxm)"))
        #expect(mixed.status == .ok)
        let latency = try #require(mixed.metrics["latency_us_h100_sxm"])
        #expect(latency <= 0.13 + 1e-12 && latency > int4)
        #expect((mixed.metrics["plan_high_layers"] ?? 0) >= 1)
        let infeasible = try #require(row("mixed(budget_us=0.05, chip=h100-sxm)"))
        #expect(infeasible.status == .failed && infeasible.error?.contains("µs") == true)
    }

    @Test(arguments: [
        ("mixed(budget_bits=6, chip=h100-sxm)", "only with budget_us"),
        ("mixed(budget_us=1)", "needs chip=ID"),
        ("mixed(budget_us=1, chip=h200)", "h200"),
    ])
    func latencyBudgetsAreCheckedWhenTheGridIsRead(plan: String, expected: String) {
        let text = "model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"\(plan)\"\n"
        #expect {
            _ = try Experiment(ExperimentFile(file: "plan.toml", text: text))
        } throws: { String(describing: $0).contains(expected) && String(describing: $0).contains("plan.toml:3") }
    }
}
