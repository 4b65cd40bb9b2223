import PythonBridge

/// Errors raised by plug-ins written in Python.
///
/// Every case names the plug-in's `module:function` reference and says what to do: fix the
/// reference, install a package (with the command), or read the Python traceback.
public enum PythonPluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference is not `module:function` or `path/to/file.py:function`.
    case malformedReference(String, reason: String)
    /// The reference names a `.py` file that does not exist (`path` is the resolved absolute path).
    case moduleFileNotFound(reference: String, path: String)
    /// A dotted module name that is not on `sys.path`.
    case moduleNotFound(reference: String, module: String)
    /// Importing or running the module raised; `detail` carries the Python traceback.
    case importFailed(reference: String, module: String, detail: String)
    /// A package the plug-in (or the bridge) needs is not installed.
    case missingPackage(reference: String, package: String, installCommand: String)
    /// The module has no callable of that name; `available` lists its public callables.
    case functionNotFound(reference: String, module: String, available: [String])
    /// The function raised a Python exception.
    case functionRaised(reference: String, type: String, message: String, traceback: String)
    /// The function returned something that is not a clipping range.
    case badResult(reference: String, returned: String, reason: String)
    /// The embedded interpreter could not start.
    case pythonUnavailable(reference: String, reason: String)

    public var description: String {
        switch self {
        case let .malformedReference(text, reason):
            return "'\(text)' is not a Python function reference: \(reason). "
                + "Write python(module:function) or python(path/to/file.py:function)"
        case let .moduleFileNotFound(reference, path):
            return "Python plug-in \(reference): the file \(path) does not exist "
                + "(relative paths are resolved against the current directory)"
        case let .moduleNotFound(reference, module):
            return "Python plug-in \(reference): no module named '\(module)' on the embedded Python's sys.path; "
                + "give the file instead, as python(path/to/\(module.split(separator: ".").last ?? "module").py:function)"
        case let .importFailed(reference, module, detail):
            return "Python plug-in \(reference): loading module '\(module)' failed: \(detail)"
        case let .missingPackage(reference, package, installCommand):
            return "Python plug-in \(reference) needs the Python package '\(package)', which is not installed "
                + "for the embedded Python (/usr/bin/python3). Install it with: \(installCommand)"
        case let .functionNotFound(reference, module, available):
            let known = available.isEmpty ? "it defines no public functions" : "it defines: " + available.joined(separator: ", ")
            return "Python plug-in \(reference): module '\(module)' has no function of that name (\(known))"
        case let .functionRaised(reference, type, message, traceback):
            let trace = traceback.isEmpty ? "" : "\n" + traceback
            return "Python plug-in \(reference) raised \(type): \(message)\(trace)"
        case let .badResult(reference, returned, reason):
            return "Python plug-in \(reference) returned \(returned), but \(reason); "
                + "return a (low, high) pair of finite numbers with low ≤ high, or one threshold t ≥ 0"
        case let .pythonUnavailable(reference, reason):
            return "Python plug-in \(reference) needs the embedded Python: \(reason)"
        }
    }

    /// Turns a bridge error raised while loading `module` into a plug-in error.
    static func loading(_ error: any Error, reference: String, module: String) -> PythonPluginError {
        switch error {
        case let error as PythonPluginError: return error
        case let PythonBridgeError.missingPackage(name, _) where name == module || module.hasPrefix(name + "."):
            return .moduleNotFound(reference: reference, module: module)
        case let PythonBridgeError.exception(type, message, traceback):
            return .importFailed(reference: reference, module: module, detail: "\(type): \(message)\n\(traceback)")
        default: return calling(error, reference: reference)
        }
    }

    /// Turns a bridge error raised while calling the function into a plug-in error.
    static func calling(_ error: any Error, reference: String) -> PythonPluginError {
        switch error {
        case let error as PythonPluginError: return error
        case let PythonBridgeError.exception(type, message, traceback):
            return .functionRaised(reference: reference, type: type, message: message, traceback: traceback)
        case let PythonBridgeError.missingPackage(name, command):
            return .missingPackage(reference: reference, package: name, installCommand: command)
        case let PythonBridgeError.interpreterUnavailable(reason):
            return .pythonUnavailable(reference: reference, reason: PythonBridgeError.interpreterUnavailable(reason: reason).description)
        default:
            return .functionRaised(reference: reference, type: "error", message: String(describing: error), traceback: "")
        }
    }
}
