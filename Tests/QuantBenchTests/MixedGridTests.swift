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
