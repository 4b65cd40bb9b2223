import Foundation
import PythonBridge
import QuantCore
import QuantModels

/// Opens any tensor file QuantBench reads, choosing the reader by extension.
///
/// | extension                        | reader                                      | needs           |
/// |----------------------------------|---------------------------------------------|-----------------|
/// | `.npy`, `.npz`, `.safetensors`   | `TensorFiles.open(path:)` (native, mapped)  | nothing         |
/// | `.pt`, `.pth`, `.bin`, `.ckpt`   | `TorchZipFile` (native, mapped; zip format) | nothing         |
/// | the same, legacy non-zip format  | ``TorchCheckpointSource``                   | Python + torch  |
/// | `.onnx`                          | ``ONNXModelSource``                         | Python + onnx   |
/// | `.pkl`, `.pickle`                | ``PickledNumpySource``                      | Python + numpy  |
/// | `.pkl.gz`, `.npy.xz`, … (`.gz`, `.bz2`, `.xz` after `.pkl`, `.pickle`, `.npy`) | ``PickledNumpySource`` | Python + numpy |
///
/// Native formats never start Python. Two native files are handed to Python: a `.npy` file whose
/// dtype is `object` (it needs unpickling) goes to ``PickledNumpySource``, and a torch checkpoint
/// that is not a zip archive (`TensorFileError.legacyTorchFormat`: the format of PyTorch before
/// 1.6 or `_use_new_zipfile_serialization=False`) goes to ``TorchCheckpointSource``. Every other
/// error of the native torch reader (a refused global, a damaged archive) is reported as is,
/// never retried through Python.
public enum TensorSources {
    /// Every extension ``open(path:)`` accepts.
    public static let supportedExtensions = [
        ".npy", ".npz", ".safetensors", ".pt", ".pth", ".bin", ".ckpt", ".onnx", ".pkl", ".pickle",
        ".pkl.gz", ".pkl.bz2", ".pkl.xz", ".pickle.gz", ".pickle.bz2", ".pickle.xz", ".npy.gz", ".npy.bz2", ".npy.xz",
    ]

    /// Opens a tensor file for reading.
    ///
    /// - Parameter path: A file with one of ``supportedExtensions`` (case-insensitive).
    /// - Returns: The source; its `tensors` lists what the file holds and `load(_:)` reads one.
    /// - Throws: ``TensorSourceError/unsupportedExtension(path:supported:)`` listing every
    ///   extension; `TensorFileError` from the native readers (for a torch checkpoint, every
    ///   error but `.legacyTorchFormat`, which hands the file to Python); for Python formats
    ///   `PythonBridgeError.missingPackage` (with the install command) or
    ///   `.interpreterUnavailable`, and `PythonBridgeError` for unreadable contents.
    public static func open(path: String) throws -> any TensorSource {
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        switch pathExtension {
        case "npy": return try openNpy(path: path)
        case "npz", "safetensors": return try TensorFiles.open(path: path)
        case "pt", "pth", "bin", "ckpt": return try openTorch(path: path)
        case "onnx":
            try checkIsFile(path)
            return try ONNXModelSource(path: path)
        case "pkl", "pickle":
            try checkIsFile(path)
            return try PickledNumpySource(path: path)
        case let compression where PickledNumpySource.compressions.contains(compression):
            let inner = URL(fileURLWithPath: path).deletingPathExtension().pathExtension.lowercased()
            guard ["pkl", "pickle", "npy"].contains(inner) else {
                throw TensorSourceError.unsupportedExtension(path: path, supported: supportedExtensions)
            }
            try checkIsFile(path)
            return try PickledNumpySource(path: path)
        default:
            throw TensorSourceError.unsupportedExtension(path: path, supported: supportedExtensions)
        }
    }

    /// A `.npy` file, natively; through pickle only when the native reader refuses its `object` dtype.
    private static func openNpy(path: String) throws -> any TensorSource {
        do {
            return try TensorFiles.open(path: path)
        } catch let TensorFileError.unsupportedDType(_, _, dtype, _) where dtype.hasSuffix("(object)") {
            return try PickledNumpySource(path: path)
        }
    }

    /// A torch checkpoint, natively; through Python and torch only when it is in the legacy format.
    private static func openTorch(path: String) throws -> any TensorSource {
        try checkIsFile(path)
        do {
            return try TensorFiles.open(path: path)
        } catch TensorFileError.legacyTorchFormat {
            return try TorchCheckpointSource(path: path)
        }
    }

    /// Throws unless `path` names an existing regular file (before Python is started for it).
    private static func checkIsFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorSourceError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw TensorFileError.isDirectory(path: path) }
    }
}

/// Errors of ``TensorSources/open(path:)`` itself (the readers raise their own).
public enum TensorSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extension is not one QuantBench reads.
    case unsupportedExtension(path: String, supported: [String])
    /// No file exists at the path.
    case fileNotFound(path: String)

    public var description: String {
        switch self {
        case let .unsupportedExtension(path, supported):
            return "\(path): unknown tensor file extension. QuantBench reads \(supported.joined(separator: ", ")); "
                + "convert the file to one of these (safetensors is the portable choice)."
        case let .fileNotFound(path):
            return "\(path): no such file. Check the path."
        }
    }
}
