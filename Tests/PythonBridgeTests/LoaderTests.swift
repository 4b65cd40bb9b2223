import Foundation
@testable import PythonBridge
import QuantCore
import Testing

/// Whether the embedded Python imports torch (CI installs Debian's python3-torch via scripts/setup).
let torchAvailable = (try? Python.import("torch")) != nil
/// Whether the embedded Python imports onnx (CI installs Debian's python3-onnx via scripts/setup).
let onnxAvailable = (try? Python.import("onnx")) != nil

/// A temporary folder for files the real libraries write, removed when the test ends.
private final class LoaderScratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("quantbench-loaders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The loaders read files written during the test by torch, onnx and pickle themselves, and are
/// checked value by value against arrays computed on the Python side (bit-exact: every dtype used
/// here converts to `Float` exactly, so `==` is the claim).
@Suite(.serialized, .tags(.python)) struct LoaderTests {
    /// The expected arrays `expected[name]` of a namespace, as tensors.
    private func expectedTensor(_ namespace: PythonObject, _ name: String) throws -> Tensor {
        try NumpyBridge.tensor(fromNumpy: try namespace.item("expected").item(name), name: name)
    }

    // Needs python3-torch for /usr/bin/python3 (scripts/setup installs it; CI runs it).
    @Test(.enabled(if: torchAvailable, "needs python3-torch (scripts/setup installs it)"))
    func torchCheckpointReadsBackValueByValue() throws {
        let scratch = try LoaderScratch()
        let path = scratch.path("model.pt")
        let namespace = try Python.run("""
            import torch
            torch.manual_seed(0)
            class Net(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = torch.nn.Linear(4, 3)
                    self.half = torch.nn.Linear(2, 2).half()
                    self.register_buffer("bf", torch.randn(2, 5).to(torch.bfloat16))
            state = dict(Net().state_dict())
            scale = torch.tensor([0.5, -1.25, 65504.0], dtype=torch.float16)
            ids = torch.arange(-3, 3, dtype=torch.int8).reshape(2, 3)
            state["extra"] = {"scale": scale, "inner": {"ids": ids}}
            state["step"] = 7
            torch.save(state, "\(path)")
            flat = {k: v for k, v in state.items() if isinstance(v, torch.Tensor)}
            flat["extra.scale"] = scale
            flat["extra.inner.ids"] = ids
            names = list(flat)
            expected = {k: v.float().numpy() for k, v in flat.items()}
            """)
        let source = try TorchCheckpointSource(path: path)
        let names = try namespace.item("names").asArray().map { try $0.asString() }
        #expect(source.tensors.map(\.name) == names)
        let dtypes = Dictionary(uniqueKeysWithValues: source.tensors.map { ($0.name, $0.dtype) })
        #expect(dtypes == [
            "bf": "bfloat16", "fc.weight": "float32", "fc.bias": "float32", "half.weight": "float16", "half.bias": "float16",
            "extra.scale": "float16", "extra.inner.ids": "int8",
        ])
        #expect(source.skippedEntries == ["step (int)"])
        for info in source.tensors {
            let tensor = try source.load(info.name)
            let expected = try expectedTensor(namespace, info.name)
            #expect(tensor.shape == expected.shape && tensor.shape == info.shape, "\(info.name)")
            #expect(tensor.values == expected.values, "\(info.name): values differ")
            #expect(tensor.sourceDType == info.dtype)
        }
        #expect(try source.load("extra.scale").values == [0.5, -1.25, 65504])
    }

    // Needs python3-torch (scripts/setup installs it; CI runs it).
    @Test(.enabled(if: torchAvailable, "needs python3-torch (scripts/setup installs it)"))
    func torchTrainingCheckpointAndBareTensor() throws {
        let scratch = try LoaderScratch()
        try Python.run("""
            import torch
            torch.save({"epoch": 3, "model": {"w": torch.ones(2, 2)}, "optimizer": {}}, "\(scratch.path("train.ckpt"))")
            torch.save(torch.arange(4.0), "\(scratch.path("single.pt"))")
            """)
        let training = try TorchCheckpointSource(path: scratch.path("train.ckpt"))
        #expect(training.tensors == [TensorInfo(name: "w", dtype: "float32", shape: [2, 2])])
        #expect(training.skippedEntries == ["epoch (int)", "optimizer (dict)"])
        let single = try TorchCheckpointSource(path: scratch.path("single.pt"))
        #expect(try single.load("single").values == [0, 1, 2, 3])
    }

    // Needs python3-onnx (scripts/setup installs it; CI runs it).
    @Test(.enabled(if: onnxAvailable, "needs python3-onnx (scripts/setup installs it)"))
    func onnxInitializersAndNodesReadBack() throws {
        let scratch = try LoaderScratch()
        let path = scratch.path("linear.onnx")
        let namespace = try Python.run("""
            import numpy as np
            import onnx
            from onnx import TensorProto, helper, numpy_helper
            W = (np.arange(12, dtype=np.float32).reshape(4, 3) - 5) / 7
            B = np.array([0.5, -1.5, 1000.0], dtype=np.float16)
            nodes = [
                helper.make_node("MatMul", ["X", "W"], ["XW"], name="matmul"),
                helper.make_node("Cast", ["B"], ["B32"], name="cast", to=TensorProto.FLOAT),
                helper.make_node("Add", ["XW", "B32"], ["Y"], name="add"),
            ]
            graph = helper.make_graph(
                nodes, "linear",
                [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 4])],
                [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 3])],
                initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")])
            model = helper.make_model(graph)
            onnx.checker.check_model(model)
            onnx.save(model, "\(path)")
            expected = {"W": W, "B": B}
            """)
        let source = try ONNXModelSource(path: path)
        #expect(source.tensors == [
            TensorInfo(name: "W", dtype: "float32", shape: [4, 3]), TensorInfo(name: "B", dtype: "float16", shape: [3]),
        ])
        for name in ["W", "B"] {
            let tensor = try source.load(name)
            let expected = try expectedTensor(namespace, name)
            #expect(tensor.shape == expected.shape)
            #expect(tensor.values == expected.values, "\(name): values differ")
        }
        #expect(source.nodes == [
            ONNXNode(name: "matmul", opType: "MatMul", inputs: ["X", "W"], outputs: ["XW"]),
            ONNXNode(name: "cast", opType: "Cast", inputs: ["B"], outputs: ["B32"]),
            ONNXNode(name: "add", opType: "Add", inputs: ["XW", "B32"], outputs: ["Y"]),
        ])
    }

    /// Large ONNX models keep their weights in a separate file next to the model; moving the
    /// folder must keep working, and a missing data file is an error naming the model.
    @Test(.enabled(if: onnxAvailable, "needs python3-onnx (scripts/setup installs it)"))
    func onnxExternalDataIsFoundNextToTheModel() throws {
        let scratch = try LoaderScratch()
        let folder = scratch.path("exported"), moved = scratch.path("moved")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let namespace = try Python.run("""
            import numpy as np
            import onnx
            from onnx import TensorProto, helper, numpy_helper
            W = np.random.default_rng(7).standard_normal((64, 32)).astype(np.float32)
            graph = helper.make_graph(
                [helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")], "external",
                [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 64])],
                [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 32])],
                initializer=[numpy_helper.from_array(W, "W")])
            onnx.save(helper.make_model(graph), "\(folder)/model.onnx", save_as_external_data=True,
                      all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
            expected = {"W": W}
            """)
        #expect(FileManager.default.fileExists(atPath: "\(folder)/weights.bin"))
        try FileManager.default.moveItem(atPath: folder, toPath: moved)
        let source = try ONNXModelSource(path: "\(moved)/model.onnx")
        #expect(source.tensors == [TensorInfo(name: "W", dtype: "float32", shape: [64, 32])])
        #expect(try source.load("W").values == expectedTensor(namespace, "W").values)
        try FileManager.default.removeItem(atPath: "\(moved)/weights.bin")
        let missing = #expect(throws: PythonBridgeError.self) { try ONNXModelSource(path: "\(moved)/model.onnx") }
        #expect(missing.map { "\($0)" }?.contains("\(moved)/model.onnx") == true)
    }

    @Test(.enabled(if: numpyAvailable, "needs python3-numpy"))
    func pickledArraysAndObjectNpyReadBack() throws {
        let scratch = try LoaderScratch()
        let namespace = try Python.run("""
            import pickle
            import numpy as np
            a = np.arange(6, dtype=np.float64).reshape(2, 3) / 4
            b = np.array([1, -2, 3], dtype=np.int16)
            with open("\(scratch.path("arrays.pkl"))", "wb") as f:
                pickle.dump({"a": a, "nested": {"b": b}, "label": "x"}, f)
            np.save("\(scratch.path("objects.npy"))", np.array([1.5, 2, -3], dtype=object), allow_pickle=True)
            expected = {"a": a, "nested.b": b}
            """)
        let source = try PickledNumpySource(path: scratch.path("arrays.pkl"))
        #expect(source.tensors.map(\.name) == ["a", "nested.b"])
        #expect(source.skippedEntries == ["label (str)"])
        for name in ["a", "nested.b"] {
            #expect(try source.load(name).values == expectedTensor(namespace, name).values)
        }
        let objects = try PickledNumpySource(path: scratch.path("objects.npy"))
        #expect(try objects.load("objects").values == [1.5, 2, -3])
    }

    @Test(.enabled(if: numpyAvailable, "needs python3-numpy"), arguments: ["gz", "bz2", "xz"])
    func compressedPicklesAndNpyReadBack(_ compression: String) throws {
        let scratch = try LoaderScratch()
        let pickled = scratch.path("weights.pkl.\(compression)"), npy = scratch.path("codes.npy.\(compression)")
        let namespace = try Python.run("""
            import bz2, gzip, lzma, pickle
            import numpy as np
            opener = {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}["\(compression)"]
            w = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
            codes = np.array([[1, -128], [127, 0]], dtype=np.int8)
            with opener("\(pickled)", "wb") as f:
                pickle.dump({"layer": {"w": w}}, f)
            with opener("\(npy)", "wb") as f:
                np.save(f, codes)
            expected = {"layer.w": w, "codes": codes}
            """)
        let source = try PickledNumpySource(path: pickled)
        #expect(source.tensors == [TensorInfo(name: "layer.w", dtype: "float32", shape: [3, 4])])
        #expect(try source.load("layer.w").values == expectedTensor(namespace, "layer.w").values)
        let codes = try PickledNumpySource(path: npy)
        #expect(codes.tensors == [TensorInfo(name: "codes", dtype: "int8", shape: [2, 2])])
        #expect(try codes.load("codes").values == [1, -128, 127, 0])
        let damaged = scratch.path("damaged.pkl.\(compression)")
        try Data("not compressed at all".utf8).write(to: URL(fileURLWithPath: damaged))
        let error = #expect(throws: PythonBridgeError.self) { try PickledNumpySource(path: damaged) }
        #expect(error.map { "\($0)" }?.contains(damaged) == true)
    }

    // Needs python3-torch (scripts/setup installs it; CI runs it).
    @Test(.enabled(if: torchAvailable, "needs python3-torch (scripts/setup installs it)"))
    func torchErrorsNameTheFileAndWhatItHolds() throws {
        let scratch = try LoaderScratch()
        let list = scratch.path("list.pt"), module = scratch.path("module.pt"), corrupt = scratch.path("corrupt.pt")
        try Python.run("""
            import torch
            torch.save([torch.ones(2)], "\(list)")
            torch.save(torch.nn.Linear(2, 2), "\(module)")
            """)
        try Data("this is not a checkpoint".utf8).write(to: URL(fileURLWithPath: corrupt))
        #expect(throws: PythonBridgeError.notAStateDict(path: list, found: "a list of 1 items")) {
            try TorchCheckpointSource(path: list)
        }
        let refused = #expect(throws: PythonBridgeError.self) { try TorchCheckpointSource(path: module) }
        guard case let .refusedUnsafe(path, reason) = refused else {
            Issue.record("expected refusedUnsafe, got \(String(describing: refused))")
            return
        }
        #expect(path == module && reason.contains("torch.nn.modules.linear.Linear"))
        let damaged = #expect(throws: PythonBridgeError.self) { try TorchCheckpointSource(path: corrupt) }
        #expect(damaged.map { "\($0)" }?.contains("\(corrupt) cannot be read as a PyTorch checkpoint") == true)
    }

    @Test(.enabled(if: numpyAvailable, "needs python3-numpy"))
    func missingPackageAndUnknownTensor() throws {
        let missing = #expect(throws: PythonBridgeError.self) {
            try PythonTensorTable(path: "x.pt", module: "quantbench_no_such_module", format: "test", script: "", arguments: [])
        }
        guard case let .missingPackage(name, command) = missing else {
            Issue.record("expected missingPackage, got \(String(describing: missing))")
            return
        }
        #expect(name == "quantbench_no_such_module" && command.contains("pip install quantbench_no_such_module"))
        #expect(PythonBridgeError.installCommand(forModule: "torch").hasPrefix("apt-get install python3-torch"))
        #expect(PythonBridgeError.installCommand(forModule: "onnx").hasPrefix("apt-get install python3-onnx"))

        let scratch = try LoaderScratch()
        try Python.run("import numpy as np\nnp.save(\"\(scratch.path("w.npy"))\", {'a': np.ones(2)}, allow_pickle=True)")
        let source = try PickledNumpySource(path: scratch.path("w.npy"))
        #expect(source.tensors.map(\.name) == ["a"])
        #expect(throws: PythonBridgeError.tensorNotFound(path: scratch.path("w.npy"), name: "b", available: ["a"])) {
            try source.load("b")
        }
    }
}
