import Foundation
import QuantBench
import Testing

/// Compiles the generated tables with pdflatex. pdflatex comes from Debian's
/// texlive-latex-recommended (scripts/setup installs it); without it these tests fail, they do
/// not skip.
@Suite("LaTeX tables compile", .serialized)
struct LaTeXCompileTests {
    /// The first `pdflatex` on PATH.
    static func pdflatexPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/pdflatex" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Wraps `tables` in a minimal document, compiles it, and returns pdflatex's status and log.
    static func compile(_ tables: [String], in scratch: Scratch) throws -> (status: Int32, log: String, pdf: String) {
        let pdflatex = try #require(pdflatexPath(), "pdflatex is not on PATH: install texlive-latex-recommended (scripts/setup does)")
        let document = "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n" + tables.joined(separator: "\n")
            + "\\end{document}\n"
        try document.write(toFile: scratch.path("tables.tex"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex)
        process.arguments = ["-halt-on-error", "-interaction=nonstopmode", "tables.tex"]
        process.currentDirectoryURL = scratch.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = (try? String(contentsOfFile: scratch.path("tables.log"), encoding: .utf8)) ?? ""
        return (process.terminationStatus, log, scratch.path("tables.pdf"))
    }

    @Test func generatedTablesCompileWithoutErrors() throws {
        let records = ReportCells.grid()
        let top1 = try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "top1"))
        let kl = try PivotTable(records: records, spec: PivotSpec(rows: ["weights", "calibrator"], metric: "kl", aggregation: .median))
        let twoLevel = try PivotTable(
            records: PivotRenderingTests.twoLevelCells(), spec: PivotSpec(rows: ["calibrator"], columns: ["weights", "granularity"], metric: "top1"))
        let awkward = [
            ReportCells.cell(calibrator: #"p_99.9%&#{x}|a*b~^\<>"#, weights: "int8", seed: 0, metrics: ["wordsim_spearman": -0.5], index: 0),
            ReportCells.cell(calibrator: "kl", weights: "int8", seed: 0, metrics: ["wordsim_spearman": .infinity], index: 1),
            ReportCells.cell(calibrator: "mse", weights: "int8", seed: 0, metrics: ["wordsim_spearman": .nan], index: 2),
        ]
        let special = try PivotTable(records: awkward, spec: PivotSpec(rows: ["calibrator", "calibration"], metric: "wordsim_spearman"))
        let tables = [
            top1.latex(PivotRenderOptions(caption: "Top-1 (%) by calibrator & weights: μ ± σ over 3 seeds", label: "tab:top1")),
            kl.latex(), twoLevel.latex(PivotRenderOptions(caption: "Two column axes")), special.latex(),
        ]
        let scratch = try Scratch()
        let result = try Self.compile(tables, in: scratch)
        #expect(result.status == 0, "pdflatex failed:\n\(result.log.suffix(3000))")
        #expect(FileManager.default.fileExists(atPath: result.pdf))
        let errors = result.log.split(separator: "\n").filter { $0.hasPrefix("!") || $0.contains("LaTeX Error") || $0.contains("Undefined control sequence") }
        #expect(errors.isEmpty, "\(errors)")
        #expect(result.log.contains("Output written on tables.pdf"))
    }

    @Test func aBrokenTableIsCaught() throws {
        // The check itself: an unescaped '&' too many must make pdflatex fail.
        let broken = "\\begin{tabular}{l}\n\\toprule\na & b \\\\\n\\bottomrule\n\\end{tabular}\n"
        let scratch = try Scratch()
        let result = try Self.compile([broken], in: scratch)
        #expect(result.status != 0)
        #expect(result.log.contains("Extra alignment tab"))
    }
}
