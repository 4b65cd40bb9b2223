import Foundation
import PythonBridge
import PythonPlugins
import QuantBench
import QuantCore
import Testing

/// The error `body` throws, as text (`nil` when it does not throw).
func errorText(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return String(describing: error)
    }
}

@Suite("Python calibrator references, without Python")
struct PythonReferenceTests {
    @Test("a reference without ':' is rejected when the calibrator is made", arguments: ["nocolon", "m:", "m:1f", ":f"])
    func malformed(reference: String) {
        let text = errorText { try PluginRegistry.builtIn.calibrator("python(\(reference))") }
        #expect(text?.contains("not a Python function reference") == true, "\(text ?? "no error")")
    }

    @Test("python without a function is an error that says what to write")
    func functionIsRequired() {
        let text = errorText { try PluginRegistry.builtIn.calibrator("python") }
        #expect(text?.contains("'function' is required") == true, "\(text ?? "no error")")
    }

    @Test("a .py path is resolved against the current directory; a dotted name stays a module name")
    func parsing() throws {
        let file = try PythonFunctionReference(parsing: "examples/percentile.py:clip")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(file.module == .file(URL(fileURLWithPath: cwd).appendingPathComponent("examples/percentile.py").standardizedFileURL.path))
        #expect(file.function == "clip")
        let named = try PythonFunctionReference(parsing: "my_package.calibrators:clip_range")
        #expect(named.module == .named("my_package.calibrators"))
        #expect(named.function == "clip_range")
    }
}

@Suite(
    "Python calibrator errors", .tags(.python),
    .enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
struct PythonPluginErrorTests {
    let statistics = observe([-1, 0.25, 2, 3], request: pythonRequirements)

    @Test("a Python exception names the function, the exception type, its message and the traceback")
    func exception() throws {
        let path = try temporaryPlugin(named: "raising", """
            def explode(stats):
                raise ValueError("histogram looks wrong: 42")
            """)
        let text = try #require(errorText { try calibrate("python(\(path):explode)", "int8", on: statistics) })
        #expect(text.contains("\(path):explode"))
        #expect(text.contains("ValueError"))
        #expect(text.contains("histogram looks wrong: 42"))
        #expect(text.contains("Traceback (most recent call last)"))
        #expect(text.contains("line 2, in explode"))
    }

    @Test("a module that is not on sys.path is named")
    func missingModule() throws {
        let text = try #require(errorText { try calibrate("python(no_such_module_qb.sub:clip)", "int8", on: statistics) })
        #expect(text.contains("no module named 'no_such_module_qb.sub'"), "\(text)")
    }

    @Test("a .py file that does not exist is named with its resolved path")
    func missingFile() throws {
        let text = try #require(errorText { try calibrate("python(/nonexistent/qb/plugin.py:clip)", "int8", on: statistics) })
        #expect(text.contains("/nonexistent/qb/plugin.py does not exist"), "\(text)")
    }

    @Test("a function the module does not define is named, with the ones it does")
    func missingFunction() throws {
        let text = try #require(errorText { try calibrate("python(\(examplePath):nope)", "int8", on: statistics) })
        #expect(text.contains("\(examplePath):nope"))
        #expect(text.contains("has no function of that name (it defines: clip)"), "\(text)")
    }

    @Test("a package the plug-in imports that is missing is named with its install command")
    func missingPackage() throws {
        let path = try temporaryPlugin(named: "needs_package", "import quantbench_missing_package_xyz\n\ndef clip(stats):\n    return 1.0\n")
        let text = try #require(errorText { try calibrate("python(\(path):clip)", "int8", on: statistics) })
        #expect(text.contains("'quantbench_missing_package_xyz'"), "\(text)")
        #expect(text.contains("pip install quantbench_missing_package_xyz"), "\(text)")
    }

    @Test("an error while importing the module names the module and the traceback")
    func importError() throws {
        let path = try temporaryPlugin(named: "broken", "x = 1 / 0\n\ndef clip(stats):\n    return 1.0\n")
        let text = try #require(errorText { try calibrate("python(\(path):clip)", "int8", on: statistics) })
        #expect(text.contains("loading module '\(path)' failed: ZeroDivisionError"), "\(text)")
    }

    static let garbage: [(function: String, body: String, shown: String)] = [
        ("text", "return 'wide'", "'wide'"), ("nan", "return float('nan')", "nan"), ("reversed", "return (3, 1)", "(3, 1)"),
        ("nothing", "return None", "None"), ("triple", "return (0, 1, 2)", "(0, 1, 2)"), ("negative", "return -1.0", "-1.0"),
        ("infinite", "return (0, float('inf'))", "(0, inf)"), ("strings", "return ('0', '1')", "('0', '1')"),
    ]

    @Test("a result that is not a range names the function and what it returned", arguments: 0..<garbage.count)
    func badResult(index: Int) throws {
        let bad = Self.garbage[index]
        let path = try temporaryPlugin(named: "garbage", "def \(bad.function)(stats):\n    \(bad.body)\n")
        let text = try #require(errorText { try calibrate("python(\(path):\(bad.function))", "int8(symmetric=false)", on: statistics) })
        #expect(text.contains("\(path):\(bad.function) returned \(bad.shown), but"), "\(text)")
    }
}
