import Foundation
import QuantCore

/// The initializers of an ONNX model (`.onnx`) as named tensors, and the graph's node list.
///
/// The model is read with `onnx.load(path, load_external_data=True)`, so weights stored in
/// external data files are found relative to the model's folder. Initializers are converted
/// with `onnx.numpy_helper.to_array` one at a time by ``load(_:)``; ``TensorInfo/dtype`` is the
/// ONNX element type in numpy's spelling (`FLOAT` → `float32`, `INT64` → `int64`).
public struct ONNXModelSource: TensorSource {
    public let path: String
    public var tensors: [TensorInfo] { table.tensors }
    /// The graph's nodes, in graph order.
    public let nodes: [ONNXNode]
    private let table: PythonTensorTable

    /// Loads the model (kept in Python) and lists its initializers and nodes.
    ///
    /// - Parameter path: The `.onnx` file.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` without onnx;
    ///   ``PythonBridgeError/interpreterUnavailable(reason:)`` without Python;
    ///   ``PythonBridgeError/unreadable(path:format:reason:)`` when onnx cannot parse the file.
    public init(path: String) throws {
        let table = try PythonTensorTable(path: path, module: "onnx", format: "ONNX model", script: Self.script, arguments: [path])
        self.path = path
        self.table = table
        self.nodes = try table.extra.asArray().map { node in
            let fields = try node.asArray()
            guard fields.count == 4 else {
                throw PythonBridgeError.typeMismatch(expected: "(name, op_type, inputs, outputs)", actual: "\(fields.count)-tuple")
            }
            return ONNXNode(
                name: try fields[0].asString(), opType: try fields[1].asString(),
                inputs: try fields[2].asArray().map { try $0.asString() }, outputs: try fields[3].asArray().map { try $0.asString() })
        }
    }

    /// Converts one initializer to `Float`, keeping its ONNX element type in ``Tensor/sourceDType``.
    ///
    /// - Throws: ``PythonBridgeError/tensorNotFound(path:name:available:)`` for an unknown name;
    ///   ``PythonBridgeError/unsupportedDType(_:)`` for strings or complex numbers.
    public func load(_ name: String) throws -> Tensor {
        try table.load(name)
    }

    /// `open_file(path)` and `to_numpy(proto)`, run in the embedded Python.
    static let script = """
        import onnx
        from onnx import numpy_helper

        def _dtype(proto):
            name = onnx.TensorProto.DataType.Name(proto.data_type).lower()
            return {"float": "float32", "double": "float64"}.get(name, name)

        def open_file(path):
            try:
                model = onnx.load(path, load_external_data=True)
            except Exception as error:
                return ("unreadable", "%s: %s" % (type(error).__name__, error))
            graph = model.graph
            tensors = {init.name: init for init in graph.initializer}
            infos = [(init.name, _dtype(init), list(init.dims)) for init in graph.initializer]
            nodes = [(n.name, n.op_type, list(n.input), list(n.output)) for n in graph.node]
            return ("ok", tensors, infos, [], nodes)

        def to_numpy(proto):
            return numpy_helper.to_array(proto)
        """
}
