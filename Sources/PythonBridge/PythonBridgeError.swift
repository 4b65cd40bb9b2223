/// Errors raised by the Python bridge.
///
/// Every message says what went wrong and what to do: which package to install and how, which
/// environment variable to set, or the Python traceback to read.
public enum PythonBridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Python raised an exception; `traceback` is the text `traceback.format_exception` prints.
    case exception(type: String, message: String, traceback: String)
    /// A Python package could not be imported (`ModuleNotFoundError`).
    case missingPackage(name: String, installCommand: String)
    /// The embedded interpreter could not start.
    case interpreterUnavailable(reason: String)
    /// An array's element type that the bridge does not convert to `Float`.
    case unsupportedDType(String)
    /// A Python value that is not of the type Swift asked for.
    case typeMismatch(expected: String, actual: String)

    // Plotting, checked before any Python runs.
    /// The plot's output path does not end in a supported extension.
    case unsupportedPlotFormat(path: String)
    /// The directory a plot should go to does not exist.
    case missingPlotDirectory(path: String)
    /// The data cannot be drawn (lengths disagree, nothing to draw, a bad size).
    case invalidPlotData(String)

    // Tensor files read through Python (torch checkpoints, ONNX models, pickles).
    /// The file holds no dict of tensors: `found` describes what it holds.
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
        case let .exception(type, message, traceback):
            let trace = traceback.isEmpty ? "" : "\n" + traceback
            return "Python raised \(type): \(message)\(trace)"
        case let .missingPackage(name, installCommand):
            return "the Python package '\(name)' is not installed for the embedded Python (/usr/bin/python3). "
                + "Install it with: \(installCommand). Run 'quantbench doctor' to see what the bridge finds."
        case let .interpreterUnavailable(reason):
            return "the embedded Python interpreter is unavailable: \(reason). "
                + "Install Debian's Python with 'sudo apt-get install python3 libpython3.11' and run 'quantbench doctor'."
        case let .unsupportedDType(dtype):
            return "cannot convert numpy dtype '\(dtype)' to a tensor; supported: "
                + NumpyBridge.supportedDTypes.joined(separator: ", ")
                + ". Convert it first, e.g. array.astype(numpy.float32)."
        case let .typeMismatch(expected, actual):
            return "expected a Python \(expected) but got a \(actual)"
        case .unsupportedPlotFormat, .missingPlotDirectory, .invalidPlotData:
            return plotDescription
        case .notAStateDict, .refusedUnsafe, .unreadable, .noArrays, .tensorNotFound:
            return fileDescription
        }
    }

    /// The command that installs the Python package imported as `module`.
    ///
    /// Debian packages come first where Debian ships the package for its Python 3.11; otherwise,
    /// and always as the alternative, `pip install` in the virtual environment that
    /// `QUANTBENCH_PYTHON_VENV` names (created with `/usr/bin/python3 -m venv`).
    ///
    /// - Parameter module: The top-level module name, e.g. `numpy` or `ml_dtypes`.
    /// - Returns: A command a user can paste.
    public static func installCommand(forModule module: String) -> String {
        let top = module.split(separator: ".").first.map(String.init) ?? module
        let pipNames = ["ml_dtypes": "ml-dtypes", "sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow"]
        let debianNames = [
            "numpy": "python3-numpy", "matplotlib": "python3-matplotlib", "scipy": "python3-scipy",
            "torch": "python3-torch", "onnx": "python3-onnx", "yaml": "python3-yaml", "PIL": "python3-pil",
        ]
        let pip = "pip install \(pipNames[top] ?? top) in a venv made with '/usr/bin/python3 -m venv DIR' "
            + "and named by QUANTBENCH_PYTHON_VENV=DIR"
        guard let debian = debianNames[top] else { return pip }
        return "apt-get install \(debian) (or \(pip))"
    }
}
