import Granularities
import QuantBench
import QuantCore
import QuantTestKit
import Testing

@Suite struct GranularityTests {
    let registry = PluginRegistry.builtIn

    @Test(arguments: ["per-tensor", "per-channel", "per-channel(axis=1)", "per-channel(axis=-1)", "per-group(32)",
                      "per-group(size=4, axis=0)", "per-group(24)", "per-token"])
    func conformance(_ name: String) throws {
        let failures = Conformance.check(granularity: try registry.granularity(name))
        #expect(failures.isEmpty, "\(failures)")
    }

    // Hand-derived layouts of a [2, 3, 4] tensor (row-major positions 0…23).
    @Test func perChannelOnMiddleAxis() throws {
        let p = try PerChannel(axis: 1).partition(shape: [2, 3, 4], tensor: "t")
        #expect(p.granuleCount == 3)
        var runs: [[Int]] = []
        p.forEachRun(of: 1) { start, count, stride in runs.append([start, count, stride]) }
        #expect(runs == [[4, 4, 1], [16, 4, 1]])
    }

    @Test func perChannelOnLastAxisIsStrided() throws {
        let p = try PerChannel(axis: -1).partition(shape: [3, 4], tensor: "t")
        var runs: [[Int]] = []
        p.forEachRun(of: 2) { start, count, stride in runs.append([start, count, stride]) }
        #expect(runs == [[2, 3, 4]])
    }

    @Test func raggedLastGroupIsShorter() throws {
        let p = try PerGroup(size: 3, axis: -1).partition(shape: [2, 8], tensor: "t")
        #expect(p.granuleCount == 6)
        #expect((0..<6).map(p.granuleSize) == [3, 3, 2, 3, 3, 2])
        var runs: [[Int]] = []
        p.forEachRun(of: 5) { start, count, stride in runs.append([start, count, stride]) }
        #expect(runs == [[14, 2, 1]])
    }

    @Test func groupsAlongAnInnerAxisAreStrided() throws {
        // [4, 3] cut in groups of 2 along axis 0: granule (group 1, column 2) holds positions 8 and 11.
        let p = try PerGroup(size: 2, axis: 0).partition(shape: [4, 3], tensor: "t")
        #expect(p.granuleCount == 6)
        var runs: [[Int]] = []
        p.forEachRun(of: 5) { start, count, stride in runs.append([start, count, stride]) }
        #expect(runs == [[8, 2, 3]])
    }

    @Test func perTokenRowsOfAllButLastAxis() throws {
        let p = try PerToken().partition(shape: [2, 3, 5], tensor: "t")
        #expect(p.granuleCount == 6)
        #expect(p.granuleSize(0) == 5)
    }

    @Test(arguments: [
        ("per-group(size=0)", [4, 4], "parameter 'size'"),
        ("per-group(128)", [64, 64], "larger than axis"),
        ("per-group(size=5, ragged=false)", [2, 8], "does not divide"),
        ("per-channel(axis=2)", [4, 4], "out of range"),
        ("per-token", [Int](), "scalar"),
    ])
    func badInputsAreClearErrors(_ name: String, _ shape: [Int], _ message: String) {
        do {
            let g = try registry.granularity(name)
            _ = try g.partition(shape: shape, tensor: "w")
            Issue.record("\(name) on \(shape) was accepted")
        } catch {
            #expect(String(describing: error).contains(message), "\(error)")
        }
    }

    @Test func unknownGranularityListsCloseMatches() {
        do {
            _ = try registry.granularity("per-chanel")
            Issue.record("accepted")
        } catch {
            #expect(String(describing: error).contains("'per-channel'"), "\(error)")
        }
    }
}
