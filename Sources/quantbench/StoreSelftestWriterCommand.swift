import ArgumentParser
import Foundation
import QuantBench

/// `quantbench store-selftest-writer PATH N`: records N synthetic cells into the results store at
/// PATH, printing `recorded I` after each commit. Hidden from help: the crash-safety test runs it
/// and kills it with SIGKILL mid-way, so that the code being killed is the store's own.
struct StoreSelftestWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-selftest-writer",
        abstract: "Write synthetic cells into a results store (a test helper).",
        shouldDisplay: false)

    @Argument(help: "The results store file.")
    var path: String

    @Argument(help: "How many cells to record.")
    var count: Int

    @Option(help: "The index of the first cell.")
    var first = 0

    func validate() throws {
        guard count >= 0, first >= 0 else { throw ValidationError("N and --first must not be negative.") }
    }

    func run() throws {
        try runReportingErrors {
            let store = try ResultsStore(path: path)
            for index in first..<(first + count) {
                try store.record(Self.cell(index))
                FileHandle.standardOutput.write(Data("recorded \(index)\n".utf8))
            }
        }
    }

    /// A synthetic cell whose report is large enough (about 64 KiB) to span many pages.
    static func cell(_ index: Int) -> CellRecord {
        let filler = String(repeating: "x", count: 64 * 1024)
        let now = Date()
        return CellRecord(
            hash: String(format: "selftest-%06d", index), experiment: "selftest",
            axes: ["index": "\(index)", "format": index.isMultiple(of: 2) ? "int4" : "int8"],
            status: .ok, metrics: ["sqnr_db": Double(index), "cosine": 1 - 1 / Double(index + 2)],
            reportJSON: "{\"index\":\(index),\"filler\":\"\(filler)\"}",
            timingsJSON: "{\"seconds\":\(Double(index) / 10)}", provenanceJSON: "{\"writer\":\"store-selftest-writer\"}",
            startedAt: now, finishedAt: now)
    }
}
