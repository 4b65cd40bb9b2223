import ArgumentParser
import Foundation
import QuantBench
import QuantCore

extension PivotAggregation: ExpressibleByArgument {}
extension TableFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Pivot one metric of a results store into a LaTeX, Markdown or CSV table.",
        discussion: """
            Rows and columns are grid axes (model, calibration, calibrator, granularity, weights,
            activations, activation_granularity, seed, ...). Cells that differ only in their seed
            share a slot and are shown as mean ± std (--agg picks another aggregation); cells that
            differ in any other axis must be told apart by --rows/--cols or pinned with --where.
            The best value of each column is bold; failed cells are left out and listed on stderr.

            Examples:
              quantbench export Results/quickstart --rows calibrator --cols weights,granularity --metric top1
              quantbench export Results/quickstart/results.sqlite --rows calibrator --cols weights --metric kl \\
                  --where granularity=per-channel --format latex --caption "KL to FP32" --label tab:kl --output kl.tex
            """)

    @Argument(help: "A results folder holding results.sqlite, or the .sqlite file itself.")
    var results: String

    @Option(name: .customLong("rows"), help: "Row axis (repeatable, or comma-separated).")
    var rows: [String]

    @Option(name: [.customLong("cols"), .customLong("columns")], help: "Column axis (repeatable, or comma-separated; none: one value column).")
    var columns: [String] = []

    @Option(help: "The metric to tabulate, e.g. top1, agreement, kl, weight_sqnr_db.")
    var metric: String

    @Option(name: .customLong("agg"), help: "How seed replicates combine: mean (shown ± std), median, max or min.")
    var aggregation: PivotAggregation = .mean

    @Option(help: "latex, markdown or csv (default: from --output's extension, else markdown).")
    var format: TableFormat?

    @Option(name: .customLong("where"), help: "Keep only cells with axis=value (repeatable; axis=a,b keeps either).")
    var filters: [String] = []

    @Option(help: "Only cells of this experiment.")
    var experiment: String?

    @Option(help: "Decimals after scaling (default: the metric's, e.g. 2 for percentages).")
    var precision: Int?

    @Option(help: "LaTeX \\caption (and a caption line in Markdown).")
    var caption: String?

    @Option(help: "LaTeX \\label.")
    var label: String?

    @Option(name: [.short, .long], help: "Write the table to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if let label, let bad = label.first(where: { "{}\\#%$&^~ ".contains($0) || $0.isNewline }) {
            throw ValidationError("--label '\(label)' holds '\(bad)', which a LaTeX \\label cannot; use letters, digits and :-_. (e.g. tab:kl)")
        }
    }

    func run() throws {
        try runReportingErrors {
            let store = try ResultsStore.openExisting(results)
            let records = try store.rows(experiment: experiment)
            if records.isEmpty { throw ValidationError(try emptyStoreMessage(store)) }
            let spec = PivotSpec(
                rows: Self.axisList(rows), columns: Self.axisList(columns), metric: metric, aggregation: aggregation,
                filters: try Self.filters(filters, records: records))
            let table = try PivotTable(records: records, spec: spec)
            let options = PivotRenderOptions(precision: precision, caption: caption, label: label)
            let text = table.rendered(as: resolvedFormat(), options: options)
            if let output {
                do {
                    try text.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw ReportError.cannotWrite(path: output, detail: error.localizedDescription)
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            if let note = table.failureNote { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        }
    }

    /// --format, else the format of --output's extension, else Markdown.
    func resolvedFormat() -> TableFormat {
        if let format { return format }
        if let output, let inferred = TableFormat(fileExtension: URL(fileURLWithPath: output).pathExtension) { return inferred }
        return .markdown
    }

    /// Why there is nothing to export: an empty store, or an experiment it does not hold.
    func emptyStoreMessage(_ store: ResultsStore) throws -> String {
        guard let experiment else { return "\(store.path) holds no cells yet; run the grid first." }
        let experiments = Array(Set(try store.rows().map(\.experiment))).sorted()
        let suggestions = closeMatches(experiment, in: experiments)
        let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
        return "\(store.path) holds no cells of experiment '\(experiment)'\(hint). Experiments: "
            + (experiments.isEmpty ? "none" : experiments.joined(separator: ", ")) + "."
    }

    /// Axis names from repeated and comma-separated options.
    static func axisList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `axis=value` filters; a value with commas is one value if the axis has it, else a list.
    static func filters(_ clauses: [String], records: [CellRecord]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for clause in clauses {
            guard let equals = clause.firstIndex(of: "=") else {
                throw ValidationError("--where expects axis=value, got '\(clause)'")
            }
            let axis = clause[..<equals].trimmingCharacters(in: .whitespaces)
            let value = String(clause[clause.index(after: equals)...])
            let known = Set(records.compactMap { $0.axes[axis] })
            let values = known.contains(value) || !value.contains(",")
                ? [value] : value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            result[axis, default: []] += values
        }
        return result
    }
}
