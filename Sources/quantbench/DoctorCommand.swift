import ArgumentParser
import PythonBridge

/// `quantbench doctor`: which Python the bridge runs and which optional packages it imports.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the embedded Python, its sys.path, and which optional packages import.",
        discussion: """
            The bridge embeds Debian's /usr/bin/python3. To bring your own packages, make a venv with \
            '/usr/bin/python3 -m venv DIR', install into it, and set QUANTBENCH_PYTHON_VENV=DIR \
            (VIRTUAL_ENV is used when that is unset). Everything that does not need Python works \
            without it; what needs a missing package says which and how to install it.
            """)

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let report = PythonEnvironmentReport.current()
            if json { try printJSON(report) } else { print(Self.render(report)) }
        }
    }

    /// The report as text: the interpreter, sys.path, then one line per package.
    static func render(_ report: PythonEnvironmentReport) -> String {
        guard report.available else {
            return "Python: unavailable\n  \(report.unavailableReason ?? "unknown reason")\n"
                + "Everything that does not need Python still works."
        }
        var lines = [
            "Python: \(report.executable ?? "?") (\(report.version?.split(separator: "\n").joined(separator: " ") ?? "?"))",
            "prefix: \(report.prefix ?? "?")",
            "virtual environment: \(report.virtualEnvironment ?? "none (set QUANTBENCH_PYTHON_VENV to add one)")",
        ]
        lines += report.warnings.map { "warning: \($0)" }
        lines.append("sys.path:")
        lines += report.sysPath.map { "  \($0.isEmpty ? "''" : $0)" }
        var table = TextTable(header: ["package", "status", "install"])
        for package in report.packages {
            table.append([package.name, package.version ?? package.problem ?? "?", package.installCommand ?? ""])
        }
        return (lines + ["", table.render()]).joined(separator: "\n")
    }
}
