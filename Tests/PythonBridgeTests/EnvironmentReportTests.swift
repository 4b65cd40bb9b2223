import PythonBridge
import Testing

@Suite("Doctor report and copy benchmark")
struct EnvironmentReportTests {
    @Test("reports the interpreter and says how to install each missing package")
    func report() throws {
        let report = PythonEnvironmentReport.current(packages: ["json", "quantbench_no_such_package"])
        #expect(report.available)
        #expect(report.executable == "/usr/bin/python3")
        #expect(report.version?.hasPrefix("3.11") == true)
        #expect(report.sysPath.contains("/usr/lib/python3.11"))
        let json = try #require(report.packages.first)
        #expect(json.name == "json" && json.problem == nil && json.version != nil)
        let missing = try #require(report.packages.last)
        #expect(missing.version == nil && missing.problem == "not installed")
        #expect(missing.installCommand?.contains("pip install quantbench_no_such_package") == true)
    }

    @Test("numpy → Tensor copy is timed against memcpy", .tags(.python),
        .enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
    func benchmark() throws {
        let measurement = try PythonBridgeBenchmark.numpyToTensor(count: 1 << 16, runs: 2)
        #expect(measurement.bytes == 1 << 18)
        #expect(measurement.numpySeconds > 0 && measurement.memcpySeconds > 0 && measurement.stridedSeconds > 0)
    }
}
