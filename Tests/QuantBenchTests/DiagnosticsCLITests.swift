import Foundation
import QuantCore
import QuantModels
import Testing

/// `quantbench edit-weights`, `drift`, `coverage` and `outliers` as a user runs them.
@Suite("Diagnostics CLI", .serialized)
struct DiagnosticsCLITests {
    /// edit-weights writes every tensor; the named one is the original × 1.15 in float32, the
    /// others are bit-identical; drift against it flags conv_layers.3.output and not the sites before.
    @Test func editWeightsRoundTripAndDrift() throws {
        let scratch = try Scratch()
        let out = scratch.path("retrained.safetensors")
        let edit = try CLIRunner.run(["edit-weights", "digits-cnn", "--scale", "conv_layers.3.weight=1.15", "--out", out])
        #expect(edit.status == 0, "\(edit.stderr)")
        let original = try ModelZoo.task(named: "digits-cnn").weights
        let written = try ModelZoo.loadAll(out)
        #expect(Set(written.keys) == Set(original.keys))
        for (name, tensor) in original {
            let expected = name == "conv_layers.3.weight" ? tensor.values.map { $0 * Float(1.15) } : tensor.values
            #expect(written[name]?.values == expected && written[name]?.shape == tensor.shape, "\(name)")
        }
        let drift = try CLIRunner.run(["drift", "digits-cnn", "digits-cnn@" + out, "--calibration", "128", "--json"])
        #expect(drift.status == 0, "\(drift.stderr)")
        let json = try #require(try CLIRunner.json(drift) as? [String: Any])
        let sites = try #require(json["sites"] as? [[String: Any]])
        let flagged = Set(sites.filter { $0["flagged"] as? Bool == true }.compactMap { $0["site"] as? String })
        #expect(flagged.contains("conv_layers.3.output"))
        #expect(flagged.isDisjoint(with: ["conv_layers.0.input", "conv_layers.0.output", "conv_layers.3.input"]))
    }

    @Test func badSpecsAndScalesAreNamed() throws {
        let typo = try CLIRunner.run(["drift", "digits-cnn", "digit-cnn"])
        #expect(typo.status == 1 && typo.stderr.contains("'digit-cnn' is not a zoo model") && typo.stderr.contains("digits-cnn"))
        let scratch = try Scratch()
        let partial = scratch.path("partial.safetensors")
        try TensorFiles.write([try Tensor(name: "conv_layers.0.weight", shape: [32, 1, 3, 3], values: .init(repeating: 0, count: 288))], to: partial)
        let missing = try CLIRunner.run(["drift", "digits-cnn", "digits-cnn@" + partial])
        #expect(missing.status == 1 && missing.stderr.contains("missing conv_layers.3.weight") && missing.stderr.contains(partial))
        let absent = try CLIRunner.run(["drift", "digits-cnn", "digits-cnn@" + scratch.path("nope.safetensors")])
        #expect(absent.status == 1 && absent.stderr.contains("nope.safetensors"))
        let scale = try CLIRunner.run(["edit-weights", "digits-cnn", "--scale", "conv_layers.3.weigth=2", "--out", scratch.path("x.safetensors")])
        #expect(scale.status == 1 && scale.stderr.contains("no tensor 'conv_layers.3.weigth'") && scale.stderr.contains("conv_layers.3.weight"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("x.safetensors")))
    }

    @Test func coverageOnCalibrationDataFlagsNothing() throws {
        let run = try CLIRunner.run(["coverage", "digits-cnn", "--production", "calibration", "--calibration", "64", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try CLIRunner.json(run) as? [String: Any])
        let sites = try #require(json["sites"] as? [[String: Any]])
        #expect(sites.count == 10 && sites.allSatisfy { $0["flagged"] as? Bool == false && $0["outside"] as? Int == 0 })
        let bad = try CLIRunner.run(["coverage", "digits-cnn", "--production", "contrst(0.5)"])
        #expect(bad.status == 1 && bad.stderr.contains("contrast"))
    }

    @Test func outliersPrintsTheRuleCheck() throws {
        let run = try CLIRunner.run(["outliers", "digits-cnn", "--calibration", "64", "--calibrator", "minmax", "--calibrator", "mse"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("conv_layers.0.input") && run.stdout.contains("fc_layers.2.weight") && run.stdout.contains("Rule agrees on"))
    }

    /// Inspect cells of the three kinds render tables; a bad cell is refused with its line.
    @Test func notebookInspectCells() throws {
        let scratch = try Scratch()
        let notebook = """
            # Diagnostics

            ```inspect
            kind = "coverage"
            model = "digits-cnn"
            production = "calibration"
            count = 32
            ```

            ```inspect
            kind = "drift"
            model = "digits-cnn"
            scale = { "conv_layers.3.weight" = 1.15 }
            count = 32
            ```

            ```inspect
            model = "digits-cnn"
            calibrators = ["minmax", "mse"]
            count = 32
            top = 4
            ```
            """
        try notebook.write(toFile: scratch.path("diag.md"), atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["run", "diag.md", "--quiet"], in: scratch.url, environment: RunEndToEndTests.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: scratch.path("Results/diag/report.md"), encoding: .utf8)
        #expect(report.contains("0 of 10 sites under-covered"), "\(report)")
        #expect(report.contains("| `conv_layers.3.output` |") && report.contains("**yes**: "), "\(report)")
        #expect(report.contains("Outlier rule check of `digits-cnn`"), "\(report)")

        let bad = """
            ```inspect
            kind = "drift"
            model = "digits-cnn"
            production = "contrast(0.5)"
            ```
            """
        try bad.write(toFile: scratch.path("bad.md"), atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["run", "bad.md"], in: scratch.url, environment: RunEndToEndTests.environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bad.md:4") && refused.stderr.contains("not a key of a drift inspect cell"), "\(refused.stderr)")
        #expect(refused.stderr.contains("either 'new'"), "\(refused.stderr)")
    }
}
