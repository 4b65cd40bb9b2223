import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantTestKit
import Testing

extension Tag {
    /// Tests that need the embedded Python with numpy (CI installs python3-numpy).
    @Tag static var python: Self
}

/// Whether the embedded Python imports numpy (the bridge builds the stats dict with it).
let numpyAvailable = (try? Python.import("numpy")) != nil

/// `Plugins/Examples/python/ksigma.py`, found from this file.
let ksigmaPython = repositoryRoot.appendingPathComponent("Plugins/Examples/python/ksigma.py").path

/// `Plugins/Examples/python/ksigma.py`, the Python twin of `ksigma`, used through `python(file:function)`.
@Suite(
    "ksigma in Python", .tags(.python),
    .enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
struct KSigmaPythonTests {
    static let formats = ["int8", "int8(symmetric=false)", "int4", "uint8"]
    /// Each Python function and the Swift name it spells.
    static let pairs = [("ksigma", "ksigma"), ("ksigma3", "ksigma(3)")]

    /// Every test sample: the numpy fixture's and QuantTestKit's.
    static func samples() throws -> [(name: String, values: [Float])] {
        try KSigmaFixture.samples().map { ($0.name, $0.values) } + Conformance.samples()
    }

    @Test("Python and Swift give the same range on the same statistics", arguments: formats)
    func pythonMatchesSwift(format: String) throws {
        let registry = PluginRegistry.builtIn
        for (function, swiftName) in Self.pairs {
            let pythonName = "python(\(ksigmaPython):\(function))"
            let request = try registry.calibrator(pythonName).requirements.union(registry.calibrator(swiftName).requirements)
            for sample in try Self.samples() {
                let statistics = observe(sample.values, request: request)
                let swift = try calibrate(swiftName, format, on: statistics)
                let python = try calibrate(pythonName, format, on: statistics)
                #expect(ulpDistance(python.lower, swift.lower) <= 1, "\(function), \(sample.name), \(format): \(python) vs \(swift)")
                #expect(ulpDistance(python.upper, swift.upper) <= 1, "\(function), \(sample.name), \(format): \(python) vs \(swift)")
            }
        }
    }

    @Test("ksigma3 gives numpy's k = 3 ranges")
    func pythonMatchesNumpy() throws {
        let name = "python(\(ksigmaPython):ksigma3)"
        for sample in try KSigmaFixture.samples() {
            let statistics = observe(sample.values, request: try PluginRegistry.builtIn.calibrator(name).requirements)
            let expected = try #require(sample.ranges[3])
            let affine = try calibrate(name, "int8(symmetric=false)", on: statistics)
            #expect(isClose(affine.lower, expected.affine.lower) && isClose(affine.upper, expected.affine.upper), "\(sample.name): \(affine)")
            let symmetric = try calibrate(name, "int8", on: statistics)
            #expect(isClose(symmetric.upper, expected.symmetric) && symmetric.lower == -symmetric.upper, "\(sample.name): \(symmetric)")
        }
    }

    @Test("passes QuantTestKit's conformance suite", arguments: ["ksigma", "ksigma3"])
    func conformance(function: String) throws {
        let registry = PluginRegistry.builtIn
        let calibrator = try registry.calibrator("python(\(ksigmaPython):\(function))")
        let formats = try Self.formats.map { try registry.format($0) }
        let failures = Conformance.check(calibrator: calibrator, formats: formats)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test("a granule with no finite value is an error naming the function, as in Swift")
    func noFiniteValues() throws {
        let statistics = observe([.nan, .infinity], request: [.range, .absHistogram, .signedHistogram, .moments, .batchRanges])
        do {
            _ = try calibrate("python(\(ksigmaPython):ksigma3)", "int8", on: statistics)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("ksigma.py:ksigma3") && "\(error)".contains("no finite values"), "\(error)")
        }
    }
}
