import Foundation
import QuantBench
import QuantCore
import QuantModels

/// The oracles made by `Fixtures/calibration/generate.py` (torch 2.15, ONNX Runtime 1.32,
/// ModelOpt 0.47 = pytorch_quantization's calibration code, numpy), read as plain JSON.
struct CalibrationFixtures: @unchecked Sendable {  // immutable JSON tree, read-only after init
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calibration")
    static let shared: CalibrationFixtures? = try? CalibrationFixtures()

    let root: [String: Any]

    init() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("expected.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        self.root = root
    }

    static func load() throws -> CalibrationFixtures {
        guard let shared else { return try CalibrationFixtures() }
        return shared
    }

    /// The value at a path of keys (keys may contain dots, so no dotted paths).
    func value(_ path: [String]) -> Any? {
        var node: Any? = root
        for key in path { node = (node as? [String: Any])?[key] }
        return node
    }

    func number(_ path: String...) throws -> Double {
        guard let n = value(path) as? NSNumber else { throw FixtureError.missing(path) }
        return n.doubleValue
    }

    func numbers(_ path: String...) throws -> [Double] {
        guard let list = value(path) as? [Any] else { throw FixtureError.missing(path) }
        return list.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }

    /// An input tensor, read with our own .npy reader (tested on its own in QuantModelsTests).
    func tensor(_ name: String) throws -> Tensor {
        let source = try TensorFiles.open(path: Self.directory.appendingPathComponent("\(name).npy").path)
        return try source.load(source.tensors[0].name)
    }

    enum FixtureError: Error { case missing([String]) }
}

/// Statistics of one tensor taken as one batch, as the observer collects them.
func observe(_ values: [Float], request: StatisticsRequest = .all) -> GranuleStatistics {
    var statistics = GranuleStatistics(request: request)
    values.withUnsafeBufferPointer { statistics.observe($0.baseAddress!, partition: .whole(count: $0.count), granule: 0) }
    return statistics
}

/// Runs a calibrator on one tensor for a format, both named as in experiment files.
func calibrate(_ calibrator: String, _ format: String, on statistics: GranuleStatistics) throws -> (range: ClipRange, params: QuantParams) {
    let registry = PluginRegistry.builtIn
    let f = try registry.format(format)
    let context = ScaleContext(tensorAbsMax: statistics.absMax)
    let result = try registry.calibrator(calibrator).calibrate(
        CalibrationInput(statistics: statistics, format: f, context: context, tensorName: "fixture"))
    return (result.range, f.parameters(for: result.range, context: context))
}

/// |a − b| ≤ tolerance·max(|a|, |b|, floor).
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-30) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), floor)
}
