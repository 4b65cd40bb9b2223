/// Errors raised while reading or writing tensor files (`.npy`, `.npz`, `.safetensors`, and
/// PyTorch zip checkpoints `.pt`, `.pth`, `.bin`, `.ckpt`).
///
/// Every message names the file, the tensor where there is one, what is wrong and what to do.
/// Readers never trap on malformed input; every inconsistency ends up as one of these cases.
public enum TensorFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The path names a directory, not a tensor file.
    case isDirectory(path: String)
    /// The file's extension is not one QuantBench reads or writes.
    case unsupportedExtension(path: String)
    /// The file's first bytes do not match its extension's format.
    case badMagic(path: String, format: String, expected: String, found: String)
    /// The file could not be opened, read or mapped.
    case unreadable(path: String, reason: String)
    /// The header (npy dict, safetensors JSON, zip directory) cannot be parsed or is inconsistent.
    case malformedHeader(path: String, tensor: String?, reason: String)
    /// An element type QuantBench does not read.
    case unsupportedDType(path: String, tensor: String?, dtype: String, supported: [String])
    /// A shape with negative extents, or whose byte size does not fit in memory.
    case invalidShape(path: String, tensor: String?, shape: String, reason: String)
    /// The data holds fewer or more bytes than the shape and element type need.
    case sizeMismatch(path: String, tensor: String?, expectedBytes: Int, actualBytes: Int)
    /// A safetensors byte range that lies outside the data section, or ends before it begins.
    case offsetsOutOfRange(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// Two safetensors byte ranges that share bytes.
    case overlappingTensors(path: String, first: String, second: String)
    /// A tensor name the file does not hold.
    case tensorNotFound(path: String, name: String, suggestions: [String])
    /// A write that cannot be done as asked (wrong tensor count, duplicate or empty names, dtype).
    case invalidWrite(path: String, reason: String)
    /// The file system refused a write.
    case writeFailed(path: String, reason: String)
    /// A torch checkpoint that is not a zip archive: the legacy `torch.save` format (PyTorch before
    /// 1.6, or `_use_new_zipfile_serialization=False`), which only torch itself reads.
    case legacyTorchFormat(path: String, found: String)
    /// A checkpoint's pickle names a global (`module.name`) that is not a tensor, a storage or a
    /// plain container; QuantBench never unpickles such objects.
    case refusedPickleGlobal(path: String, entry: String, global: String)
    /// A checkpoint's pickle is damaged or uses an opcode QuantBench does not interpret.
    /// `offset` is the byte of the opcode at fault, when one is.
    case malformedPickle(path: String, entry: String, offset: Int?, reason: String)
    /// A checkpoint that holds no tensors in a form QuantBench reads (a list, a dict without tensors, ...).
    case notAStateDict(path: String, found: String)

    /// The extensions `TensorFiles.open(path:)` accepts (``writableExtensions`` are those it writes).
    public static let supportedExtensions = [".npy", ".npz", ".safetensors", ".pt", ".pth", ".bin", ".ckpt"]

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such file. Check the path; QuantBench reads tensor files ending in "
                + Self.extensionList + "."
        case let .isDirectory(path):
            return "\(path) is a directory, not a tensor file. Pass one file ending in \(Self.extensionList) "
                + "(for a sharded checkpoint, one shard at a time)."
        case let .unsupportedExtension(path):
            return "\(path): unknown tensor file extension. QuantBench reads \(Self.extensionList) and writes "
                + "\(Self.writableExtensions.joined(separator: ", ")); convert other formats with numpy or "
                + "safetensors, or load them through the Python bridge."
        case let .badMagic(path, format, expected, found):
            return "\(path) is not a valid \(format) file: it should start with \(expected) but starts with "
                + "\(found). The file is damaged or has the wrong extension; rename or re-export it."
        case let .unreadable(path, reason):
            return "\(path): cannot read the file (\(Self.sentence(reason))). Check that it exists and is readable."
        case let .malformedHeader(path, tensor, reason):
            return "\(path)\(Self.tensorPart(tensor)): malformed header: \(reason). "
                + "The file is damaged or was not written by numpy, safetensors or torch.save; re-export it."
        case let .unsupportedDType(path, tensor, dtype, supported):
            return "\(path)\(Self.tensorPart(tensor)): unsupported element type '\(dtype)'. "
                + "QuantBench reads \(supported.joined(separator: ", ")); convert the tensor to one of these "
                + "(for example float32, F32 in safetensors) before saving."
        case let .invalidShape(path, tensor, shape, reason):
            return "\(path)\(Self.tensorPart(tensor)): invalid shape \(shape): \(reason). "
                + "The header is damaged; re-export the file."
        case let .sizeMismatch(path, tensor, expected, actual):
            let what = actual < expected ? "is truncated" : "has \(actual - expected) unexpected extra bytes"
            return "\(path)\(Self.tensorPart(tensor)): data \(what): shape and element type need \(expected) "
                + "bytes but the file holds \(actual). The file is incomplete or lies about its contents; "
                + "re-download or re-export it."
        case let .offsetsOutOfRange(path, tensor, begin, end, dataSize):
            return "\(path), tensor '\(tensor)': data_offsets [\(begin), \(end)] are invalid for a data "
                + "section of \(dataSize) bytes (they must satisfy 0 <= begin <= end <= \(dataSize)). "
                + "The file is truncated or its header is damaged; re-download or re-export it."
        case let .overlappingTensors(path, first, second):
            return "\(path): tensors '\(first)' and '\(second)' have overlapping data_offsets. "
                + "The header is damaged; re-export the file with the safetensors package."
        case let .tensorNotFound(path, name, suggestions):
            let hint = suggestions.isEmpty
                ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "\(path) has no tensor named '\(name)'.\(hint) List its tensors with `quantbench inspect \(path)`."
        case let .invalidWrite(path, reason):
            return "cannot write \(path): \(reason)."
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(Self.sentence(reason)). Check that the directory exists and is writable."
        case .legacyTorchFormat, .refusedPickleGlobal, .malformedPickle, .notAStateDict:
            return torchDescription
        }
    }

    /// The messages of the torch checkpoint cases.
    private var torchDescription: String {
        switch self {
        case let .legacyTorchFormat(path, found):
            return "\(path) is not a zip checkpoint: it starts with \(found), so it is in the legacy torch.save "
                + "format (PyTorch before 1.6, or _use_new_zipfile_serialization=False) or not a checkpoint at all. "
                + "QuantBench reads the legacy format only through Python and torch (`quantbench inspect` does so "
                + "by itself); or re-save it with a current torch: torch.save(torch.load(path), path)."
        case let .refusedPickleGlobal(path, entry, global):
            return "\(path): the checkpoint holds objects that are not tensors: its pickle (\(entry)) refers to "
                + "\(global), which QuantBench never unpickles (unpickling it would run code named by the file). "
                + "Save only the tensors: torch.save(model.state_dict(), path), with numpy arrays converted by "
                + "torch.from_numpy."
        case let .malformedPickle(path, entry, offset, reason):
            let place = offset.map { " at byte \($0)" } ?? ""
            return "\(path): cannot read the checkpoint's pickle \(entry)\(place): \(reason). "
                + "The file is damaged or was not written by torch.save; re-download it or re-save it with torch.save."
        case let .notAStateDict(path, found):
            return "\(path) is not a state dict: it holds \(found). QuantBench reads a dict of tensors (optionally "
                + "under 'state_dict', 'model' or 'module'), or one tensor; save one with "
                + "torch.save(model.state_dict(), path)."
        default:
            return ""
        }
    }

    /// The extensions `TensorFiles.write(_:to:options:)` accepts.
    public static let writableExtensions = [".npy", ".npz", ".safetensors"]

    private static var extensionList: String { supportedExtensions.joined(separator: ", ") }

    /// A system message without its final period, to embed in a sentence.
    private static func sentence(_ reason: String) -> String {
        var text = Substring(reason)
        while text.last == "." { text = text.dropLast() }
        return String(text)
    }

    private static func tensorPart(_ tensor: String?) -> String {
        tensor.map { ", tensor '\($0)'" } ?? ""
    }
}
