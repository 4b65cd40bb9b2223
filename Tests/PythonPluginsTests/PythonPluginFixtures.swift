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

/// Whether the embedded Python imports numpy. CI installs Debian's python3-numpy, so these tests
/// run there; without it they are reported as skipped with the condition's comment.
let numpyAvailable = (try? Python.import("numpy")) != nil

/// The example plug-in file, found from this file so tests do not depend on the current directory.
let examplePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Plugins/PythonPlugins/examples/percentile.py").path

/// What ``PythonCalibrator`` asks the observer for.
let pythonRequirements: StatisticsRequest = [.range, .absHistogram, .signedHistogram, .moments, .batchRanges]

/// Statistics of one tensor taken as one batch, as the observer collects them.
func observe(_ values: [Float], request: StatisticsRequest) -> GranuleStatistics {
    CalibrationHelpers.observe(values, request: request)
}

/// Runs the calibrator named `calibrator` from the built-in registry on `statistics` for `format`.
func calibrate(_ calibrator: String, _ format: String, on statistics: GranuleStatistics) throws -> ClipRange {
    try CalibrationHelpers.calibrate(calibrator, format, on: statistics, registry: .builtIn)
}

/// The number of representable floats between `a` and `b` (0 when equal).
func ulpDistance(_ a: Float, _ b: Float) -> UInt32 {
    func ordered(_ x: Float) -> Int64 {
        let bits = Int64(x.bitPattern)
        return x.sign == .minus ? -(bits & 0x7FFF_FFFF) : bits
    }
    return UInt32(clamping: abs(ordered(a) - ordered(b)))
}

/// A `.py` file with `source` in a fresh temporary directory; returns its path.
func temporaryPlugin(named name: String, _ source: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qb-pyplug-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("\(name).py")
    try source.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}

/// Sample tensors: Gaussian, Laplace-like heavy tails, one-sided, shifted, constant, with outliers.
func sampleTensors() -> [(name: String, values: [Float])] {
    var rng = SplitMix64(seed: 7)
    func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    let gauss = (0..<20_000).map { _ in Float((0..<12).reduce(0.0) { s, _ in s + uniform() } - 6) }
    let laplace = (0..<20_000).map { _ -> Float in
        let u = uniform() - 0.5
        return Float(-0.3 * (u < 0 ? -1 : 1) * log(1 - 2 * abs(u) + 1e-300))
    }
    var outliers = gauss
    for k in 0..<10 { outliers[k * 1000] = k % 2 == 0 ? 40 : -35 }
    return [
        ("gaussian", gauss), ("laplace", laplace), ("relu", gauss.map { max($0, 0) }),
        ("shifted", gauss.map { 3 + 0.01 * $0 }), ("outliers", outliers),
        ("constant", [Float](repeating: 0.5, count: 300)), ("negative-constant", [Float](repeating: -2, count: 10)),
    ]
}
