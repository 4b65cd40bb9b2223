import CPython
import CPythonLoader
import QuantCore

/// numpy arrays to ``Tensor`` and back, through the buffer protocol.
///
/// Reading takes any strided export (`PyBUF_RECORDS_RO`): C or Fortran order, transposed views,
/// negative strides (`a[::-1]`). The values are copied once into the tensor's row-major
/// `[Float]`; a C-contiguous `float32` array is one `memcpy`. bfloat16 (ml_dtypes) has no
/// standard buffer format, so it crosses as `uint16` bits through `.view(numpy.uint16)` and is
/// widened exactly in Swift. Non-native byte order is converted on the Python side first.
public enum NumpyBridge {
    /// The numpy dtypes that convert to a tensor.
    public static let supportedDTypes = [
        "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
        "uint8", "uint16", "uint32", "uint64", "bool",
    ]

    /// Converts a numpy array (or any object exporting a typed buffer) to a tensor.
    ///
    /// float64 and 32/64-bit integers round to the nearest `Float`, as `astype(numpy.float32)`
    /// does; every other supported type converts exactly. The GIL is released during the copy.
    ///
    /// - Parameters:
    ///   - array: A numpy array of one of ``supportedDTypes``, in any memory order.
    ///   - name: The tensor's name.
    /// - Returns: A tensor in row-major order whose ``Tensor/sourceDType`` is the numpy dtype name.
    /// - Throws: ``PythonBridgeError/unsupportedDType(_:)`` for other element types;
    ///   ``PythonBridgeError/missingPackage(name:installCommand:)`` when numpy is needed and absent.
    /// - Complexity: O(n), one pass over the elements.
    public static func tensor(fromNumpy array: PythonObject, name: String) throws -> Tensor {
        try Python.withGIL {
            let dtypeName = try dtypeName(of: array)
            let source = try nativeSource(array, dtypeName: dtypeName)
            var view = Py_buffer()
            guard qb_PyObject_GetBuffer(source.pointer, &view, qb_buffer_records_ro()) == 0 else {
                throw PythonObject.fetchError()
            }
            defer { qb_PyBuffer_Release(&view) }
            let format = view.format.map { String(cString: $0) } ?? "B"
            guard let kind = ElementKind(format: format, itemSize: view.itemsize, bfloat16: dtypeName == "bfloat16") else {
                throw PythonBridgeError.unsupportedDType(dtypeName ?? "buffer format '\(format)'")
            }
            let rank = Int(view.ndim)
            let shape = (0..<rank).map { view.shape?[$0] ?? 0 }
            let strides = (0..<rank).map { view.strides?[$0] ?? 0 }
            let layout = StridedLayout(shape: shape, strides: strides, itemSize: view.itemsize)
            let base = UnsafeRawPointer(view.buf)
            let values = withGILReleased { layout.gather(kind, from: base) }
            return try Tensor(name: name, shape: shape, values: values, sourceDType: dtypeName ?? kind.defaultName)
        }
    }

    /// Creates a C-contiguous `float32` numpy array holding a copy of the tensor's values.
    ///
    /// One copy: the array owns its memory, so it stays valid however long Python keeps it.
    ///
    /// - Parameter tensor: The tensor to copy.
    /// - Returns: A numpy array of shape `tensor.shape` and dtype `float32`.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` when numpy is absent.
    /// - Complexity: O(n).
    public static func numpy(from tensor: Tensor) throws -> PythonObject {
        try Python.withGIL {
            let numpy = try Python.import("numpy")
            let shape = try PythonObject.tuple(tensor.shape.map { try PythonObject($0) })
            let array = try numpy.callMethod("empty", [shape], keywords: ["dtype": "float32"])
            var view = Py_buffer()
            guard qb_PyObject_GetBuffer(array.pointer, &view, qb_buffer_contig_writable()) == 0 else {
                throw PythonObject.fetchError()
            }
            defer { qb_PyBuffer_Release(&view) }
            guard let destination = view.buf, view.len == tensor.count * MemoryLayout<Float>.size else {
                throw PythonBridgeError.typeMismatch(expected: "float32 array of \(tensor.count) values", actual: "other buffer")
            }
            tensor.values.withUnsafeBytes { source in
                if let base = source.baseAddress { destination.copyMemory(from: base, byteCount: source.count) }
            }
            return array
        }
    }

    /// The array's `dtype.name`, or nil for buffers without a numpy dtype; the caller holds the GIL.
    private static func dtypeName(of array: PythonObject) throws -> String? {
        guard let dtype = qb_PyObject_GetAttrString(array.pointer, "dtype") else {
            qb_PyErr_Clear()
            return nil
        }
        return try PythonObject(owning: dtype).attribute("name").stringUnderGIL()
    }

    /// The array itself, its bfloat16 bits as `uint16`, or a native-byte-order copy; the caller holds the GIL.
    private static func nativeSource(_ array: PythonObject, dtypeName: String?) throws -> PythonObject {
        guard dtypeName != nil else { return array }
        let numpy = try Python.import("numpy")
        if dtypeName == "bfloat16" {
            return try array.callMethod("view", [numpy.attribute("uint16")])
        }
        let dtype = try array.attribute("dtype")
        guard try dtype.attribute("isnative").asBool() else {
            return try array.callMethod("astype", [dtype.callMethod("newbyteorder", ["="])])
        }
        return array
    }

    /// Runs `body` with the GIL released (the caller holds it), then takes it back.
    private static func withGILReleased<T>(_ body: () -> T) -> T {
        let thread = qb_PyEval_SaveThread()
        defer { qb_PyEval_RestoreThread(thread) }
        return body()
    }
}
