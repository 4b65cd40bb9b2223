import CPython
import CPythonLoader
import Foundation
import Synchronization

/// The embedded CPython interpreter: started once per process, lazily, on first use.
///
/// The binary does not link libpython: start-up loads it (``library``), so every command that
/// does not need Python works on a machine without it.
///
/// The interpreter is Debian's `/usr/bin/python3` (the `libpython3.11` the package links), not
/// whichever `python3` comes first on `PATH`: ``start()`` sets `PyConfig.executable` so the
/// matching standard library loads, and ignores `PYTHONPATH`/`PYTHONHOME`. After start-up the
/// site-packages of the virtual environment named by `QUANTBENCH_PYTHON_VENV` (or, when that is
/// unset, `VIRTUAL_ENV`) go to the front of `sys.path`, so users can bring their own numpy, torch
/// or onnx. All Python code runs on one dedicated thread (see `PythonThread` for why): every call
/// goes through ``withGIL(_:)``, which hands the work to that thread and waits, so any Swift task
/// or thread may call in. Setting `QUANTBENCH_DISABLE_PYTHON=1` makes start-up fail as if Python
/// were missing (to check that the rest works without it).
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
                    try loadLibrary()
                    let report = try thread.perform { try initializeInterpreter() }
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

    /// Runs `body` on the Python thread holding the GIL, starting the interpreter first if needed.
    ///
    /// The caller waits for `body`. Re-entrant: a nested call (from inside a body) runs directly.
    /// `body` is synchronous, so the GIL is never held across an `await`; between calls the GIL
    /// is free, so threads that Python code starts itself keep running.
    ///
    /// - Throws: ``PythonBridgeError/interpreterUnavailable(reason:)`` or whatever `body` throws.
    public static func withGIL<T>(_ body: () throws -> T) throws -> T {
        try start()
        return try thread.perform {
            let gil = qb_PyGILState_Ensure()
            defer { qb_PyGILState_Release(gil) }
            return try body()
        }
    }

    /// The thread all Python code runs on, started on first use (after the checks in ``start()``).
    static let thread = PythonThread()

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
            let result = qb_PyRun_String(code, qb_file_input(), namespace.pointer, namespace.pointer)
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
            return try PythonObject.owning(qb_PyRun_String(expression, qb_eval_input(), globals.pointer, globals.pointer))
        }
    }

    /// Imports a module, e.g. `numpy` or `os.path`.
    ///
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` when it is not
    ///   installed, or ``PythonBridgeError/exception(type:message:traceback:)`` when importing
    ///   it raises.
    public static func `import`(_ module: String) throws -> PythonObject {
        try withGIL { try PythonObject.owning(qb_PyImport_ImportModule(module)) }
    }

    /// A fresh globals dict with `__builtins__`; the caller holds the GIL.
    static func newNamespace() throws -> PythonObject {
        let namespace = try PythonObject.owning(qb_PyDict_New())
        guard let builtins = qb_PyEval_GetBuiltins(),
            qb_PyDict_SetItemString(namespace.pointer, "__builtins__", builtins) == 0
        else { throw PythonObject.fetchError() }
        return namespace
    }
}
