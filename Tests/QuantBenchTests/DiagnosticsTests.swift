import Dispatch
import QuantBench
import QuantCore
import QuantModels
import Testing

/// The diagnostics' model-free pieces on hand-made data: the outlier rule, the probe's exact
/// counting (also from many threads at once), coverage flags, weight edits and model specs.
@Suite("Diagnostics on hand-made data")
struct DiagnosticsTests {
    /// |x| takes each of 0.01, 0.02, …, 5.00 twice (signs ±), n = 1000. numpy's P99 sits at
    /// position 0.99·999 = 989.01 of the sorted |x|: index 989 holds 4.95 and index 990 holds
    /// 4.96, so P99 = 4.95 + 0.01·0.01 = 4.9501. Replacing the two largest (±5) by ±m moves no
    /// order statistic below index 998, so r = m / 4.9501.
    static func planted(max m: Float) throws -> Tensor {
        var values: [Float] = []
        for k in 1...500 { values += [Float(k) / 100, -Float(k) / 100] }
        values[998] = m
        values[999] = -m
        return try Tensor(name: "planted", shape: [1000], values: values)
    }

    @Test(arguments: [(Float(5), 1.0101, "minmax"), (Float(29.7006), 6.0, "percentile(99.99)"), (Float(99.002), 20.0, "mse")])
    func outlierRuleOnPlantedOutliers(max: Float, ratio: Double, rule: String) throws {
        let inspection = try TensorInspection(try Self.planted(max: max))
        #expect(abs(inspection.p99Abs - 4.9501) < 1e-5)
        #expect(abs(inspection.outlierRatio - ratio) < 1e-4)
        #expect(inspection.recommendedCalibrator == rule)
        #expect(OutlierRule.accepted(ratio: inspection.outlierRatio).first == rule)
    }

    /// Rule verdicts from given SQNRs: r = 20 accepts only mse. Best = percentile (40 dB),
    /// mse at 39.95 is within 0.1 dB → agrees, loss 0.05 dB; with mse at 38 → disagrees, loss 2 dB.
    @Test func ruleVerdictAgainstMeasuredSQNR() {
        let order = ["minmax", "percentile(99.99)", "mse"]
        let close = OutlierRuleRow(
            kind: "weight", tensor: "t", absMax: 20, p99: 1, kurtosis: 3, sqnr: ["minmax": 30, "percentile(99.99)": 40, "mse": 39.95],
            order: order, toleranceDB: 0.1)
        #expect(close.recommended == "mse" && close.best == "percentile(99.99)" && close.agrees == true)
        #expect(abs((close.lossDB ?? .nan) - 0.05) < 1e-9 && close.excessKurtosis == 0)
        let far = OutlierRuleRow(
            kind: "weight", tensor: "t", absMax: 20, p99: 1, kurtosis: 3, sqnr: ["minmax": 30, "percentile(99.99)": 40, "mse": 38],
            order: order, toleranceDB: 0.1)
        #expect(far.agrees == false && far.lossDB == 2)
        let unmeasured = OutlierRuleRow(
            kind: "weight", tensor: "t", absMax: 20, p99: 1, kurtosis: 3, sqnr: ["minmax": 30], order: ["minmax"], toleranceDB: 0.1)
        #expect(unmeasured.agrees == nil && unmeasured.lossDB == nil && unmeasured.best == "minmax")
    }

    static let site = ActivationSite(layer: "a", role: .output)

    /// Calibration range [−1, 2]; the batch [−1.5, 0, 1, 2, 2.5, 3] has −1.5, 2.5 and 3 outside
    /// (2 sits on the bound): 3 of 6. max|x| 3 vs 2 → ratio 1.5. 64 threads each visit the batch
    /// once: exact counts 192 of 384, min −1.5, max 3.
    @Test func coverageCountsExactlyFromManyThreads() throws {
        let format = try PluginRegistry.builtIn.format("int8")
        let range = ClipRange(lower: -1, upper: 2)
        let probe = SiteProbe(format: format, candidates: ["a.output": ["calibrated": SiteGranule(range: range, format: format)]])
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            var batch: [Float] = [-1.5, 0, 1, 2, 2.5, 3]
            batch.withUnsafeMutableBufferPointer { probe.visit(Self.site, shape: [1, 6], values: $0) }
        }
        let measurement = try #require(probe.measurements["a.output"])
        let sites = RangeCoverage.compare(["a.output": range], ["a.output": measurement], order: [Self.site], thresholds: CoverageThresholds())
        let covered = try #require(sites.first)
        #expect(covered.productionCount == 384 && covered.outside == 192 && covered.shareOutside == 0.5)
        #expect(covered.productionMin == -1.5 && covered.productionMax == 3 && covered.maxRatio == 1.5)
        #expect(covered.flagged && covered.reasons.count == 2)
    }

    /// The same data as its own calibration range: nothing outside, ratio exactly 1, no flag.
    @Test func coverageIsQuietOnTheCalibrationDataItself() throws {
        let format = try PluginRegistry.builtIn.format("int8")
        let range = ClipRange(lower: -1.5, upper: 3)
        let probe = SiteProbe(format: format, candidates: ["a.output": ["calibrated": SiteGranule(range: range, format: format)]])
        var batch: [Float] = [-1.5, 0, 1, 2, 2.5, 3]
        batch.withUnsafeMutableBufferPointer { probe.visit(Self.site, shape: [1, 6], values: $0) }
        let sites = RangeCoverage.compare(["a.output": range], probe.measurements, order: [Self.site], thresholds: CoverageThresholds())
        #expect(sites.count == 1 && sites[0].outside == 0 && sites[0].maxRatio == 1 && !sites[0].flagged)
    }

    @Test func weightEditMultipliesOnlyTheNamedTensor() throws {
        let a = try Tensor(name: "a", shape: [2], values: [1, -2]), b = try Tensor(name: "b", shape: [1], values: [3])
        let edited = try WeightEdit(parsing: ["a=1.5"]).apply(to: ["a": a, "b": b], model: "m")
        #expect(edited["a"]?.values == [1.5, -3] && edited["b"]?.values == [3])
        #expect(throws: DiagnosticsError.unknownTensor("conv.weigth", model: "m", suggestions: ["conv.weight"])) {
            _ = try WeightEdit(parsing: ["conv.weigth=2"]).apply(to: ["a": a, "conv.weight": b], model: "m")
        }
        #expect(throws: DiagnosticsError.badScale("a", reason: "no '='")) { _ = try WeightEdit(parsing: ["a"]) }
        #expect(throws: DiagnosticsError.badScale("a=x", reason: "'x' is not a finite number")) { _ = try WeightEdit(parsing: ["a=x"]) }
    }

    @Test func modelSpecParsing() throws {
        #expect(try ModelSpec(parsing: "digits-cnn") == ModelSpec(model: "digits-cnn"))
        #expect(try ModelSpec(parsing: "digits-cnn@a@b.safetensors") == ModelSpec(model: "digits-cnn", checkpoint: "a@b.safetensors"))
        #expect(throws: DiagnosticsError.self) { _ = try ModelSpec(parsing: "digit-cnn") }
        #expect(throws: DiagnosticsError.self) { _ = try ModelSpec(parsing: "digits-cnn@") }
        let message = error(of: { try ModelSpec(parsing: "digit-cnn") })
        #expect(message.contains("'digit-cnn' is not a zoo model") && message.contains("digits-cnn"))
    }

    private func error(of body: () throws -> ModelSpec) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }
}
