import Foundation
import QuantBench
import QuantCore
import QuantModels
import Testing

@Suite("Shards and merging")
struct ShardMergeTests {
    static let grid = """
        name = "fake"
        model = "digits-cnn"
        calibrator = ["minmax", "percentile(99)", "mse"]
        weights = ["int8", "int4", "int3"]
        activations = ["none", "int8"]
        seed = [0, 1, 2, 3]
        """

    @Test func everyCellIsInExactlyOneShard() throws {
        let cells = try Experiment(ExperimentFile(file: "fake.toml", text: Self.grid)).cells
        #expect(cells.count == 72)
        for count in [1, 2, 3, 4, 7] {
            let shards = try (0..<count).map { try Shard(index: $0, count: count) }
            var union: [String] = []
            for cell in cells {
                let owners = shards.filter { $0.contains(hash: cell.hash) }
                #expect(owners.count == 1, "cell \(cell.shortHash) in \(owners.count) of \(count) shards")
                union += owners.isEmpty ? [] : [cell.hash]
            }
            #expect(Set(union) == Set(cells.map(\.hash)))
        }
        // The assignment is the hash's first 64 bits modulo N: 2^64 − 1 ≡ 3 (mod 4), 5 ≡ 1 (mod 4).
        #expect(try Shard(parsing: "3/4").contains(hash: String(repeating: "f", count: 64)))
        #expect(try Shard(parsing: "1/4").contains(hash: "0000000000000005" + String(repeating: "a", count: 48)))
    }

    @Test(arguments: ["4/4", "a/b", "-1/3", "1/0", "2", "1/2/3"])
    func badShardsAreRefused(text: String) {
        #expect(throws: ShardError.self) { try Shard(parsing: text) }
    }

    static func record(_ index: Int, value: Double, experiment: String = "grid", version: String = "0.1.0",
                       status: CellRecord.Status = .ok) -> CellRecord {
        var cell = sampleCell(index, experiment: experiment, status: status)
        cell.metrics = ["top1": value, "seconds": Double(index) + 0.5]
        cell.provenanceJSON = #"{"workbench":{"version":"\#(version)"}}"#
        return cell
    }

    @Test func mergingIsIdempotentOrderFreeAndRefusesWhatCannotJoin() throws {
        let scratch = try Scratch()
        let a = try ResultsStore(path: scratch.path("a.sqlite")), b = try ResultsStore(path: scratch.path("b.sqlite"))
        for i in 0..<3 { try a.record(Self.record(i, value: Double(i))) }
        for i in 2..<5 { try b.record(Self.record(i, value: Double(i))) }
        let ab = try ResultsStore(path: scratch.path("ab.sqlite")), ba = try ResultsStore(path: scratch.path("ba.sqlite"))
        _ = try ab.merge(from: a.path)
        _ = try ab.merge(from: b.path)
        _ = try ba.merge(from: b.path)
        _ = try ba.merge(from: a.path)
        #expect(try ab.rows().map(\.hash) == (0..<5).map { "hash-\($0)" })
        #expect(try ab.rows() == ba.rows())
        #expect(try ab.merge(from: b.path) == ResultsMergeSummary(copied: 0, skipped: 3))

        // Same hash, another top1: refused, naming the cell and the metric; nothing copied.
        let conflicting = try ResultsStore(path: scratch.path("conflict.sqlite"))
        try conflicting.record(Self.record(1, value: 0.25))
        try conflicting.record(Self.record(9, value: 9))
        #expect {
            try ab.merge(from: conflicting.path)
        } throws: { String(describing: $0).contains("hash-1") && String(describing: $0).contains("top1") }
        #expect(try ab.rows().count == 5)

        for (name, cell, expected) in [
            ("other-experiment", Self.record(7, value: 7, experiment: "another"), "experiment 'another'"),
            ("other-version", Self.record(8, value: 8, version: "9.9.9"), "version 9.9.9"),
        ] {
            let store = try ResultsStore(path: scratch.path("\(name).sqlite"))
            try store.record(cell)
            #expect { try ab.merge(from: store.path) } throws: { String(describing: $0).contains(expected) }
        }

        // A cell failed here and ok in a re-run shard is replaced.
        let failed = try ResultsStore(path: scratch.path("failed.sqlite")), rerun = try ResultsStore(path: scratch.path("rerun.sqlite"))
        try failed.record(Self.record(4, value: 0, status: .failed))
        try rerun.record(Self.record(4, value: 4))
        #expect(try failed.merge(from: rerun.path) == ResultsMergeSummary(copied: 0, skipped: 0, replaced: 1))
        #expect(try failed.rows().first?.status == .ok)
    }

    @Test func shardsMergedEqualOneRun() throws {
        let scratch = try Scratch()
        let experiment = try Experiment(ExperimentFile(file: "fake.toml", text: Self.grid))
        func run(_ store: ResultsStore, shard: Shard?) throws -> RunSummary {
            try GridRunner(experiment: experiment, name: "fake", store: store, options: RunOptions(jobs: 2, shard: shard)) { _ in
                try LinearScenarioTask(counter: WorkCounter())
            }.run(observer: CollectingObserver())
        }
        let whole = try ResultsStore(path: scratch.path("whole.sqlite"))
        _ = try run(whole, shard: nil)
        let merged = try ResultsStore(path: scratch.path("merged.sqlite"))
        var counts: [Int] = []
        for index in 0..<3 {
            let store = try ResultsStore(path: scratch.path("shard\(index).sqlite"))
            counts.append(try run(store, shard: Shard(index: index, count: 3)).total)
            _ = try merged.merge(from: store.path)
        }
        #expect(counts.reduce(0, +) == 72)
        let expected = try whole.rows(), actual = try merged.rows()
        #expect(actual.map(\.hash).sorted() == expected.map(\.hash).sorted())
        for row in expected {
            let other = try #require(actual.first { $0.hash == row.hash })
            var a = row.metrics, b = other.metrics
            for name in ["seconds"] { a[name] = nil; b[name] = nil }
            #expect(a == b, "cell \(row.hash.prefix(12))")
        }
    }
}

extension ShardMergeTests {
    @Test func mergeCommandCopiesAndRefusesWithTheReason() throws {
        let scratch = try Scratch()
        let a = try ResultsStore(path: scratch.path("a.sqlite")), other = try ResultsStore(path: scratch.path("other.sqlite"))
        for i in 0..<2 { try a.record(Self.record(i, value: Double(i))) }
        try other.record(Self.record(5, value: 5, experiment: "another"))
        let into = scratch.path("merged.sqlite")
        let ok = try CLIRunner.run(["merge", a.path, "--into", into])
        #expect(ok.status == 0 && ok.stdout.contains("2 copied"))
        let again = try CLIRunner.run(["merge", a.path, "--into", into])
        #expect(again.status == 0 && again.stdout.contains("0 copied") && again.stdout.contains("2 cells"))
        let refused = try CLIRunner.run(["merge", other.path, "--into", into])
        #expect(refused.status != 0 && refused.stderr.contains("Not merging") && refused.stderr.contains("experiment 'another'"))
        let missing = try CLIRunner.run(["merge", scratch.path("nope.sqlite"), "--into", into])
        #expect(missing.status != 0 && missing.stderr.contains("nope.sqlite"))
    }
}
