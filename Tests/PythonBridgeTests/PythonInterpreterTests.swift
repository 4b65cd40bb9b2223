import Foundation
import PythonBridge
import Synchronization
import Testing

@Suite("Embedded interpreter")
struct PythonInterpreterTests {
    @Test("runs Debian's /usr/bin/python3, not the Python first on PATH")
    func systemPython() throws {
        let sys = try Python.import("sys")
        #expect(try sys.attribute("executable").asString() == "/usr/bin/python3")
        #expect(try sys.attribute("version_info").attribute("major").asInt() == 3)
        #expect(try sys.attribute("version_info").attribute("minor").asInt() == 11)
        let path = try sys.attribute("path").asArray().map { try $0.asString() }
        #expect(path.contains("/usr/lib/python3.11"))
        #expect(!path.contains { $0.contains(".pyenv") })
    }

    @Test("Swift values convert to Python and back")
    func conversions() throws {
        #expect(try PythonObject("héllo ✓").asString() == "héllo ✓")
        #expect(try PythonObject(-42).asInt() == -42)
        #expect(try PythonObject(2.5).asDouble() == 2.5)
        #expect(try PythonObject(true).asBool())
        #expect(try PythonObject.none.isNone)
        let list = try [1, 2, 3].pythonObject().asArray().map { try $0.asInt() }
        #expect(list == [1, 2, 3])
        #expect(throws: PythonBridgeError.typeMismatch(expected: "str", actual: "int")) { try PythonObject(1).asString() }
    }

    @Test("calls with positional and keyword arguments")
    func calls() throws {
        let builtins = try Python.import("builtins")
        let sorted = try builtins.attribute("sorted").call([[3, 1, 2]], keywords: ["reverse": true])
        #expect(try sorted.asArray().map { try $0.asInt() } == [3, 2, 1])
        let joined = try PythonObject(", ").callMethod("join", [["a", "b"]])
        #expect(try joined.asString() == "a, b")
        let value = try Python.run("x = 6 * 7").item("x")
        #expect(try value.asInt() == 42)
    }

    @Test("a Python exception carries its type, message and traceback")
    func exception() throws {
        let code = """
            def inner():
                raise ValueError("calibration range is empty")
            def outer():
                inner()
            outer()
            """
        do {
            try Python.run(code)
            Issue.record("expected a Python exception")
        } catch let PythonBridgeError.exception(type, message, traceback) {
            #expect(type == "ValueError")
            #expect(message == "calibration range is empty")
            #expect(traceback.contains("Traceback (most recent call last)"))
            #expect(traceback.contains("in inner"))
            #expect(traceback.contains("in outer"))
            #expect(traceback.contains("ValueError: calibration range is empty"))
        }
    }

    @Test("a missing module names itself and the install command")
    func missingPackage() throws {
        #expect(throws: PythonBridgeError.self) { try Python.import("quantbench_no_such_package") }
        do {
            _ = try Python.import("quantbench_no_such_package")
        } catch let PythonBridgeError.missingPackage(name, installCommand) {
            #expect(name == "quantbench_no_such_package")
            #expect(installCommand.contains("pip install quantbench_no_such_package"))
        }
        let numpyHint = PythonBridgeError.missingPackage(name: "numpy", installCommand: PythonBridgeError.installCommand(forModule: "numpy"))
        #expect(numpyHint.description.contains("apt-get install python3-numpy"))
        #expect(numpyHint.description.contains("QUANTBENCH_PYTHON_VENV"))
    }

    @Test("every error message says what to do")
    func messages() {
        let unavailable = PythonBridgeError.interpreterUnavailable(reason: "no libpython").description
        #expect(unavailable.contains("apt-get install python3 libpython3.11"))
        let exception = PythonBridgeError.exception(type: "KeyError", message: "'w'", traceback: "Traceback ...").description
        #expect(exception.contains("KeyError: 'w'") && exception.contains("Traceback ..."))
        #expect(PythonBridgeError.installCommand(forModule: "ml_dtypes").contains("pip install ml-dtypes"))
        #expect(PythonBridgeError.installCommand(forModule: "torch.nn").hasPrefix("apt-get install python3-torch"))
    }

    @Test("8 concurrent tasks × 50 calls neither crash nor deadlock")
    func concurrentCalls() async throws {
        let finished = try await withTimeout(seconds: 60) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var total = 0
                        for call in 0..<50 {
                            let math = try Python.import("math")
                            let value = try math.attribute("factorial").call([task + call % 5])
                            total += try value.asInt() > 0 ? 1 : 0
                            _ = try Python.run("y = sum(range(\(call)))").item("y")
                        }
                        return total
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(finished == 400)
    }
}

/// Runs `work` in a detached task and fails if it has not finished after `seconds`.
///
/// A deadlocked task cannot be cancelled, so the caller stops waiting instead of hanging the suite.
func withTimeout<T: Sendable>(seconds: Double, _ work: @Sendable @escaping () async throws -> T) async throws -> T {
    let outcome = Mutex<Bool>(false)
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let claim: @Sendable () -> Bool = { outcome.withLock { done in defer { done = true }; return !done } }
        let timer = Task.detached {
            try? await Task.sleep(for: .seconds(seconds))
            if claim() { continuation.resume(throwing: TimeoutError(seconds: seconds)) }
        }
        Task.detached {
            do {
                let value = try await work()
                timer.cancel()
                if claim() { continuation.resume(returning: value) }
            } catch {
                timer.cancel()
                if claim() { continuation.resume(throwing: error) }
            }
        }
    }
}

struct TimeoutError: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "did not finish within \(seconds) s (deadlock?)" }
}
