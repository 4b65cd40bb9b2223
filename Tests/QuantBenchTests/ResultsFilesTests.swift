import Foundation
import QuantBench
import Testing

/// The expected files come from Python's csv and json modules (scripts/fixtures/make_report_fixtures.py).
@Suite("Results files")
struct ResultsFilesTests {
    /// The three cells the fixture script describes, in a scrambled order.
    static func cells() -> [CellRecord] {
        let calibration = #"{ seed = 0, size = 256, split = "calibration" }"#
        let base = ["model": "digits-cnn", "calibration": calibration, "weights": "int8", "seed": "0"]
        return [
            CellRecord(
                hash: "b2", experiment: "grid", axes: base.merging(["calibrator": "minmax"]) { $1 }, status: .ok,
                metrics: ["top1": 0.75, "kl": .nan, "weight_bits": 4.25], timingsJSON: "[0.5, 0.25]", provenanceJSON: "not json",
                startedAt: Date(timeIntervalSince1970: 1_790_000_002.5), finishedAt: Date(timeIntervalSince1970: 1_790_000_004.75)),
            CellRecord(
                hash: "a1", experiment: "grid", axes: base.merging(["calibrator": "minmax", "weights": "int4", "note": "x,y"]) { $1 },
                status: .failed, error: "shape mismatch: \"conv1\" expects 3, got 4\nsecond line",
                startedAt: Date(timeIntervalSince1970: 1_790_000_001), finishedAt: Date(timeIntervalSince1970: 1_790_000_001.125)),
            CellRecord(
                hash: "c3", experiment: "grid", axes: base.merging(["calibrator": "percentile(99.9)"]) { $1 }, status: .ok,
                metrics: ["top1": 0.8125, "kl": 0.03125], timingsJSON: #"{"calibrate":0.25,"evaluate":1.5}"#,
                provenanceJSON: #"{"git":"abc123","plugins":{"minmax":"1"}}"#,
                startedAt: Date(timeIntervalSince1970: 1_790_000_000.25), finishedAt: Date(timeIntervalSince1970: 1_790_000_003.5)),
        ]
    }

    @Test func csvMatchesPython() {
        let files = ResultsFiles(records: Self.cells(), cellOrder: ["c3"])
        #expect(files.records.map(\.hash) == ["c3", "a1", "b2"])
        #expect(files.csv() == ReportFixtures.resultsCSV)
    }

    @Test func jsonLinesMatchPython() {
        #expect(ResultsFiles(records: Self.cells(), cellOrder: ["c3"]).jsonLines() == ReportFixtures.resultsJSONL)
    }

    @Test func orderWithoutCellOrderIsByHash() {
        #expect(ResultsFiles(records: Self.cells()).records.map(\.hash) == ["a1", "b2", "c3"])
        #expect(ResultsFiles(records: Self.cells(), cellOrder: ["b2", "zz", "c3"]).records.map(\.hash) == ["b2", "c3", "a1"])
    }

    @Test func writesBothFilesFromAStore() throws {
        let scratch = try Scratch()
        let store = try ReportCells.store(Self.cells(), in: scratch)
        let folder = scratch.path("out/nested")
        let paths = try ResultsFiles(records: try store.rows(), cellOrder: ["c3"]).write(to: folder)
        #expect(paths == [folder + "/results.csv", folder + "/results.jsonl"])
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == ReportFixtures.resultsCSV)
        #expect(try String(contentsOfFile: paths[1], encoding: .utf8) == ReportFixtures.resultsJSONL)
    }

    @Test func unwritableFolderIsAnError() throws {
        let scratch = try Scratch()
        try "x".write(toFile: scratch.path("file"), atomically: true, encoding: .utf8)
        #expect {
            try ResultsFiles(records: Self.cells()).write(to: scratch.path("file/sub"))
        } throws: { error in
            guard case let .cannotWrite(path, _) = error as? ReportError else { return false }
            return path == scratch.path("file/sub")
        }
    }
}
