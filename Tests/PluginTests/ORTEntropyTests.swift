import Foundation
import QuantBench
@testable import Calibrators
import QuantCore
import QuantTestKit
import Testing

/// `ort-entropy` against ONNX Runtime 1.32's EntropyCalibrater (num_bins 2048,
/// num_quantized_bins 128, one `collect_data` call), from `Fixtures/calibration/generate.py`.
///
/// Tolerance: ORT's pair is float32 and we reproduce its arithmetic (numpy's pairwise sums and
/// SIMD float32 log), so the bounds must agree to float32 rounding: a relative 1e−7, below one
/// float32 ulp (2^−23 ≈ 1.19e−7 relative at worst). A flipped argmin would move a bound by a
/// whole bin (2·max|x|/2048, about 1e−3 relative), four orders of magnitude more.
@Suite struct ORTEntropyTests {
    static let tensors = ["gauss_outliers", "relu", "laplace", "uniform_shifted", "student_t3"]
    static let tolerance = 1e-7

    @Test(arguments: tensors + ["weights_2d", "batches", "constant", "zeros"])
    func affineRangeMatchesOnnxRuntime(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values, request: [.range, .symmetricHistogram])
        let low = try f.number("tensors", name, "onnxruntime", "entropy_2048_128", "low")
        let high = try f.number("tensors", name, "onnxruntime", "entropy_2048_128", "high")
        let ours = try calibrate("ort-entropy", "int8(symmetric=false)", on: s).range
        #expect(close(Double(ours.lower), low, relative: Self.tolerance), "\(name) low: \(ours.lower) vs ORT \(low)")
        #expect(close(Double(ours.upper), high, relative: Self.tolerance), "\(name) high: \(ours.upper) vs ORT \(high)")
    }

    @Test(arguments: tensors)
    func symmetricFormatsGetTheLargerBound(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values, request: [.range, .symmetricHistogram])
        let low = try f.number("tensors", name, "onnxruntime", "entropy_2048_128", "low")
        let high = try f.number("tensors", name, "onnxruntime", "entropy_2048_128", "high")
        let ours = try calibrate("ort-entropy", "int8", on: s).range
        #expect(ours.lower == -ours.upper)
        #expect(close(Double(ours.upper), max(abs(low), abs(high)), relative: Self.tolerance), "\(name): \(ours)")
    }

    /// REFERENCE.md §2.8: ORT's entropy is not pytorch_quantization's (ours is `kl`). On the
    /// ReLU tensor ORT keeps 2.546 where ModelOpt keeps 3.969; with planted outliers ORT keeps
    /// about 5.09 where ModelOpt clips near 4.1.
    @Test(arguments: ["relu", "gauss_outliers"])
    func differsFromPytorchQuantizationEntropy(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        let modelOpt = try f.number("tensors", name, "pytorch_quantization", "entropy", "int8")
        let ort = try f.number("tensors", name, "onnxruntime", "entropy_2048_128", "high")
        let kl = Double(try calibrate("kl", "int8", on: s).range.upper)
        let ours = Double(try calibrate("ort-entropy", "int8(symmetric=false)", on: s).range.upper)
        #expect(close(kl, modelOpt, relative: 2e-6), "kl \(kl) vs ModelOpt \(modelOpt)")
        #expect(abs(ours - kl) > 0.1 * max(ours, kl), "\(name): ort-entropy \(ours) vs kl \(kl)")
        #expect(abs(ort - modelOpt) > 0.1 * max(ort, modelOpt), "fixture: ORT \(ort) vs ModelOpt \(modelOpt)")
    }

    @Test func nonDefaultQuantizedBinsParseAndStayInRange() throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor("relu").values, request: [.range, .symmetricHistogram])
        let calibrator = try PluginRegistry.builtIn.calibrator("ort-entropy(quantized-bins=256)")
        #expect(calibrator.name == "ort-entropy(quantized-bins=256)")
        let r = try calibrate("ort-entropy(quantized-bins=256)", "uint8", on: s).range
        #expect(r.lower >= s.min && r.upper <= s.max && r.lower <= r.upper, "\(r)")
    }

    @Test func passesTheConformanceKitOnEveryFormatKind() throws {
        let registry = PluginRegistry.builtIn
        let formats = try ["int8", "int4", "int8(symmetric=false)", "uint8", "fp8-e4m3", "fp4-e2m1", "mxfp4"].map {
            try registry.format($0)
        }
        for name in ["ort-entropy", "ort-entropy(quantized-bins=2048)"] {
            let failures = Conformance.check(calibrator: try registry.calibrator(name), formats: formats)
            #expect(failures.isEmpty, "\(name): \(failures.prefix(5))")
        }
    }

    /// One batch gives ORT's grid: [−A, A] with zero on the edge of bin 1024. Later batches widen
    /// it by merging bin pairs (our documented multi-batch rule, not ORT's growth), on either
    /// grid, and the calibrator finds the zero edge and stays within the observed values.
    @Test(arguments: HistogramGrid.allCases)
    func multiBatchWideningKeepsZeroOnAnEdge(_ grid: HistogramGrid) throws {
        let values = try CalibrationFixtures.load().tensor("gauss_outliers").values
        let batches = [Array(values[..<8192].map { $0 / 8 }), Array(values[8192...])]
        var s = GranuleStatistics(request: [.range, .symmetricHistogram], configuration: ObserverConfiguration(histogramGrid: grid))
        for (k, batch) in batches.enumerated() {
            batch.withUnsafeBufferPointer { s.observe($0.baseAddress!, partition: .whole(count: $0.count), granule: 0) }
            let h = try #require(s.symmetricHistogram)
            if k == 0 && grid == .firstBatch { #expect(h.lowerEdge == -h.upperEdge && h.binCount == 2048) }
            let zero = ORTEntropy.zeroBin(h)
            #expect(abs(h.edge(zero)) <= 1e-3 * h.binWidth, "zero edge \(h.edge(zero)) on \(grid)")
            #expect(h.total == Double(batches[...k].map(\.count).reduce(0, +)))
        }
        for format in ["int8", "int8(symmetric=false)"] {
            let r = try calibrate("ort-entropy", format, on: s).range
            #expect(r.lower <= r.upper && r.absMax <= s.absMax, "\(format) on \(grid): \(r)")
        }
    }

    /// The port of numpy's SIMD float32 log is bit-exact (the claim, so `==` on bit patterns):
    /// np.log(np.float32(x)) from numpy 2.4.6 on AVX2, for inputs where numpy's result is one
    /// ulp below the correctly rounded logf.
    @Test(arguments: [
        (UInt32(1_085_950_647), UInt32(1_071_741_800)), (1_086_013_580, 1_071_784_930), (1_086_821_609, 1_072_319_851),
        (0x3F80_0000, 0),
    ])
    func numpyLogPortIsBitExact(_ input: UInt32, _ numpy: UInt32) {
        #expect(NumpyFloat32.log(Float(bitPattern: input)).bitPattern == numpy)
    }
}
