import Foundation
import Testing

@Suite(.serialized) struct RunCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func quickstartDryRunExpandsTo24Cells() throws {
        let output = try CLIRunner.run(["run", "Experiments/quickstart.md", "--dry-run"], in: Self.repository)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("24 cells"), "\(output.stdout)")
        #expect(output.stdout.contains("per-channel") && output.stdout.contains("fp8-e4m3"))
    }

    @Test func quickstartDryRunAsJSON() throws {
        let output = try CLIRunner.run(["run", "Experiments/quickstart.md", "--dry-run", "--json"], in: Self.repository)
        #expect(output.status == 0, "\(output.stderr)")
        let report = try #require(try CLIRunner.json(output) as? [String: Any])
        #expect(report["cellCount"] as? Int == 24)
        let cells = try #require(report["cells"] as? [[String: Any]])
        #expect(Set(cells.compactMap { $0["hash"] as? String }).count == 24)
        let values = try #require(cells.first?["values"] as? [String: Any])
        #expect(values["activations"] as? String == "int8")
        #expect(report["names"] as? [String] == ["quickstart"])
    }

    @Test func badFileReportsEveryErrorAndExits1() throws {
        let scratch = try Scratch()
        let path = scratch.path("bad.toml")
        try "model = \"digits-cnm\"\ncalibrator = [\"minmax\", \"percentil\"]\ngranulrity = \"per-tensor\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["run", path, "--dry-run"])
        #expect(output.status == 1)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(output.stderr)")
        #expect(lines.contains { $0.hasPrefix("error: \(path):1 (cell 1, grid): 'digits-cnm' is not a model") && $0.contains("'digits-cnn'") })
        #expect(lines.contains { $0.hasPrefix("error: \(path):2 (cell 1, grid): calibrator 'percentil'") && $0.contains("'percentile'") })
        #expect(lines.contains { $0.hasPrefix("error: \(path):3 (cell 1, grid): 'granulrity' is not a grid key") && $0.contains("'granularity'") })
    }

    @Test func missingFile() throws {
        let output = try CLIRunner.run(["run", "/nonexistent/x.md", "--dry-run"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("/nonexistent/x.md: cannot read the experiment file: no such file"))
    }
}
