import Foundation
import PythonBridge
import QuantCore
import QuantModels
import Testing

/// The example calibrator of `Plugins/Examples` (`ksigma`, and its Python twin), used from the
/// command line as docs/ImplementingACalibrator.md tells a user to.
@Suite(.serialized) struct ExampleCalibratorCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let numpyAvailable = (try? Python.import("numpy")) != nil

    @Test func listShowsKSigmaWithItsParameterAndVersion() throws {
        let output = try CLIRunner.run(["list", "calibrators", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let entries = try #require(try CLIRunner.json(output) as? [[String: Any]])
        let entry = try #require(entries.first { $0["id"] as? String == "ksigma" }, "ksigma missing from quantbench list")
        #expect(entry["kind"] as? String == "calibrator")
        #expect(entry["version"] as? String == "1")
        #expect((entry["summary"] as? String)?.contains("example plug-in, Plugins/Examples/KSigma.swift") == true)
        let parameters = try #require(entry["parameters"] as? [[String: Any]])
        #expect(parameters.count == 1)
        #expect(parameters.first?["name"] as? String == "k")
        #expect(parameters.first?["default"] as? String == "4")
        #expect(parameters.first?["allowed"] as? String == "number in (0.0, 1000.0]")
    }

    /// The lines the guide shows for `quantbench list calibrators`.
    @Test func listPrintsTheLinesTheGuideShows() throws {
        let output = try CLIRunner.run(["list", "calibrators"])
        #expect(output.status == 0, "\(output.stderr)")
        let expected = """
              ksigma              clip at mean ± k·σ within [min, max] (example plug-in, Plugins/Examples/KSigma.swift)
                  k=4  (number in (0.0, 1000.0]) standard deviations kept each side of the mean
            """
        #expect(output.stdout.contains(expected), "\(output.stdout)")
    }

    // Hand-derived, per row, int8 symmetric (s = t/127): row 0 = [0, 0, 0, 4] has mean 1 and
    // σ = √3, so ksigma(1) keeps [0, 1 + √3] and t = 1 + √3 ≈ 2.73, which clips the 4; row 1 =
    // [−2, −1, 1, 2] has mean 0 and σ = √2.5, so t = √2.5 ≈ 1.58, which clips ±2: 3 of 8 values.
    @Test func quantizeWithKSigma() throws {
        let scratch = try Scratch()
        let path = scratch.path("w.safetensors")
        try TensorFiles.write([try Tensor(name: "w", shape: [2, 4], values: [0, 0, 0, 4, -2, -1, 1, 2])], to: path)
        let output = try CLIRunner.run([
            "quantize", path, "--format", "int8", "--granularity", "per-channel", "--calibrator", "ksigma(1)", "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let reports = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(reports.first?["calibrator"] as? String == "ksigma(1)")
        let scales = try #require(reports.first?["granules"] as? [[String: Any]]).compactMap { ($0["scale"] as? NSNumber)?.doubleValue }
        let expected = [(1 + 3.0.squareRoot()) / 127, 2.5.squareRoot() / 127]
        #expect(scales.count == 2)
        for (scale, want) in zip(scales, expected) { #expect(abs(scale - want) <= 1e-6 * want, "\(scales) vs \(expected)") }
        let clipped = try #require((reports.first?["clip_fraction"] as? NSNumber)?.doubleValue)
        #expect(abs(clipped - 0.375) < 1e-12, "\(clipped)")
    }

    @Test func badKIsAnErrorNamingTheParameter() throws {
        let scratch = try Scratch()
        let path = scratch.path("w.npy")
        try TensorFiles.write([try Tensor(name: "w", shape: [3], values: [1, 2, 3])], to: path)
        let output = try CLIRunner.run(["quantize", path, "--format", "int8", "--calibrator", "ksigma(k=0)"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("ksigma(k=0): parameter 'k' is '0' but must be number in (0.0, 1000.0]"), "\(output.stderr)")
    }

    @Test func gridWithBothVariantsDryRuns() throws {
        let scratch = try Scratch()
        let path = scratch.path("custom.md")
        let notebook = """
            # ksigma against the built-ins

            ```grid
            name = "custom"
            model = "digits-cnn"
            calibrator = ["minmax", "ksigma(3)", "python(Plugins/Examples/python/ksigma.py:ksigma3)"]
            weights = ["int8", "int4"]
            ```
            """
        try notebook.write(toFile: path, atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["run", path, "--dry-run", "--json"], in: Self.repository)
        #expect(output.status == 0, "\(output.stderr)")
        let report = try #require(try CLIRunner.json(output) as? [String: Any])
        #expect(report["cellCount"] as? Int == 6)
        let cells = try #require(report["cells"] as? [[String: Any]])
        let calibrators = Set(cells.compactMap { ($0["values"] as? [String: Any])?["calibrator"] as? String })
        #expect(calibrators == ["minmax", "ksigma(3)", "python(Plugins/Examples/python/ksigma.py:ksigma3)"])
        #expect(Set(cells.compactMap { $0["hash"] as? String }).count == 6)
    }

    @Test func gridWithBadKFailsWithFileAndLine() throws {
        let scratch = try Scratch()
        let path = scratch.path("bad.toml")
        try "model = \"digits-cnn\"\ncalibrator = [\"minmax\", \"ksigma(-2)\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["run", path, "--dry-run"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(path):2"), "\(output.stderr)")
        #expect(output.stderr.contains("parameter 'k'"), "\(output.stderr)")
    }

    // Python's ksigma3 equals Swift's ksigma(3) on the same tensor: same scales (to float32 rounding).
    @Test(.enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
    func quantizeWithThePythonTwin() throws {
        let scratch = try Scratch()
        let path = scratch.path("w.npy")
        let values = (0..<999).map { Float(($0 * 37) % 101 - 50) / 10 } + [60]
        try TensorFiles.write([try Tensor(name: "w", shape: [values.count], values: values)], to: path)
        func scale(_ calibrator: String) throws -> Double {
            let output = try CLIRunner.run(["quantize", path, "--format", "int8", "--calibrator", calibrator, "--json"], in: Self.repository)
            #expect(output.status == 0, "\(output.stderr)")
            let reports = try #require(try CLIRunner.json(output) as? [[String: Any]])
            let granule = try #require((reports.first?["granules"] as? [[String: Any]])?.first)
            return try #require((granule["scale"] as? NSNumber)?.doubleValue)
        }
        let swift = try scale("ksigma(3)"), python = try scale("python(Plugins/Examples/python/ksigma.py:ksigma3)")
        #expect(abs(swift - python) <= 1e-6 * swift, "\(swift) vs \(python)")
        #expect(swift < 60.0 / 127, "ksigma(3) clips the outlier at 60")
    }
}
