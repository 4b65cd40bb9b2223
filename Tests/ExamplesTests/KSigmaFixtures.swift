import Foundation
import QuantBench
import QuantCore
import QuantTestKit

/// The numpy oracle of `Fixtures/generate_ksigma.py`: fixed samples with numpy's mean, σ and
/// the expected k-sigma ranges, read as plain JSON.
struct KSigmaFixture: Sendable {
    struct Expected: Sendable {
        var affine: (lower: Double, upper: Double)
        var symmetric: Double
    }

    struct Sample: Sendable {
        var name: String
        var values: [Float]
        var mean: Double
        var std: Double
        /// Expected ranges by k.
        var ranges: [Double: Expected]
    }

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ksigma.json")

    /// Every sample in the fixture, in name order.
    static func samples() throws -> [Sample] {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let samples = root["samples"] as? [String: [String: Any]]
        else { throw CocoaError(.fileReadCorruptFile) }
        return try samples.keys.sorted().map { name in try sample(name, samples[name]!) }
    }

    private static func sample(_ name: String, _ node: [String: Any]) throws -> Sample {
        func number(_ any: Any?) throws -> Double {
            guard let n = any as? NSNumber else { throw CocoaError(.fileReadCorruptFile) }
            return n.doubleValue
        }
        guard let values = node["values"] as? [NSNumber], let ranges = node["ranges"] as? [String: [String: Any]] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var expected: [Double: Expected] = [:]
        for (k, entry) in ranges {
            guard let key = Double(k), let affine = entry["affine"] as? [NSNumber], affine.count == 2 else {
                throw CocoaError(.fileReadCorruptFile)
            }
            expected[key] = Expected(
                affine: (affine[0].doubleValue, affine[1].doubleValue), symmetric: try number(entry["symmetric"]))
        }
        // Every value is an exact float32 written as the float64 it widens to.
        return Sample(
            name: name, values: values.map { Float($0.doubleValue) }, mean: try number(node["mean"]),
            std: try number(node["std"]), ranges: expected)
    }
}

/// Statistics of one tensor taken as one batch, as the observer collects them.
func observe(_ values: [Float], request: StatisticsRequest = [.range, .moments]) -> GranuleStatistics {
    CalibrationHelpers.observe(values, request: request)
}

/// Runs the calibrator named `calibrator` from the built-in registry on `statistics` for `format`.
func calibrate(_ calibrator: String, _ format: String, on statistics: GranuleStatistics) throws -> ClipRange {
    try CalibrationHelpers.calibrate(calibrator, format, on: statistics, registry: .builtIn)
}

/// Whether `actual` is within `relative` of `expected` (absolutely, for an expected 0).
func isClose(_ actual: Float, _ expected: Double, relative: Double = 1e-6) -> Bool {
    abs(Double(actual) - expected) <= relative * max(abs(expected), 1e-30)
}

/// The number of representable floats between `a` and `b` (0 when equal).
func ulpDistance(_ a: Float, _ b: Float) -> UInt32 {
    func ordered(_ x: Float) -> Int64 {
        let bits = Int64(x.bitPattern)
        return x.sign == .minus ? -(bits & 0x7FFF_FFFF) : bits
    }
    return UInt32(clamping: abs(ordered(a) - ordered(b)))
}

/// The repository's root, found from this file so tests do not depend on the current directory.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
