import Foundation
import QuantBench
import QuantCore
import QuantModels
import Testing

/// `quantbench run` on small digits-cnn grids, as a user runs it: files, numbers, resume, failures.
@Suite(.serialized) struct RunEndToEndTests {
    static let repository = RunCLITests.repository
    static let environment = ["QUANTBENCH_ASSETS": repository.appendingPathComponent(".assets").path]

    /// A notebook with a 4-cell grid, a table in three formats, a plot and a python cell.
    static let notebook = """
        # Small

        Prose before the grid.

        ```grid
        name = "small"
        model = "digits-cnn"
        calibration = { size = 64 }
        calibrator = ["minmax", "percentile"]
        weights = ["int8", "int4"]
        activations = "int8"
        ```

        ```table
        rows = "calibrator"
        columns = "weights"
        metric = "top1"
        caption = "Top-1"
        label = "tab:small"
        name = "top1"
        ```

        ```plot
        kind = "bar"
        x = "calibrator"
        y = "agreement"
        hue = "weights"
        name = "agreement"
        ```

        ```python
        print("cells:", len(results))
        ```

        ```inspect
        model = "digits-cnn"
        count = 64
        top = 3
        ```
        """

    static func run(_ arguments: [String], in scratch: Scratch) throws -> CLIRunner.Output {
        try CLIRunner.run(["run"] + arguments, in: scratch.url, environment: environment)
    }

    @Test func runWritesEveryOutputAndTheTableMatchesTheStore() throws {
        let scratch = try Scratch()
        try Self.notebook.write(toFile: scratch.path("small.md"), atomically: true, encoding: .utf8)
        let first = try Self.run(["small.md", "--quiet"], in: scratch)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("small: 4 cells — 4 ran (4 ok, 0 failed), 0 already stored"), "\(first.stdout)")
        let directory = scratch.path("Results/small")
        for file in ["results.sqlite", "results.csv", "results.jsonl", "manifest.json", "report.md", "top1.tex", "top1.md", "top1.csv",
            "agreement.png", "agreement.pdf"]
        {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) missing")
        }
        // The pivot CSV holds the stored numbers unscaled: compare each slot with the store's row.
        let rows = try ResultsStore(path: directory + "/results.sqlite").rows(experiment: "small")
        #expect(rows.count == 4 && rows.allSatisfy { $0.status == .ok })
        let csv = try String(contentsOfFile: directory + "/top1.csv", encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
        let header = csv[0]
        for line in csv.dropFirst() {
            for (column, weights) in header.enumerated().dropFirst() {
                let stored = rows.first { $0.axes["calibrator"] == line[0] && $0.axes["weights"] == weights }?.metrics["top1"]
                #expect(stored.map { Double(line[column]) == $0 } == true, "\(line[0]) \(weights): \(line[column]) vs \(String(describing: stored))")
            }
        }
        // FP32 top-1 of digits-cnn on the 1541-image evaluation split: 1358 correct (issue 5's figure).
        #expect(rows.allSatisfy { $0.metrics["fp32_top1"] == 1358.0 / 1541 })
        let report = try String(contentsOfFile: directory + "/report.md", encoding: .utf8)
        #expect(report.contains("Prose before the grid."))
        #expect(report.contains("*4 cells: 4 ok, 0 failed.*"))
        #expect(report.contains("![Agreement with FP32 by calibrator](agreement.png)"), "\(report)")
        #expect(report.contains("cells: 4"))
        #expect(report.contains("Activations of `digits-cnn` over 64 calibration items, 3 of 10 sites by outlier ratio"), "\(report)")
        let latex = try LaTeXCompileTests.compile([String(contentsOfFile: directory + "/top1.tex", encoding: .utf8)], in: scratch)
        #expect(latex.status == 0, "pdflatex failed on the written table:\n\(latex.log.suffix(2000))")

        // Nothing changed: every cell is skipped and the outputs are rendered again.
        let second = try Self.run(["small.md"], in: scratch)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("0 ran (0 ok, 0 failed), 4 already stored"), "\(second.stdout)")
        // One more axis value: only the new cells run.
        let wider = Self.notebook.replacingOccurrences(of: "[\"int8\", \"int4\"]", with: "[\"int8\", \"int4\", \"fp8-e4m3\"]")
        try wider.write(toFile: scratch.path("small.md"), atomically: true, encoding: .utf8)
        let third = try Self.run(["small.md"], in: scratch)
        #expect(third.stdout.contains("small: 6 cells — 2 ran (2 ok, 0 failed), 4 already stored"), "\(third.stdout)")
        let forced = try Self.run(["small.md", "--force"], in: scratch)
        #expect(forced.stdout.contains("6 ran (6 ok, 0 failed), 0 already stored"), "\(forced.stdout)")
    }

    @Test func aFailingCellIsRecordedAndTheGridGoesOn() throws {
        let scratch = try Scratch()
        try "def broken(stats):\n    raise ValueError('planted failure')\n".write(toFile: scratch.path("broken.py"), atomically: true, encoding: .utf8)
        let grid = """
            name = "failing"
            model = "digits-cnn"
            calibration = { size = 32 }
            calibrator = ["minmax", "python(broken.py:broken)"]
            weights = "int8"
            activations = "int8"
            """
        try grid.write(toFile: scratch.path("failing.toml"), atomically: true, encoding: .utf8)
        let output = try Self.run(["failing.toml"], in: scratch)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("2 ran (1 ok, 1 failed)"), "\(output.stdout)")
        #expect(output.stdout.contains("planted failure"), "the summary lists the failure: \(output.stdout)")
        let rows = try ResultsStore(path: scratch.path("Results/failing/results.sqlite")).rows()
        let failed = try #require(rows.first { $0.status == .failed })
        #expect(failed.axes["calibrator"] == "python(broken.py:broken)")
        #expect(failed.error?.contains("ValueError: planted failure") == true, "\(failed.error ?? "")")
        let report = try String(contentsOfFile: scratch.path("Results/failing/report.md"), encoding: .utf8)
        #expect(report.contains("*2 cells: 1 ok, 1 failed.*") && report.contains("planted failure"))
    }

    /// int8 per-tensor symmetric min-max of one 2×4 tensor: s = max|x|/127, q = round-half-even(x/s)·s,
    /// SQNR = 10·log10(Σx² / Σ(x − q)²), derived here from the definition.
    @Test func aWeightsFileIsAGridModel() throws {
        let scratch = try Scratch()
        let a: [Float] = [1, 0.3, -0.7, 0.05, 0.9, -1, 0.33, 0.123]
        try TensorFiles.write([try Tensor(name: "a.weight", shape: [2, 4], values: a)], to: scratch.path("m.safetensors"))
        let grid = "name = \"file\"\nmodel = \"weights-only:m.safetensors\"\nweights = [\"int8\", \"int4\"]\n"
        try grid.write(toFile: scratch.path("file.toml"), atomically: true, encoding: .utf8)
        let output = try Self.run(["file.toml"], in: scratch)
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try ResultsStore(path: scratch.path("Results/file/results.sqlite")).rows()
        let int8 = try #require(rows.first { $0.axes["weights"] == "int8" })
        let s = 1.0 / 127
        let error = a.reduce(0.0) { let q = (Double($1) / s).rounded(.toNearestOrEven) * s; return $0 + (Double($1) - q) * (Double($1) - q) }
        let signal = a.reduce(0.0) { $0 + Double($1) * Double($1) }
        let sqnr = try #require(int8.metrics["weight_sqnr_db"])
        #expect(abs(sqnr - 10 * log10(signal / error)) < 1e-4)
        #expect(rows.count == 2 && rows.allSatisfy { $0.status == .ok })
    }

    @Test func badTableAndPlotCellsAreReportedBeforeAnythingRuns() throws {
        let scratch = try Scratch()
        let bad = Self.notebook
            .replacingOccurrences(of: "rows = \"calibrator\"", with: "rows = \"calibrater\"")
            .replacingOccurrences(of: "kind = \"bar\"", with: "kind = \"bars\"")
            .replacingOccurrences(of: "metric = \"top1\"", with: "metric = \"top-1\"")
            .replacingOccurrences(of: "activations = \"int8\"", with: "activations = \"int8\"\nmetrics = [\"top1\", \"acuracy\"]")
        try bad.write(toFile: scratch.path("bad.md"), atomically: true, encoding: .utf8)
        let output = try Self.run(["bad.md"], in: scratch)
        #expect(output.status == 1)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("error: bad.md:16 (cell 2, table): 'rows' = \"calibrater\"") && $0.contains("'calibrator'") }, "\(output.stderr)")
        #expect(lines.contains { $0.hasPrefix("error: bad.md:18 (cell 2, table): 'metric' = \"top-1\"") && $0.contains("'top1'") }, "\(output.stderr)")
        #expect(lines.contains { $0.hasPrefix("error: bad.md:25 (cell 3, plot): 'kind' = \"bars\"") && $0.contains("'bar'") }, "\(output.stderr)")
        #expect(lines.contains { $0.hasPrefix("error: bad.md:12 (cell 1, grid): 'metrics' = \"acuracy\"") && $0.contains("top1") }, "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("Results")), "nothing ran")
    }
}
