import ArgumentParser
import Foundation
import QuantBench

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge results stores (the shards of a grid) into one, by cell hash.",
        discussion: """
            Copies every cell of each STORE whose hash is absent from --into, and replaces a cell
            failed there by an ok one. Merging is idempotent and the order of the stores does not
            matter. A store of another experiment, of another workbench version, or holding a cell
            whose metrics differ from the one already stored is refused, with the reason, and
            nothing of it is copied.

            Example:
              quantbench run Experiments/quickstart.md --shard 0/2
              quantbench run Experiments/quickstart.md --shard 1/2
              quantbench merge Results/quickstart/results.shard-*-of-2.sqlite --into Results/quickstart/results.sqlite
              quantbench run Experiments/quickstart.md      # finds every cell stored and renders the report
            """)

    @Argument(help: "The stores to merge (results.sqlite files).")
    var stores: [String]

    @Option(help: "The store to merge into (created if missing).")
    var into: String

    func run() throws {
        try runReportingErrors {
            guard !stores.isEmpty else { throw ValidationError("name at least one store to merge") }
            let target = try ResultsStore(path: into)
            var total = ResultsMergeSummary(copied: 0, skipped: 0)
            for path in stores {
                let summary = try target.merge(from: path)
                print("\(path): \(summary.copied) copied, \(summary.replaced) failed cells replaced, \(summary.skipped) already stored")
                total.copied += summary.copied
                total.replaced += summary.replaced
            }
            print("\(into): \(try target.completedHashes().count) cells (\(total.copied) copied, \(total.replaced) replaced)")
        }
    }
}
