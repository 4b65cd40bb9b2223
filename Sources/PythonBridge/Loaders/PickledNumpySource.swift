import Foundation
import QuantCore

/// numpy arrays in a pickle (`.pkl`, `.pickle`) or in a `.npy` file that needs unpickling (object
/// arrays), either of them possibly compressed whole (`.gz`, `.bz2`, `.xz`: `model.pkl.gz`,
/// `arrays.npy.xz`).
///
/// - Warning: Unpickling runs code from the file. Open only files you trust; QuantBench uses this
///   source only for these explicit pickle paths (and for `.npy` files the native reader refuses
///   because their dtype is `object`), never for other formats.
///
/// Accepted contents: one array (named after the file's stem), or a dict of arrays, nested dicts
/// flattened to dotted names. Object arrays of numbers are converted with
/// `numpy.array(a.tolist())`; other entries are skipped and listed in ``skippedEntries``.
public struct PickledNumpySource: TensorSource {
    public let path: String
    public var tensors: [TensorInfo] { table.tensors }
    /// Entries that are not numeric arrays and were skipped, as `name (type)`.
    public var skippedEntries: [String] { table.skipped }
    private let table: PythonTensorTable

    /// Unpickles the file (kept in Python) and lists its arrays.
    ///
    /// - Parameter path: A `.pkl`/`.pickle` file (read with `pickle.load`) or a `.npy` file (read
    ///   with `numpy.load(allow_pickle=True)`), optionally with a `.gz`, `.bz2` or `.xz` suffix.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` without numpy;
    ///   ``PythonBridgeError/noArrays(path:found:)`` when the pickle holds no arrays;
    ///   ``PythonBridgeError/unreadable(path:format:reason:)`` when unpickling fails.
    public init(path: String) throws {
        var url = URL(fileURLWithPath: path)
        var compression = url.pathExtension.lowercased()
        if Self.compressions.contains(compression) {
            url.deletePathExtension()
        } else {
            compression = ""
        }
        let isNpy = url.pathExtension.lowercased() == "npy"
        let format = (isNpy ? "pickled .npy file" : "pickle") + (compression.isEmpty ? "" : " (\(compression)-compressed)")
        self.path = path
        self.table = try PythonTensorTable(
            path: path, module: "numpy", format: format, script: Self.script,
            arguments: [path, url.deletingPathExtension().lastPathComponent, isNpy, compression])
    }

    /// Converts one array to `Float`, keeping its numpy dtype in ``Tensor/sourceDType``.
    ///
    /// - Throws: ``PythonBridgeError/tensorNotFound(path:name:available:)`` for an unknown name.
    public func load(_ name: String) throws -> Tensor {
        try table.load(name)
    }

    /// The whole-file compressions read, by file extension (Python's `gzip`, `bz2`, `lzma`).
    public static let compressions: Set<String> = ["gz", "bz2", "xz"]

    /// `open_file(path, stem, is_npy, compression)` and `to_numpy(array)`, run in the embedded Python.
    static let script = """
        import bz2, gzip, lzma, pickle
        import numpy

        _OPENERS = {"": open, "gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}

        def _numeric(value):
            array = numpy.asarray(value)
            if array.dtype == object:
                array = numpy.array(array.tolist())
            return array if array.dtype.kind in "biuf" else None

        def _collect(mapping, prefix, tensors, skipped):
            for key, value in mapping.items():
                name = prefix + str(key)
                if isinstance(value, dict):
                    _collect(value, name + ".", tensors, skipped)
                    continue
                array = _numeric(value) if isinstance(value, (numpy.ndarray, numpy.generic)) else None
                if array is None:
                    skipped.append("%s (%s)" % (name, type(value).__name__))
                else:
                    tensors[name] = array

        def open_file(path, stem, is_npy, compression):
            try:
                with _OPENERS[compression](path, "rb") as file:
                    obj = numpy.load(file, allow_pickle=True) if is_npy else pickle.load(file)
            except Exception as error:
                return ("unreadable", "%s: %s" % (type(error).__name__, error))
            if isinstance(obj, numpy.ndarray) and obj.dtype == object and obj.ndim == 0:
                obj = obj.item()
            tensors, skipped = {}, []
            if isinstance(obj, dict):
                _collect(obj, "", tensors, skipped)
            elif isinstance(obj, numpy.ndarray) and _numeric(obj) is not None:
                tensors[stem] = _numeric(obj)
            if not tensors:
                return ("no-arrays", "a %s with no numeric arrays" % type(obj).__name__)
            infos = [(n, str(a.dtype), list(a.shape)) for n, a in tensors.items()]
            return ("ok", tensors, infos, skipped, None)

        def to_numpy(array):
            return array
        """
}
