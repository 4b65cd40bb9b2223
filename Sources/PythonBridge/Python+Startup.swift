import CPython
import CPythonLoader
import Foundation

extension Python {
    /// The libpython to load: `QUANTBENCH_PYTHON_LIBRARY` when set (a path or a file name),
    /// otherwise the one whose headers the bridge was built with, e.g. `libpython3.11.so.1.0`.
    public static var library: String {
        let override = ProcessInfo.processInfo.environment["QUANTBENCH_PYTHON_LIBRARY"] ?? ""
        return override.isEmpty ? String(cString: qb_python_default_library()) : override
    }

    /// Loads libpython, unless Python is switched off or missing (before any thread starts).
    ///
    /// Called once, under `state`'s lock.
    static func loadLibrary() throws {
        if let switchedOff = ProcessInfo.processInfo.environment["QUANTBENCH_DISABLE_PYTHON"], !switchedOff.isEmpty {
            throw PythonBridgeError.interpreterUnavailable(reason: "switched off by QUANTBENCH_DISABLE_PYTHON=\(switchedOff); unset it to use Python")
        }
        guard FileManager.default.fileExists(atPath: executable) else {
            throw PythonBridgeError.interpreterUnavailable(reason: "\(executable) does not exist")
        }
        var message = [CChar](repeating: 0, count: 1024)
        guard qb_python_load(library, &message, message.count) == 1 else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PythonBridgeError.interpreterUnavailable(reason: "cannot load \(library): \(reason)")
        }
    }

    /// Configures and starts CPython, adds the venv, then releases the GIL.
    ///
    /// Called once, on the Python thread, under `state`'s lock; it must not call ``withGIL(_:)``
    /// (that would lock again).
    static func initializeInterpreter() throws -> StartupReport {
        guard qb_Py_IsInitialized() == 0 else {
            return StartupReport(addedSitePackages: nil, warnings: ["Python was already started by someone else in this process"])
        }
        var config = PyConfig()
        qb_PyConfig_InitPythonConfig(&config)
        defer { qb_PyConfig_Clear(&config) }
        config.install_signal_handlers = 0  // Ctrl-C stays Swift's
        config.parse_argv = 0
        config.use_environment = 0  // PYTHONHOME/PYTHONPATH may name pyenv's Python
        let status = withUnsafeMutablePointer(to: &config) { config -> PyStatus in
            guard let field = config.pointer(to: \.executable) else { return qb_PyStatus_Error("no executable field") }
            let set = qb_PyConfig_SetBytesString(config, field, executable)
            guard qb_PyStatus_Exception(set) == 0 else { return set }
            return qb_Py_InitializeFromConfig(config)
        }
        if qb_PyStatus_Exception(status) != 0 {
            let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
            throw PythonBridgeError.interpreterUnavailable(reason: "Py_InitializeFromConfig failed: \(message)")
        }
        let report = addVirtualEnvironment()
        _ = qb_PyEval_SaveThread()
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
            _ = try PythonObject.owning(qb_PyRun_String(code, qb_file_input(), namespace.pointer, namespace.pointer))
            return StartupReport(addedSitePackages: sitePackages, warnings: [])
        } catch {
            return StartupReport(addedSitePackages: nil, warnings: ["adding \(sitePackages) failed: \(error)"])
        }
    }
}
