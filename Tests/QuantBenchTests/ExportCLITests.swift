import Foundation
import QuantBench
import Testing

/// `quantbench export` run as a user would, on a store of the hand-made grid.
@Suite(.serialized) struct ExportCLITests {
    static func grid() throws -> Scratch {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path("Results/grid"), withIntermediateDirectories: true)
        _ = try ReportCells.store(ReportCells.grid(), in: scratch, name: "Results/grid/results.sqlite")
        return scratch
    }

    @Test func markdownToStandardOutputWithTheFailureOnStandardError() throws {
        let scratch = try Self.grid()
        let output = try CLIRunner.run(["export", scratch.path("Results/grid"), "--rows", "calibrator", "--cols", "weights", "--metric", "top1"])
        #expect(output.status == 0, "\(output.stderr)")
        let s = { ReportFixtures.top1Slots[$0]!.shown }
        #expect(output.stdout == """
            Top-1 (%) ↑ by weights

            | calibrator | int8 | int4 |
            | :-- | --: | --: |
            | minmax | \(s("minmax/int8")) | \(s("minmax/int4")) |
            | mse | **\(s("mse/int8"))** | **\(s("mse/int4"))** |
            | kl | \(s("kl/int8")) | — |

            """)
        #expect(output.stderr == "note: 1 failed cell left out: kl-int4-per- (calibrator=kl weights=int4): calibration diverged: histogram is empty\n")
    }

    @Test func latexFileFromTheOutputExtension() throws {
        let scratch = try Self.grid()
        let output = try CLIRunner.run([
            "export", scratch.path("Results/grid/results.sqlite"), "--rows", "calibrator", "--cols", "weights", "--metric", "kl",
            "--where", "calibrator=minmax,mse", "--caption", "KL & more", "--label", "tab:kl", "--output", scratch.path("kl.tex"),
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        let tex = try String(contentsOfFile: scratch.path("kl.tex"), encoding: .utf8)
        #expect(tex.hasPrefix("\\begin{table}[htbp]\n\\centering\n\\caption{KL \\& more}\n\\label{tab:kl}\n\\begin{tabular}{lrr}\n"))
        #expect(tex.contains(#" & \multicolumn{2}{c}{KL to FP32 (nats) $\downarrow$} \\"#))
        #expect(!tex.contains("\nkl &"))  // --where kept minmax and mse only
        #expect(output.stderr.isEmpty)  // the failed kl cell is not selected
    }

    @Test func csvWithCommaSeparatedRowsAndMedian() throws {
        let scratch = try Self.grid()
        let output = try CLIRunner.run([
            "export", scratch.path("Results/grid"), "--rows", "weights,calibrator", "--metric", "top1", "--agg", "median", "--format", "csv",
            "--where", "calibrator=minmax",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let int8 = ReportFixtures.top1Slots["minmax/int8"]!, int4 = ReportFixtures.top1Slots["minmax/int4"]!
        let lines = output.stdout.components(separatedBy: "\r\n")
        #expect(lines.first == "weights,calibrator,top1 median,top1 std,top1 n")
        let fields = lines.dropFirst().prefix(2).map { $0.split(separator: ",").map(String.init) }
        #expect(fields.map { Array($0.prefix(2)) } == [["int8", "minmax"], ["int4", "minmax"]])
        #expect(Double(fields[0][2])!.isClose(to: int8.median) && Double(fields[1][2])!.isClose(to: int4.median))
        #expect(Double(fields[0][3])!.isClose(to: int8.std!, relativeTolerance: 1e-9))
        #expect(fields[0][4] == "3")
    }

    @Test func unknownNamesAndEmptySelectionsAreErrorsWithCloseMatches() throws {
        let scratch = try Self.grid()
        let folder = scratch.path("Results/grid")
        let metric = try CLIRunner.run(["export", folder, "--rows", "calibrator", "--metric", "top-1"])
        #expect(metric.status == 1)
        #expect(metric.stderr.hasPrefix("error: 'top-1' is not a metric of these results (did you mean 'top1'?)"), "\(metric.stderr)")
        let axis = try CLIRunner.run(["export", folder, "--rows", "calibrater", "--metric", "top1"])
        #expect(axis.status == 1)
        #expect(axis.stderr.hasPrefix("error: 'calibrater' (in rows) is not an axis of these results (did you mean 'calibrator'"), "\(axis.stderr)")
        let value = try CLIRunner.run(["export", folder, "--rows", "calibrator", "--metric", "top1", "--where", "weights=int3"])
        #expect(value.status == 1)
        #expect(value.stderr.contains("--where weights=int3 matched nothing"), "\(value.stderr)")
        #expect(value.stderr.contains("'int4'"))
        let ambiguous = try CLIRunner.run(["export", folder, "--rows", "calibrator", "--metric", "top1"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("they differ in weights (int8, int4)"), "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains("--where weights=int8"))
    }

    @Test func malformedOptions() throws {
        let scratch = try Self.grid()
        let folder = scratch.path("Results/grid")
        let label = try CLIRunner.run(["export", folder, "--rows", "calibrator", "--metric", "top1", "--label", "tab:{x}"])
        #expect(label.status != 0)
        #expect(label.stderr.contains("--label 'tab:{x}' holds '{'"), "\(label.stderr)")
        let clause = try CLIRunner.run(["export", folder, "--rows", "calibrator", "--metric", "top1", "--where", "weights"])
        #expect(clause.status == 1)
        #expect(clause.stderr.contains("--where expects axis=value, got 'weights'"), "\(clause.stderr)")
    }

    @Test func missingStoreAndUnknownExperiment() throws {
        let scratch = try Self.grid()
        let missing = try CLIRunner.run(["export", scratch.path("nowhere"), "--rows", "calibrator", "--metric", "top1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: No results store at \(scratch.path("nowhere"))."), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("nowhere")))
        let empty = try CLIRunner.run(["export", scratch.path("Results"), "--rows", "calibrator", "--metric", "top1"])
        #expect(empty.stderr.contains("No results store at \(scratch.path("Results/results.sqlite"))"), "\(empty.stderr)")
        let experiment = try CLIRunner.run(["export", scratch.path("Results/grid"), "--rows", "calibrator", "--metric", "top1", "--experiment", "gird"])
        #expect(experiment.status == 1)
        #expect(experiment.stderr.contains("holds no cells of experiment 'gird' (did you mean 'grid'?)"), "\(experiment.stderr)")
    }
}
