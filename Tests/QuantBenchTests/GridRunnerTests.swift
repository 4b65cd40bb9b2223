import Foundation
import QuantBench
import QuantCore
import QuantModels
import Synchronization
import Testing

/// Counts the work a fake model is asked to do.
final class WorkCounter: Sendable {
    let calibrations = Mutex(0)
    let evaluations = Mutex(0)
    let scenarios = Mutex(0)
}

/// A one-layer linear model, y = W·x, small enough to derive its quantized outputs by hand.
struct LinearScenarioTask: ScenarioTask {
    let modelName = "digits-cnn"
    let weights: [String: Tensor]
    let counter: WorkCounter
    static let inputs: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0.5, -0.5, 0.25, 2]]
    static let site = ActivationSite(layer: "fc", role: .input, channelAxis: 1)

    init(counter: WorkCounter) throws {
        self.counter = counter
        weights = ["fc.weight": try Tensor(name: "fc.weight", shape: [2, 4], values: [1, -2, 0.5, 4, 0.25, 3, -1, 2])]
    }

    var quantizableWeights: [String] { ["fc.weight"] }
    var activationSites: [ActivationSite] { [Self.site] }
    var calibrationCount: Int { 3 }
    var evaluationCount: Int { 3 }
    var sourceFiles: [String] { [] }

    func calibrate(count: Int, context: ForwardContext) throws {
        counter.calibrations.withLock { $0 += 1 }
        var values = Self.inputs.prefix(count).flatMap { $0 }
        values.withUnsafeMutableBufferPointer { buffer in
            for hook in context.hooks { hook.visit(Self.site, shape: [count, 4], values: buffer) }
        }
    }

    func evaluate(weights: [String: Tensor], context: ForwardContext) throws -> EvaluationOutput {
        counter.evaluations.withLock { $0 += 1 }
        var x = Self.inputs.flatMap { $0 }
        x.withUnsafeMutableBufferPointer { buffer in
            for hook in context.hooks { hook.visit(Self.site, shape: [3, 4], values: buffer) }
        }
        let w = weights["fc.weight"]!.values
        var y: [Float] = []
        for i in 0..<3 { for o in 0..<2 { y.append((0..<4).map { w[o * 4 + $0] * x[i * 4 + $0] }.reduce(0, +)) } }
        return EvaluationOutput(rows: 3, width: 2, values: y)
    }

    func metrics(_ output: EvaluationOutput, reference: EvaluationOutput) -> [TaskMetric] {
        [TaskMetric("top1", Double(output.values[0]), "y[0][0], which is the quantized W[0][0]")]
    }

    func calibrating(on set: CalibrationSet) throws -> any ScenarioTask {
        counter.scenarios.withLock { $0 += 1 }
        return self
    }

    func evaluating(under transform: String?) throws -> any ScenarioTask { self }
    func calibrationDigest() -> String { "fixed" }
}

/// Collects what the runner reports.
final class CollectingObserver: RunObserver {
    let finished = Mutex<[CellRecord]>([])
    func runStarting(total: Int, toRun: Int, stored: Int) {}
    func cellStarting(_ description: String) {}
    func cellFinished(_ record: CellRecord, description: String) { finished.withLock { $0.append(record) } }
}

@Suite("Grid runner")
struct GridRunnerTests {
    static let grid = """
        name = "fake"
        model = ["digits-cnn", "minilm"]
        calibrator = ["minmax", "percentile(99)"]
        weights = ["int8", "int4"]
        activations = ["none", "int8"]
        """

    func runner(_ store: ResultsStore, counter: WorkCounter, force: Bool = false) throws -> GridRunner {
        let experiment = try Experiment(ExperimentFile(file: "fake.toml", text: Self.grid))
        return GridRunner(experiment: experiment, name: "fake", store: store, options: RunOptions(force: force, jobs: 2)) { name in
            guard name == "digits-cnn" else { throw QuantCoreError.incompatible("no assets for \(name) in this test") }
            return try LinearScenarioTask(counter: counter)
        }
    }

    @Test func sharesWorkRecordsEveryCellAndSkipsStoredOnes() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let counter = WorkCounter()
        let summary = try runner(store, counter: counter).run(observer: CollectingObserver())
        // 2 models × 2 calibrators × 2 formats × 2 activation settings; minilm's 8 cells fail at loading.
        #expect(summary.total == 16 && summary.ok == 8 && summary.failed == 8)
        #expect(summary.failures.allSatisfy { $0.error.contains("no assets for minilm") })
        // One observation per (model, calibration set, cut), one FP32 reference, one evaluation per cell.
        #expect(counter.calibrations.withLock { $0 } == 1)
        #expect(counter.evaluations.withLock { $0 } == 1 + 8)
        #expect(counter.scenarios.withLock { $0 } == 1)
        let rows = try store.rows(experiment: "fake")
        #expect(rows.count == 16)
        // int8 symmetric per-tensor min-max of W: scale = 4/127, W[0][0] = 1 → round(31.75) = 32 → 32·4/127.
        let int8 = rows.filter { $0.axes["model"] == "digits-cnn" && $0.axes["weights"] == "int8" && $0.axes["calibrator"] == "minmax" && $0.axes["activations"] == "none" }
        #expect(int8.count == 1)
        let int8Value: Double = int8.first?.metrics["top1"] ?? 0, int8Expected: Double = 32.0 * 4 / 127
        #expect(abs(int8Value - int8Expected) < 1e-6)
        // int4: scale = 4/7, 1/(4/7) = 1.75 → 2 → 8/7.
        let int4 = rows.first { $0.axes["model"] == "digits-cnn" && $0.axes["weights"] == "int4" && $0.axes["calibrator"] == "minmax" && $0.axes["activations"] == "none" }
        let int4Value: Double = int4?.metrics["top1"] ?? 0, int4Expected: Double = 8.0 / 7
        #expect(abs(int4Value - int4Expected) < 1e-6)
        #expect(int4?.metrics["fp32_top1"] == 1)

        // A re-run skips the ok cells and retries the failed ones; --force recomputes everything.
        let again = try runner(store, counter: counter).run(observer: CollectingObserver())
        #expect(again.stored == 8 && again.ok == 0 && again.failed == 8)
        #expect(counter.evaluations.withLock { $0 } == 9)
        let forced = try runner(store, counter: counter, force: true).run(observer: CollectingObserver())
        #expect(forced.ok == 8 && forced.stored == 0)
    }

    @Test func stopsBeforeTheNextCellWhenAsked() throws {
        let scratch = try Scratch()
        let store = try ResultsStore(path: scratch.path("results.sqlite"))
        let observer = CollectingObserver()
        let summary = try runner(store, counter: WorkCounter()).run(observer: observer) { observer.finished.withLock { $0.count >= 3 } }
        #expect(summary.stopped)
        let done = observer.finished.withLock { $0.count }
        #expect(done >= 3 && done < 16)
        #expect(try store.rows().count == done)
        #expect(summary.notRun == 16 - done)
    }
}
