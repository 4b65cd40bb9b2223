import Foundation
import Testing

/// `quantbench validate` as a user runs it: exit 0 on PASS, 1 on FAIL, 2 when it cannot run,
/// 64 for bad usage; `--json` and `--out` files.
@Suite(.serialized) struct ValidateCLITests {
    @Test func passExitsZeroAndWritesBothFiles() throws {
        let scratch = try Scratch()
        let output = try CLIRunner.run([
            "validate", "digits-cnn", "--calibrators", "minmax", "--json", "--out", scratch.path("out"),
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try CLIRunner.json(output) as? [String: Any])
        #expect(json["verdict"] as? String == "PASS")
        let size = try #require(json["size"] as? [String: Any])
        #expect(size["quantized_bits"] as? Int == 3_135_040, "Σ (K·N·8 + N·32) over the five layers")
        let markdown = try String(contentsOfFile: scratch.path("out/validation.md"), encoding: .utf8)
        #expect(markdown.contains("# Validation of digits-cnn: PASS") && markdown.contains("No latency claim"))
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("out/validation.json"))))
        #expect((file as? [String: Any])?["verdict"] as? String == "PASS")
    }

    /// int2 per-tensor weights: top-1 collapses (DigitsBehaviourTests: below 0.5), so FAIL, with culprits.
    @Test func failExitsOneAndListsCulprits() throws {
        let output = try CLIRunner.run([
            "validate", "digits-cnn", "--weights", "int2", "--granularity", "per-tensor", "--activations", "none",
            "--calibrators", "minmax",
        ])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.contains("## Verdict: FAIL") && output.stdout.contains("## Culprits (leave-one-out with minmax)"))
        #expect(output.stdout.contains("## Triage"))
    }

    @Test func badUsageAndErrorsExitWithOtherCodes() throws {
        let budget = try CLIRunner.run(["validate", "digits-cnn", "--budget", "lots"])
        #expect(budget.status == 64 && budget.stderr.contains("cannot read the accuracy budget 'lots'"), "\(budget.stderr)")
        let list = try CLIRunner.run(["validate", "digits-cnn", "--calibrators", "mse,mse"])
        #expect(list.status == 64 && list.stderr.contains("bad calibrator list"), "\(list.stderr)")
        let model = try CLIRunner.run(["validate", "no-such-model"])
        #expect(model.status == 2 && model.stderr.contains("no-such-model"), "\(model.stderr)")
        let metric = try CLIRunner.run(["validate", "digits-cnn", "--metric", "top5", "--calibrators", "minmax"])
        #expect(metric.status == 2 && metric.stderr.contains("top1"), "names the metrics it knows: \(metric.stderr)")
    }
}
