/// Errors raised by the Python bridge's tensor loaders (torch checkpoints, ONNX models, pickles).
///
/// Each message names the file, says what was found and what to do. Missing packages and a
/// missing interpreter are reported as ``PythonBridgeError`` (with the install command) instead.
public enum TensorLoaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file holds no dict of tensors: `found` describes what it holds (a list, a dict without tensors, ...).
    case notAStateDict(path: String, found: String)
    /// `torch.load(weights_only=True)` refused the file because unpickling it would run code.
    case refusedUnsafe(path: String, reason: String)
    /// The file could not be parsed as its format (`format` is e.g. "PyTorch checkpoint").
    case unreadable(path: String, format: String, reason: String)
    /// A pickle that holds neither a numpy array nor a dict of arrays.
    case noArrays(path: String, found: String)
    /// A tensor name the file does not hold.
    case tensorNotFound(path: String, name: String, available: [String])

    public var description: String {
        switch self {
        case let .notAStateDict(path, found):
            return "\(path) is not a state dict: torch.load returned \(found). QuantBench reads a dict of tensors "
                + "(optionally under 'state_dict', 'model' or 'module'), or one tensor; save one with "
                + "torch.save(model.state_dict(), path)."
        case let .refusedUnsafe(path, reason):
            return "\(path): torch.load(weights_only=True) refused the file because unpickling it would run code "
                + "from it (\(reason)). QuantBench never falls back to unsafe unpickling; in a trusted environment "
                + "load it and re-save only the tensors with torch.save(model.state_dict(), path)."
        case let .unreadable(path, format, reason):
            return "\(path) cannot be read as a \(format): \(reason). The file is damaged or is another format; "
                + "re-export it."
        case let .noArrays(path, found):
            return "\(path) holds \(found), not a numpy array or a dict of numpy arrays; pickle a dict such as "
                + "{'weight': array} instead."
        case let .tensorNotFound(path, name, available):
            let shown = available.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            let more = available.count > 8 ? ", … (\(available.count) in all)" : ""
            return "\(path) has no tensor named '\(name)'; it holds \(shown)\(more). "
                + "List them with `quantbench inspect \(path)`."
        }
    }
}
