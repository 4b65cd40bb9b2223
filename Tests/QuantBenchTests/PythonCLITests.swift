import Foundation
import QuantCore
import QuantModels
import Testing

/// The commands that go through the embedded Python, run as a user would. CI installs Debian's
/// python3-numpy and python3-matplotlib (scripts/setup), so these run there.
@Suite(.serialized) struct PythonCLITests {
    static let pythonReady: Bool = {
        guard let output = try? CLIRunner.run(["doctor", "--json"]) else { return false }
        return output.status == 0 && output.stdout.contains("matplotlib") && !output.stdout.contains("unavailable")
    }()

    @Test func doctorNamesThePythonAndThePackages() throws {
        let output = try CLIRunner.run(["doctor"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("/usr/bin/python3"))
        for package in ["numpy", "matplotlib", "torch", "onnx", "safetensors", "ml_dtypes"] {
            #expect(output.stdout.contains(package), "\(package) missing from doctor's report")
        }
    }

    @Test(.enabled(if: pythonReady, "needs python3-matplotlib for /usr/bin/python3 (scripts/setup installs it)"))
    func plotHistogramWritesAPNGAndPrintsTheRanges() throws {
        let scratch = try Scratch()
        let values = (0..<4000).map { Float(($0 % 200) - 100) / 25 } + [40]
        try TensorFiles.write([try Tensor(name: "act", shape: [values.count], values: values)], to: scratch.path("a.npy"))
        let png = scratch.path("plot.png")
        let output = try CLIRunner.run([
            "plot-histogram", scratch.path("a.npy"), "--tensor", "a", "--calibrator", "minmax", "--calibrator", "percentile(99.9)",
            "--output", png,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(output.stdout.contains("minmax") && output.stdout.contains("percentile(99.9)"))
        #expect(output.stdout.contains("40"), "minmax's range reaches the outlier at 40")
    }

    @Test func plotHistogramRefusesAnUnsupportedOutput() throws {
        let scratch = try Scratch()
        try TensorFiles.write([try Tensor(name: "a", shape: [3], values: [1, 2, 3])], to: scratch.path("a.npy"))
        let output = try CLIRunner.run(["plot-histogram", scratch.path("a.npy"), "--tensor", "a", "--calibrator", "minmax", "--output", scratch.path("a.svg")])
        #expect(output.status == 1)
        #expect(output.stderr.contains("a.svg"))
    }
}
