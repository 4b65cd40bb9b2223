/// What the embedded Python is and which optional packages it imports, for `quantbench doctor`.
///
/// Building a report never throws: an interpreter that cannot start or a package that fails to
/// import is recorded with the reason and the command that fixes it.
public struct PythonEnvironmentReport: Codable, Sendable, Equatable {
    /// One optional package: its version when it imports, otherwise why not and how to install it.
    public struct Package: Codable, Sendable, Equatable {
        /// The import name, e.g. `ml_dtypes`.
        public var name: String
        /// `__version__` when the package imports.
        public var version: String?
        /// Why it does not import ("not installed", or the exception import raised).
        public var problem: String?
        /// The command that installs it, when it does not import.
        public var installCommand: String?
    }

    /// The optional packages the bridge and its loaders use.
    public static let optionalPackages = ["numpy", "matplotlib", "torch", "onnx", "safetensors", "ml_dtypes"]

    /// Whether the interpreter started.
    public var available: Bool
    /// Why the interpreter is unavailable, when it is.
    public var unavailableReason: String?
    /// `sys.executable` (always `/usr/bin/python3`).
    public var executable: String?
    /// `sys.version`.
    public var version: String?
    /// `sys.prefix`.
    public var prefix: String?
    /// `sys.path`, in search order.
    public var sysPath: [String]
    /// The venv site-packages added at start-up, if any.
    public var virtualEnvironment: String?
    /// Start-up problems that did not stop the interpreter.
    public var warnings: [String]
    /// One entry per probed package, in the order asked.
    public var packages: [Package]

    /// Starts the interpreter (if needed) and inspects it.
    ///
    /// - Parameter packages: The packages to try importing.
    /// - Returns: The report; an unavailable interpreter gives `available == false` and the reason.
    public static func current(packages: [String] = optionalPackages) -> PythonEnvironmentReport {
        var report = PythonEnvironmentReport(
            available: false, unavailableReason: nil, executable: nil, version: nil, prefix: nil, sysPath: [],
            virtualEnvironment: nil, warnings: [], packages: [])
        do {
            let startup = try Python.start()
            report.virtualEnvironment = startup.addedSitePackages
            report.warnings = startup.warnings
            let sys = try Python.import("sys")
            report.executable = try sys.attribute("executable").asString()
            report.version = try sys.attribute("version").asString()
            report.prefix = try sys.attribute("prefix").asString()
            report.sysPath = try sys.attribute("path").asArray().map { try $0.asString() }
            report.available = true
        } catch {
            report.unavailableReason = String(describing: error)
            return report
        }
        report.packages = packages.map(probe)
        return report
    }

    /// Imports one package and reads its `__version__`.
    private static func probe(_ name: String) -> Package {
        do {
            let module = try Python.import(name)
            let version = (try? module.attribute("__version__").asString()) ?? "unknown version"
            return Package(name: name, version: version, problem: nil, installCommand: nil)
        } catch let PythonBridgeError.missingPackage(missing, command) {
            let problem = missing == name ? "not installed" : "needs the missing package '\(missing)'"
            return Package(name: name, version: nil, problem: problem, installCommand: command)
        } catch let PythonBridgeError.exception(type, message, _) {
            return Package(
                name: name, version: nil, problem: "import raised \(type): \(message)",
                installCommand: PythonBridgeError.installCommand(forModule: name))
        } catch {
            return Package(
                name: name, version: nil, problem: String(describing: error),
                installCommand: PythonBridgeError.installCommand(forModule: name))
        }
    }
}
