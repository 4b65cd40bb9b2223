import QuantBench
import QuantCore
import Testing

/// `--budget` and `--calibrators` parsing of `quantbench validate`: the syntax and its errors.
@Suite("Validation budget and calibrator list")
struct ValidationBudgetTests {
    @Test(arguments: [
        ("1%", nil, 0.01, AccuracyBudget.Mode.relative),
        ("0.5%", nil, 0.005, .relative),
        (" 2 % ", nil, 0.02, .relative),
        ("0.01", nil, 0.01, .relative),
        ("1%", .absolute, 0.01, .absolute),
        ("0.02", .absolute, 0.02, .absolute),
        ("2 points", nil, 0.02, .absolute),
        ("2pt", .absolute, 0.02, .absolute),
        ("0.5pp", nil, 0.005, .absolute),
        ("0%", nil, 0, .relative),
    ] as [(String, AccuracyBudget.Mode?, Double, AccuracyBudget.Mode)])
    func parsesBudgets(text: String, mode: AccuracyBudget.Mode?, amount: Double, expected: AccuracyBudget.Mode) throws {
        let budget = try AccuracyBudget.parse(text, mode: mode)
        #expect(abs(budget.amount - amount) < 1e-15, "\(text) → \(budget.amount)")
        #expect(budget.mode == expected)
    }

    @Test(arguments: ["", "%", "abc", "1%%", "-1%", "-0.01", "1e-2", "150%", "1", "nan", "inf%", "2 points%", "1,5%"])
    func rejectsBadBudgets(text: String) {
        #expect(throws: ValidationSetupError.self, "\(text)") { try AccuracyBudget.parse(text) }
    }

    @Test func pointsContradictAnExplicitRelativeMode() {
        #expect(throws: ValidationSetupError.self) { try AccuracyBudget.parse("2 points", mode: .relative) }
    }

    /// Relative 1% of top-1 0.8812 allows 0.008812; absolute 1% allows 0.01 whatever FP32 is.
    @Test func allowedDropFollowsTheMode() throws {
        #expect(abs(try AccuracyBudget.parse("1%").allowedDrop(fp32: 0.8812) - 0.008812) < 1e-15)
        #expect(abs(try AccuracyBudget.parse("1%", mode: .absolute).allowedDrop(fp32: 0.8812) - 0.01) < 1e-15)
        #expect(abs(try AccuracyBudget.parse("1%").allowedDrop(fp32: -0.5) - 0.005) < 1e-15, "relative to |fp32|")
    }

    /// A score's drop is fp32 − quantized; a divergence's (kl) is quantized − fp32.
    @Test func dropFollowsTheMetricDirection() {
        #expect(PrimaryMetric(name: "top1").drop(fp32: 0.88, quantized: 0.87) > 0)
        #expect(abs(PrimaryMetric(name: "top1").drop(fp32: 0.88, quantized: 0.87) - 0.01) < 1e-12)
        #expect(PrimaryMetric(name: "kl").drop(fp32: 0, quantized: 0.02) == 0.02)
        #expect(PrimaryMetric(name: "top1").drop(fp32: 0.88, quantized: 0.89) < 0, "an improvement is a negative drop")
    }

    @Test func splitsCalibratorsAtTopLevelCommas() throws {
        #expect(CalibratorList.names("minmax,percentile(99.99),mse,kl") == ["minmax", "percentile(99.99)", "mse", "kl"])
        #expect(CalibratorList.names(" mse , percentile(99.9, bins=4096)") == ["mse", "percentile(99.9, bins=4096)"])
        let parsed = try CalibratorList.parse("minmax,percentile(99.99),mse,kl", registry: .builtIn)
        #expect(parsed.count == 4)
    }

    @Test(arguments: ["", "minmax,,mse", "mse,mse", "minmax,"])
    func rejectsBadCalibratorLists(text: String) {
        #expect(throws: ValidationSetupError.self, "\(text)") { try CalibratorList.parse(text, registry: .builtIn) }
    }

    @Test func unknownCalibratorNamesCloseMatches() {
        #expect(throws: (any Error).self) { try CalibratorList.parse("minmax,msee", registry: .builtIn) }
    }
}
