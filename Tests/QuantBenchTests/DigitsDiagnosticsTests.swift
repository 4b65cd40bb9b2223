import QuantBench
import QuantCore
import QuantModels
import Testing

/// Coverage, drift and the rule check on digits-cnn (assets in the cache).
@Suite("digits-cnn diagnostics", .serialized)
struct DigitsDiagnosticsTests {
    static let task: Result<any ScenarioTask, any Error> = Result { try ModelZoo.task(named: "digits-cnn") }
    static func int8() throws -> any NumericFormat { try PluginRegistry.builtIn.format("int8") }
    static func minmax() throws -> any Calibrator { try PluginRegistry.builtIn.calibrator("minmax") }

    /// Production = the calibration items themselves: every value lies in the range observed on
    /// them, so the share outside is 0 and the max ratio exactly 1 at every site.
    @Test func coverageIsQuietOnTheCalibrationItems() throws {
        let task = try Self.task.get()
        let report = try CoverageReport.measure(task, count: 128, production: .calibration, format: try Self.int8())
        #expect(report.sites.count == task.activationSites.count)
        for site in report.sites {
            #expect(site.outside == 0 && site.maxRatio == 1 && !site.flagged, "\(site.site): \(site.reasons)")
        }
    }

    /// Pixels are p/16 for p = 0…16, so calibration spans conv_layers.0.input ∈
    /// [(0 − 0.1307)/0.3081, (1 − 0.1307)/0.3081], and any transform clipped to [0, 1] stays
    /// inside it: nothing outside, ratio ≤ 1. contrast(1.5) moves each pixel to m + 1.5·(x − m)
    /// (clipped), steepening every edge, so the conv responses (linear in the input before the
    /// bias) grow up to 1.5× where nothing clips: the shift must show as under-covered sites.
    /// brightness(0.5) lifts the background to 0.5 and flattens the images.
    @Test(arguments: [("contrast(1.5)", true), ("brightness(0.5)", false)])
    func coverageOfShiftedImages(transform: String, raisesMaxima: Bool) throws {
        let task = try Self.task.get()
        let report = try CoverageReport.measure(task, count: 256, production: .evaluation(transform: transform), format: try Self.int8())
        let input = try #require(report.sites.first { $0.site == "conv_layers.0.input" })
        #expect(input.outside == 0 && input.maxRatio <= 1 && !input.flagged)
        if raisesMaxima {
            #expect(!report.flagged.isEmpty, "\(transform) leaves no site under-covered")
        } else {
            #expect(input.productionMin >= Float((0.5 - 0.1307) / 0.3081) - 1e-5)
        }
    }

    @Test func driftIsExactlyZeroForIdenticalModels() throws {
        let task = try Self.task.get()
        let copy = try ModelSpec.replacing(task, weights: task.weights, source: "copy")
        let drift = try ModelDrift.measure(
            old: task, new: copy, oldName: "digits-cnn", newName: "copy", count: 128, format: try Self.int8(), calibrator: try Self.minmax())
        #expect(drift.sites.count == task.activationSites.count)
        for site in drift.sites {
            #expect(site.absMaxMove == 0 && site.meanMove == 0 && site.shareClippedByOld == 0 && !site.flagged, "\(site.site)")
            #expect(site.sqnrOldParamsDB == site.sqnrNewParamsDB)
        }
    }

    /// conv_layers.3.weight ×1.15. Sites before it see the same values: moves exactly 0. Its
    /// output is y′ = 1.15·(W·x) + b = 1.15·y − 0.15·b per channel, so with b ∈ [b_min, b_max]:
    /// max y′ ∈ [1.15·max y − 0.15·b_max, 1.15·max y − 0.15·b_min] (same for min), and, every
    /// channel holding the same number of values, mean y′ = 1.15·mean y − 0.15·mean(b).
    @Test func driftFindsAConvWeightScaledBy115() throws {
        let task = try Self.task.get()
        let scaled = try WeightEdit(factors: ["conv_layers.3.weight": 1.15]).apply(to: task)
        let drift = try ModelDrift.measure(
            old: task, new: scaled, oldName: "digits-cnn", newName: "×1.15", count: 256, format: try Self.int8(), calibrator: try Self.minmax())
        for name in ["conv_layers.0.input", "conv_layers.0.output", "conv_layers.3.input"] {
            let site = try #require(drift.sites.first { $0.site == name })
            #expect(site.absMaxMove == 0 && site.meanMove == 0 && !site.flagged, "\(name) is before the scaled conv")
        }
        let bias = try #require(task.weights["conv_layers.3.bias"]).values.map(Double.init)
        let bMin = try #require(bias.min()), bMax = try #require(bias.max()), bMean = bias.reduce(0, +) / Double(bias.count)
        let out = try #require(drift.sites.first { $0.site == "conv_layers.3.output" })
        let tolerance = 1e-4 * Double(max(abs(out.oldMax), abs(out.oldMin)))
        #expect(Double(out.newMax) >= 1.15 * Double(out.oldMax) - 0.15 * bMax - tolerance)
        #expect(Double(out.newMax) <= 1.15 * Double(out.oldMax) - 0.15 * bMin + tolerance)
        #expect(Double(out.newMin) >= 1.15 * Double(out.oldMin) - 0.15 * bMax - tolerance)
        #expect(Double(out.newMin) <= 1.15 * Double(out.oldMin) - 0.15 * bMin + tolerance)
        #expect(abs(out.newMean - (1.15 * out.oldMean - 0.15 * bMean)) <= 1e-4 * max(1, abs(out.oldMean)))
        // minmax on symmetric int8 keeps ±max|y|: if the derived lower bound on max y′ passes it, some value clips.
        if 1.15 * Double(out.oldMax) - 0.15 * bMax > Double(out.oldRangeUpper) + tolerance {
            #expect(out.shareClippedByOld > 0 && out.sqnrOldParamsDB < out.sqnrNewParamsDB && out.flagged)
        }
        let after = try #require(drift.sites.first { $0.site == "conv_layers.6.input" })
        #expect(abs(Double(after.newMax) - max(0, Double(out.newMax))) <= tolerance, "conv_layers.6.input = maxpool(relu(conv_layers.3.output))")
    }

    /// The rule check covers the 10 sites and 5 weights; agreement is a share, losses are ≥ 0
    /// (the best is the maximum), and every weight's minmax SQNR equals what quantizing the
    /// tensor alone gives.
    @Test func ruleCheckCoversEverySiteAndWeight() throws {
        let task = try Self.task.get()
        let registry = PluginRegistry.builtIn
        let calibrators = try ["minmax", "percentile(99.99)", "mse"].map { try registry.calibrator($0) }
        let report = try OutlierReport.measure(task, count: 128, format: try Self.int8(), calibrators: calibrators)
        #expect(report.rows.filter { $0.kind == "activation" }.count == task.activationSites.count)
        #expect(report.rows.filter { $0.kind == "weight" }.count == task.quantizableWeights.count)
        #expect(report.agreement >= 0 && report.agreement <= 1)
        #expect(report.rows.allSatisfy { ($0.lossDB ?? 0) >= 0 && $0.agrees != nil })
    }
}
