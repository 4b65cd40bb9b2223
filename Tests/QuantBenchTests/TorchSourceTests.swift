import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantModels
import Testing

/// `TensorSources.open(path:)` on torch checkpoints: zip checkpoints natively (no Python), the
/// legacy format through Python and torch, run as a user would.
@Suite(.serialized) struct TorchSourceTests {
    /// A checkpoint from QuantModelsTests' fixtures (written by torch.save; see make_torch_fixtures.py).
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QuantModelsTests/Fixtures/torch").appendingPathComponent(name).path
    }

    /// Whether the embedded Python imports torch (CI installs python3-torch via scripts/setup).
    static let torchReady = (try? Python.import("torch")) != nil

    static let withoutPython = ["QUANTBENCH_DISABLE_PYTHON": "1"]

    @Test func zipCheckpointsAreReadNativelyWithoutPython() throws {
        let source = try TensorSources.open(path: Self.fixture("module.pth"))
        #expect(source is TorchZipFile)
        let output = try CLIRunner.run(["inspect", Self.fixture("training.ckpt"), "--json"], environment: Self.withoutPython)
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(rows.first?["tensor"] as? String == "conv.weight")
        #expect(rows.contains { $0["tensor"] as? String == "norm.num_batches_tracked" && $0["dtype"] as? String == "int64" })
    }

    @Test func aRefusedGlobalIsReportedNativelyAndNeverRetriedThroughPython() throws {
        let output = try CLIRunner.run(["inspect", Self.fixture("module_object.pth")], environment: Self.withoutPython)
        #expect(output.status != 0)
        #expect(output.stderr.contains("torch.nn.modules.linear.Linear"), "\(output.stderr)")
        #expect(!output.stderr.contains("Python"), "\(output.stderr)")
    }

    @Test func theLegacyFormatFallsBackToPython() throws {
        let output = try CLIRunner.run(["inspect", Self.fixture("legacy.pt")], environment: Self.withoutPython)
        #expect(output.status != 0)
        #expect(output.stderr.contains("embedded Python interpreter is unavailable"), "\(output.stderr)")
    }

    // Needs python3-torch for /usr/bin/python3 (scripts/setup installs it; CI runs it).
    @Test(.enabled(if: torchReady, "needs python3-torch (scripts/setup installs it)"))
    func theLegacyFormatIsReadThroughTorch() throws {
        let source = try TensorSources.open(path: Self.fixture("legacy.pt"))
        #expect(source is TorchCheckpointSource)
        #expect(source.tensors.map(\.name) == ["a", "b"])
        #expect(try source.load("a").values == [0, 1, 2, 3])
        #expect(try source.load("b").sourceDType == "int16")
    }
}
