import CPython
import Foundation
import Synchronization

/// The embedded CPython interpreter: started once per process, lazily, on first use.
///
/// The interpreter is Debian's `/usr/bin/python3` (the `libpython3.11` the package links), not
/// whichever `python3` comes first on `PATH`: ``start()`` sets `PyConfig.executable` so the
/// matching standard library loads, and ignores `PYTHONPATH`/`PYTHONHOME`. After start-up the
/// site-packages of the virtual environment named by `QUANTBENCH_PYTHON_VENV` (or, when that is
/// unset, `VIRTUAL_ENV`) go to the front of `sys.path`, so users can bring their own numpy, torch
/// or onnx. The GIL is released after start-up; every call into Python goes through
/// ``withGIL(_:)``, so any Swift task or thread may call in. Setting `QUANTBENCH_DISABLE_PYTHON=1`
/// makes start-up fail as if Python were missing (to check that the rest works without it).
public enum Python {
    /// The Python whose standard library the embedded interpreter uses.
    public static let executable = "/usr/bin/python3"

    /// What start-up did: the virtual environment added, and any warnings about it.
    public struct StartupReport: Sendable, Equatable {
        /// The site-packages directory added from a virtual environment, if any.
        public var addedSitePackages: String?
        /// Problems that did not stop the interpreter (e.g. a venv without site-packages).
        public var warnings: [String]
    }

    private enum State: Sendable {
        case notStarted
        case ready(StartupReport)
        case failed(String)
    }

    /// The process-wide state; a `Mutex` makes the one-time start-up safe from any thread.
    private static let state = Mutex<State>(.notStarted)

    /// Starts the interpreter if it is not running yet.
    ///
    /// Safe to call from any thread, any number of times; only the first call does the work.
    ///
    /// - Returns: What start-up did.
    /// - Throws: ``PythonBridgeError/interpreterUnavailable(reason:)`` when CPython cannot start
    ///   (the failure is remembered: later calls throw the same error at once).
    @discardableResult
    public static func start() throws -> StartupReport {
        let outcome: Result<StartupReport, PythonBridgeError> = state.withLock { state in
            switch state {
            case .ready(let report): return .success(report)
            case .failed(let reason): return .failure(.interpreterUnavailable(reason: reason))
            case .notStarted:
                do {
                    let report = try initializeInterpreter()
                    state = .ready(report)
                    return .success(report)
                } catch {
                    var reason = String(describing: error)
                    if case let PythonBridgeError.interpreterUnavailable(inner) = error { reason = inner }
                    state = .failed(reason)
                    return .failure(.interpreterUnavailable(reason: reason))
                }
            }
        }
        return try outcome.get()
    }

    /// Runs `body` holding the GIL, starting the interpreter first if needed.
    ///
    /// Re-entrant: a nested call on the same thread is fine. `body` must not suspend (it is
    /// synchronous), so the GIL is never held across an `await`.
    ///
    /// - Throws: ``PythonBridgeError/interpreterUnavailable(reason:)`` or whatever `body` throws.
    public static func withGIL<T>(_ body: () throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        try start()
        let gil = PyGILState_Ensure()
        defer { PyGILState_Release(gil) }
        return try body()
    }

    /// One Swift thread at a time runs Python, the GIL inside it.
    ///
    /// The GIL alone lets C extensions (numpy, matplotlib's renderers) release it mid-call and
    /// other threads run Python meanwhile. Taking this recursive lock before the GIL, in
    /// ``withGIL(_:)`` and in `PythonObject`'s deinit, makes Python work strictly one thread at
    /// a time; it is always taken first, so it cannot deadlock with the GIL. Nested calls on one
    /// thread re-enter it.
    static let serial = NSRecursiveLock()

    /// Runs Python statements in a fresh namespace and returns that namespace (a `dict`).
    ///
    /// For small snippets: `try Python.run("import math\nx = math.pi")["x"]`.
    ///
    /// - Parameter code: Python source, run as a module body.
    /// - Returns: The namespace the code ran in; read its variables with ``PythonObject/item(_:)``.
    /// - Throws: ``PythonBridgeError`` with the Python traceback when the code raises.
    @discardableResult
    public static func run(_ code: String) throws -> PythonObject {
        try withGIL {
            let namespace = try newNamespace()
            let result = PyRun_String(code, qb_file_input(), namespace.pointer, namespace.pointer)
            _ = try PythonObject.owning(result)
            return namespace
        }
    }

    /// Evaluates one Python expression, optionally in a namespace made by ``run(_:)``.
    ///
    /// - Parameters:
    ///   - expression: A Python expression, e.g. `"np.arange(6).reshape(2, 3)"`.
    ///   - namespace: Globals to evaluate in; a fresh one when `nil`.
    /// - Returns: The value of the expression.
    /// - Throws: ``PythonBridgeError`` with the Python traceback when evaluation raises.
    public static func evaluate(_ expression: String, in namespace: PythonObject? = nil) throws -> PythonObject {
        try withGIL {
            let globals = try namespace ?? newNamespace()
            return try PythonObject.owning(PyRun_String(expression, qb_eval_input(), globals.pointer, globals.pointer))
        }
    }

    /// Imports a module, e.g. `numpy` or `os.path`.
    ///
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` when it is not
    ///   installed, or ``PythonBridgeError/exception(type:message:traceback:)`` when importing
    ///   it raises.
    public static func `import`(_ module: String) throws -> PythonObject {
        try withGIL { try PythonObject.owning(PyImport_ImportModule(module)) }
    }

    /// A fresh globals dict with `__builtins__`; the caller holds the GIL.
    static func newNamespace() throws -> PythonObject {
        let namespace = try PythonObject.owning(PyDict_New())
        guard let builtins = PyEval_GetBuiltins(),
            PyDict_SetItemString(namespace.pointer, "__builtins__", builtins) == 0
        else { throw PythonObject.fetchError() }
        return namespace
    }

    /// Configures and starts CPython, adds the venv, then releases the GIL.
    ///
    /// Called once, under `state`'s lock; it must not call ``withGIL(_:)`` (that would lock again).
    private static func initializeInterpreter() throws -> StartupReport {
        guard Py_IsInitialized() == 0 else {
            return StartupReport(addedSitePackages: nil, warnings: ["Python was already started by someone else in this process"])
        }
        if let switchedOff = ProcessInfo.processInfo.environment["QUANTBENCH_DISABLE_PYTHON"], !switchedOff.isEmpty {
            throw PythonBridgeError.interpreterUnavailable(reason: "switched off by QUANTBENCH_DISABLE_PYTHON=\(switchedOff); unset it to use Python")
        }
        guard FileManager.default.fileExists(atPath: executable) else {
            throw PythonBridgeError.interpreterUnavailable(reason: "\(executable) does not exist")
        }
        var config = PyConfig()
        PyConfig_InitPythonConfig(&config)
        defer { PyConfig_Clear(&config) }
        config.install_signal_handlers = 0  // Ctrl-C stays Swift's
        config.parse_argv = 0
        config.use_environment = 0  // PYTHONHOME/PYTHONPATH may name pyenv's Python
        let status = withUnsafeMutablePointer(to: &config) { config -> PyStatus in
            guard let field = config.pointer(to: \.executable) else { return PyStatus_Error("no executable field") }
            let set = PyConfig_SetBytesString(config, field, executable)
            guard PyStatus_Exception(set) == 0 else { return set }
            return Py_InitializeFromConfig(config)
        }
        if PyStatus_Exception(status) != 0 {
            let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
            throw PythonBridgeError.interpreterUnavailable(reason: "Py_InitializeFromConfig failed: \(message)")
        }
        let report = addVirtualEnvironment()
        _ = PyEval_SaveThread()
        return report
    }

    /// The `home` line of the venv's `pyvenv.cfg` (the directory of the Python that made it).
    private static func venvHome(_ venv: String) -> String? {
        guard let text = try? String(contentsOfFile: "\(venv)/pyvenv.cfg", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "home" { return parts[1] }
        }
        return nil
    }

    /// Puts the venv's site-packages at the front of `sys.path`; the caller holds the GIL.
    private static func addVirtualEnvironment() -> StartupReport {
        let environment = ProcessInfo.processInfo.environment
        guard let venv = environment["QUANTBENCH_PYTHON_VENV"] ?? environment["VIRTUAL_ENV"], !venv.isEmpty else {
            return StartupReport(addedSitePackages: nil, warnings: [])
        }
        let version = "\(PY_MAJOR_VERSION).\(PY_MINOR_VERSION)"
        let sitePackages = "\(venv)/lib/python\(version)/site-packages"
        guard FileManager.default.fileExists(atPath: sitePackages) else {
            let warning = "virtual environment \(venv) has no \(sitePackages); make one for this Python with "
                + "'/usr/bin/python3 -m venv \(venv)' (a venv of another Python cannot be used)"
            return StartupReport(addedSitePackages: nil, warnings: [warning])
        }
        if let home = venvHome(venv), home != "/usr/bin" {
            let warning = "virtual environment \(venv) was made by the Python in \(home), not /usr/bin/python3; its "
                + "compiled packages may not load here, so it was not added. Make one with '/usr/bin/python3 -m venv DIR'"
            return StartupReport(addedSitePackages: nil, warnings: [warning])
        }
        let escaped = sitePackages.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        let code = """
            import site, sys
            _before = list(sys.path)
            site.addsitedir('\(escaped)')
            sys.path[:] = [p for p in sys.path if p not in _before] + _before
            """
        do {
            let namespace = try newNamespace()
            _ = try PythonObject.owning(PyRun_String(code, qb_file_input(), namespace.pointer, namespace.pointer))
            return StartupReport(addedSitePackages: sitePackages, warnings: [])
        } catch {
            return StartupReport(addedSitePackages: nil, warnings: ["adding \(sitePackages) failed: \(error)"])
        }
    }
}
