import QuantCore

/// The tensors a Python loader found in a file: their descriptions, and the Python objects
/// behind them, converted one at a time.
///
/// Every loader's script defines `open_file(...)`, returning `("ok", objects, infos, skipped,
/// extra)` or `(problem, message)`, and `to_numpy(object)`. The dict of objects stays alive in
/// a ``PythonObject`` owned by the table, so ``load(_:)`` converts lazily; the table is
/// `Sendable` because `PythonObject` is (every use takes the GIL).
struct PythonTensorTable: Sendable {
    /// The file, for messages.
    let path: String
    /// Name, numpy-spelled dtype and shape of each tensor, in file order.
    let tensors: [TensorInfo]
    /// Entries that are not tensors, as `name (type)`.
    let skipped: [String]
    /// The script's fifth result (e.g. an ONNX node list); `None` when it has none.
    let extra: PythonObject
    /// A dict from tensor name to the Python object holding it.
    private let objects: PythonObject
    /// The script's `to_numpy` function.
    private let converter: PythonObject

    /// Imports `module`, runs `script` and calls its `open_file` with `arguments`.
    ///
    /// - Parameters:
    ///   - path: The file, for messages.
    ///   - module: The package the format needs (`torch`, `onnx`, `numpy`).
    ///   - format: The format's name for messages, e.g. "PyTorch checkpoint".
    ///   - script: Python source defining `open_file` and `to_numpy`.
    ///   - arguments: The arguments of `open_file`.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` when `module` is not
    ///   installed, ``PythonBridgeError/interpreterUnavailable(reason:)`` without Python, or a
    ///   ``PythonBridgeError`` for the problem `open_file` reports.
    init(path: String, module: String, format: String, script: String, arguments: [any PythonConvertible]) throws {
        let (result, converter) = try Python.withGIL { () throws -> ([PythonObject], PythonObject) in
            _ = try Python.import(module)
            let namespace = try Python.run(script)
            let result = try namespace.item("open_file").call(arguments).asArray()
            return (result, try namespace.item("to_numpy"))
        }
        guard let status = try result.first?.asString() else {
            throw PythonBridgeError.typeMismatch(expected: "(status, ...) tuple", actual: "empty result")
        }
        guard status == "ok", result.count == 5 else {
            let message = try result.count > 1 ? result[1].asString() : status
            switch status {
            case "refused": throw PythonBridgeError.refusedUnsafe(path: path, reason: message)
            case "not-state-dict": throw PythonBridgeError.notAStateDict(path: path, found: message)
            case "no-arrays": throw PythonBridgeError.noArrays(path: path, found: message)
            default: throw PythonBridgeError.unreadable(path: path, format: format, reason: message)
            }
        }
        self.path = path
        self.objects = result[1]
        self.tensors = try result[2].asArray().map(Self.info)
        self.skipped = try result[3].asArray().map { try $0.asString() }
        self.extra = result[4]
        self.converter = converter
    }

    /// Converts the tensor `name` through `to_numpy` and ``NumpyBridge``.
    ///
    /// - Returns: The tensor, with ``Tensor/sourceDType`` the dtype listed at open.
    /// - Throws: ``PythonBridgeError/tensorNotFound(path:name:available:)`` for an unknown name,
    ///   or ``PythonBridgeError`` when the conversion fails.
    func load(_ name: String) throws -> Tensor {
        guard let info = tensors.first(where: { $0.name == name }) else {
            throw PythonBridgeError.tensorNotFound(path: path, name: name, available: tensors.map(\.name))
        }
        let array = try converter.call([try objects.item(name)])
        var tensor = try NumpyBridge.tensor(fromNumpy: array, name: name)
        tensor.sourceDType = info.dtype
        return tensor
    }

    /// A `(name, dtype, shape)` tuple as a ``TensorInfo``.
    private static func info(_ tuple: PythonObject) throws -> TensorInfo {
        let fields = try tuple.asArray()
        guard fields.count == 3 else {
            throw PythonBridgeError.typeMismatch(expected: "(name, dtype, shape)", actual: "\(fields.count)-tuple")
        }
        return TensorInfo(
            name: try fields[0].asString(), dtype: try fields[1].asString(), shape: try fields[2].asArray().map { try $0.asInt() })
    }
}
