import Foundation
import QuantBench
import QuantCore
import QuantModels
import Synchronization
import Testing

/// A cost model that reports the exact storage bits of the plan's weights and what it was handed.
struct StorageBitsTestModel: CostModel {
    let name = "storage-bits-test"
    let assumptions = ["test model: Σ weight storage bits"]
    let metricNames = ["test_storage_bits", "test_input_bits", "test_ms_per_item"]

    func estimate(_ plan: CostPlan) throws -> CostEstimate {
        var metrics = [
            "test_storage_bits": Double(plan.layers.map(\.weightStorageBits).reduce(0, +)),
            "test_input_bits": Double(plan.layers.first?.activations?.elementBits ?? 32),
        ]
        if let m = plan.measurement { metrics["test_ms_per_item"] = m.seconds * 1000 / Double(m.items) }
        return CostEstimate(metrics: metrics, notes: ["\(plan.layers.count) layers, \(plan.unquantizedParameters) unquantized"])
    }
}

@Suite("Grid cost models")
struct GridCostTests {
    static func registry() -> PluginRegistry {
        var registry = PluginRegistry.builtIn
        registry.register(
            costModel: PluginDescriptor(.exact("storage-bits-test"), summary: "test", make: { _ in StorageBitsTestModel() }))
        return registry
    }

    static func runner(_ grid: String, store: ResultsStore, counter: WorkCounter) throws -> GridRunner {
        let registry = registry()
        let experiment = try Experiment(ExperimentFile(file: "fake.toml", text: grid), registry: registry)
        return GridRunner(experiment: experiment, name: "fake", store: store, options: RunOptions(jobs: 2), registry: registry) { _ in
            try LinearScenarioTask(counter: counter)
        }
    }

    static let grid = """
        model = "digits-cnn"
        weights = ["int8", "int4", "none"]
        activations = ["none", "int8"]
        """

    @Test func costsEveryCellAndAddsANewCostModelToStoredCellsWithoutEvaluating() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let counter = WorkCounter()
        let first = try Self.runner(Self.grid, store: store, counter: counter).run(observer: CollectingObserver())
        #expect(first.ok == 6 && first.costed == 0)
        #expect(try store.rows().allSatisfy { $0.metrics["test_storage_bits"] == nil })
        let evaluations = counter.evaluations.withLock { $0 }

        let costed = Self.grid + "\ncost_models = [\"storage-bits-test\"]\n"
        let second = try Self.runner(costed, store: store, counter: counter).run(observer: CollectingObserver())
        // Same hashes (cost models are not axes), so nothing re-runs; every stored cell is costed.
        #expect(second.stored == 6 && second.ok == 0 && second.costed == 6)
        #expect(counter.evaluations.withLock { $0 } == evaluations)
        let rows = try store.rows()
        func row(_ weights: String, _ activations: String) -> CellRecord? {
            rows.first { $0.axes["weights"] == weights && $0.axes["activations"] == activations }
        }
        // W is [2, 4]: int8 per-tensor with an fp32 scale stores 8·8 + 32 = 96 bits; int4 8·4 + 32 = 64;
        // FP32 weights 8·32 = 256 bits and no scale.
        #expect(row("int8", "none")?.metrics["test_storage_bits"] == 96)
        #expect(row("int4", "int8")?.metrics["test_storage_bits"] == 64)
        #expect(row("none", "none")?.metrics["test_storage_bits"] == 256)
        #expect(row("int4", "int8")?.metrics["test_input_bits"] == 8)
        #expect(row("int4", "none")?.metrics["test_input_bits"] == 32)
        // `measured`-style figures come from the stored evaluation time: 3 items.
        let timed = try #require(row("int8", "int8"))
        let timings = try #require(timed.timingsJSON.flatMap { try? JSONDecoder().decode([String: Double].self, from: Data($0.utf8)) })
        let expected = try #require(timings["evaluate"]) * 1000 / 3
        #expect(abs((timed.metrics["test_ms_per_item"] ?? -1) - expected) < 1e-9)
        #expect(timed.reportJSON?.contains("1 layers, 0 unquantized") == true)

        // A third run finds every cell costed and touches nothing.
        let third = try Self.runner(costed, store: store, counter: counter).run(observer: CollectingObserver())
        #expect(third.costed == 0 && third.stored == 6)
    }

    @Test func anUnknownCostModelIsAnErrorNamingTheLine() throws {
        let text = "model = \"digits-cnn\"\ncost_models = [\"roofline-x\"]\n"
        #expect {
            _ = try Experiment(ExperimentFile(file: "bad.toml", text: text), registry: Self.registry())
        } throws: { error in
            let message = String(describing: error)
            return message.contains("bad.toml:2") && message.contains("roofline-x") && message.contains("cost model")
        }
    }
}
