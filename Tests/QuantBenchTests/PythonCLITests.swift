import Foundation
import PythonBridge
import QuantCore
import QuantModels
import Testing

/// The commands that go through the embedded Python, run as a user would. CI installs Debian's
/// python3-numpy and python3-matplotlib (scripts/setup), so these run there.
@Suite(.serialized) struct PythonCLITests {
    static let pythonReady: Bool = {
        guard let output = try? CLIRunner.run(["doctor", "--json"]) else { return false }
        return output.status == 0 && output.stdout.contains("matplotlib") && !output.stdout.contains("unavailable")
    }()

    @Test func doctorNamesThePythonAndThePackages() throws {
        let output = try CLIRunner.run(["doctor"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("/usr/bin/python3"))
        for package in ["numpy", "matplotlib", "torch", "onnx", "safetensors", "ml_dtypes"] {
            #expect(output.stdout.contains(package), "\(package) missing from doctor's report")
        }
    }

    @Test(.enabled(if: pythonReady, "needs python3-matplotlib for /usr/bin/python3 (scripts/setup installs it)"))
    func plotHistogramWritesAPNGAndPrintsTheRanges() throws {
        let scratch = try Scratch()
        let values = (0..<4000).map { Float(($0 % 200) - 100) / 25 } + [40]
        try TensorFiles.write([try Tensor(name: "act", shape: [values.count], values: values)], to: scratch.path("a.npy"))
        let png = scratch.path("plot.png")
        let output = try CLIRunner.run([
            "plot-histogram", scratch.path("a.npy"), "--tensor", "a", "--calibrator", "minmax", "--calibrator", "percentile(99.9)",
            "--output", png,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(output.stdout.contains("minmax") && output.stdout.contains("percentile(99.9)"))
        #expect(output.stdout.contains("40"), "minmax's range reaches the outlier at 40")
    }

    @Test func plotHistogramRefusesAnUnsupportedOutput() throws {
        let scratch = try Scratch()
        try TensorFiles.write([try Tensor(name: "a", shape: [3], values: [1, 2, 3])], to: scratch.path("a.npy"))
        let output = try CLIRunner.run(["plot-histogram", scratch.path("a.npy"), "--tensor", "a", "--calibrator", "minmax", "--output", scratch.path("a.svg")])
        #expect(output.status == 1)
        #expect(output.stderr.contains("a.svg"))
    }

    /// Whether the embedded Python imports torch and onnx (CI installs python3-torch python3-onnx via scripts/setup).
    static let torchAndONNXReady = (try? Python.import("torch")) != nil && (try? Python.import("onnx")) != nil

    // Needs python3-torch and python3-onnx for /usr/bin/python3 (scripts/setup installs them; CI runs this).
    @Test(.enabled(if: torchAndONNXReady, "needs python3-torch and python3-onnx (scripts/setup installs them)"))
    func inspectACheckpointAndQuantizeAnONNXModel() throws {
        let scratch = try Scratch()
        try Python.run("""
            import numpy as np
            import onnx
            import torch
            from onnx import TensorProto, helper, numpy_helper
            torch.save({"fc.weight": torch.tensor([[1.0, -2.0], [3.0, 4.5]]), "meta": {"bias": torch.tensor([0.25], dtype=torch.bfloat16)}},
                       "\(scratch.path("model.pt"))")
            W = np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32)
            node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")
            graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 2])],
                                      [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])],
                                      initializer=[numpy_helper.from_array(W, "W")])
            onnx.save(helper.make_model(graph), "\(scratch.path("model.onnx"))")
            """)
        let inspect = try CLIRunner.run(["inspect", scratch.path("model.pt"), "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let rows = try #require(try CLIRunner.json(inspect) as? [[String: Any]])
        #expect(rows.map { $0["tensor"] as? String } == ["fc.weight", "meta.bias"])
        #expect(rows.map { $0["dtype"] as? String } == ["float32", "bfloat16"])
        #expect(rows.first?["min"] as? Double == -2 && rows.first?["max"] as? Double == 4.5)
        #expect(rows.last?["max"] as? Double == 0.25)

        let quantize = try CLIRunner.run(["quantize", scratch.path("model.onnx"), "--format", "int8", "--json"])
        #expect(quantize.status == 0, "\(quantize.stderr)")
        let reports = try #require(try CLIRunner.json(quantize) as? [[String: Any]])
        #expect(reports.map { $0["tensor"] as? String } == ["W"])
        #expect(reports.first?["shape"] as? [Int] == [2, 2])
        #expect(reports.first?["source_dtype"] as? String == "float32")
        let granule = (reports.first?["granules"] as? [[String: Any]])?.first
        #expect(granule?["upper"] as? Double == 2, "minmax reaches W's largest magnitude, 2")
        let scale = try #require(granule?["scale"] as? Double)
        #expect(abs(scale - 2.0 / 127) < 1e-7, "int8 symmetric scale is absmax / 127")
    }

    @Test(.enabled(if: pythonReady, "needs python3-numpy for /usr/bin/python3 (scripts/setup installs it)"))
    func inspectReadsPicklesAndObjectNpyThroughPython() throws {
        let scratch = try Scratch()
        try Python.run("""
            import pickle
            import numpy as np
            with open("\(scratch.path("arrays.pkl"))", "wb") as f:
                pickle.dump({"w": np.array([[1.0, -3.0]], dtype=np.float16), "note": "skipped"}, f)
            np.save("\(scratch.path("objects.npy"))", np.array([0.5, 2, -1], dtype=object), allow_pickle=True)
            import gzip
            with gzip.open("\(scratch.path("arrays.pkl.gz"))", "wb") as f:
                pickle.dump({"w": np.array([[1.0, -3.0]], dtype=np.float16)}, f)
            """)
        let pickled = try CLIRunner.run(["inspect", scratch.path("arrays.pkl"), "--json"])
        #expect(pickled.status == 0, "\(pickled.stderr)")
        let rows = try #require(try CLIRunner.json(pickled) as? [[String: Any]])
        #expect(rows.map { $0["tensor"] as? String } == ["w"])
        #expect(rows.first?["dtype"] as? String == "float16" && rows.first?["min"] as? Double == -3)
        let compressed = try CLIRunner.run(["inspect", scratch.path("arrays.pkl.gz"), "--json"])
        #expect(compressed.status == 0, "\(compressed.stderr)")
        let compressedRows = try #require(try CLIRunner.json(compressed) as? [[String: Any]])
        #expect(compressedRows.first?["tensor"] as? String == "w" && compressedRows.first?["min"] as? Double == -3)
        let notAPickle = try CLIRunner.run(["inspect", scratch.path("weights.csv.gz")])
        #expect(notAPickle.status != 0 && notAPickle.stderr.contains(".pkl.gz"), "\(notAPickle.stderr)")
        let objects = try CLIRunner.run(["inspect", scratch.path("objects.npy"), "--json"])
        #expect(objects.status == 0, "\(objects.stderr)")
        let objectRows = try #require(try CLIRunner.json(objects) as? [[String: Any]])
        #expect(objectRows.first?["tensor"] as? String == "objects" && objectRows.first?["max"] as? Double == 2)
    }

    @Test(arguments: [
        ["QUANTBENCH_DISABLE_PYTHON": "1"],
        ["QUANTBENCH_PYTHON_LIBRARY": "/nonexistent/libpython3.11.so.1.0"],
    ])
    func nativeFormatsWorkWithoutPython(_ environment: [String: String]) throws {
        let scratch = try Scratch()
        try TensorFiles.write([try Tensor(name: "a", shape: [3], values: [1, -2, 3])], to: scratch.path("a.npy"))
        try Data("not read".utf8).write(to: URL(fileURLWithPath: scratch.path("model.pt")))
        let native = try CLIRunner.run(["inspect", scratch.path("a.npy"), "--json"], environment: environment)
        #expect(native.status == 0, "\(native.stderr)")
        #expect(native.stdout.contains("\"tensor\" : \"a\""))
        let torch = try CLIRunner.run(["inspect", scratch.path("model.pt")], environment: environment)
        #expect(torch.status != 0)
        #expect(torch.stderr.contains("embedded Python interpreter is unavailable"), "\(torch.stderr)")
        #expect(torch.stderr.contains("apt-get install python3 libpython3.11"), "\(torch.stderr)")
        if let library = environment["QUANTBENCH_PYTHON_LIBRARY"] {
            #expect(torch.stderr.contains("cannot load \(library)"), "\(torch.stderr)")
        }
        let unknown = try CLIRunner.run(["inspect", scratch.path("model.h5")], environment: environment)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains(".pt, .pth, .bin, .ckpt, .onnx, .pkl, .pickle"), "\(unknown.stderr)")
    }

    /// The binary must start on a machine without libpython: it loads it only when needed.
    @Test func theBinaryDoesNotLinkLibpython() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [CLIRunner.productsDirectory.appendingPathComponent("quantbench").path]
        let pipe = Pipe()
        ldd.standardOutput = pipe
        try ldd.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(ldd.terminationStatus == 0)
        #expect(listing.contains("libc.so"), "\(listing)")
        #expect(!listing.contains("libpython"), "\(listing)")
    }
}
