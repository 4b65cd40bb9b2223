import Foundation
import QuantBench
import QuantCore
import Testing

/// Our calibrators with our formats against PyTorch's observers' qparams and ONNX Runtime's ranges.
@Suite struct ObserverOracleTests {
    static let tensors = ["gauss_outliers", "relu", "laplace", "uniform_shifted", "student_t3"]

    /// torch's qint8 symmetric = our int8(range=full) (s = amax/127.5); quint8 affine = uint8;
    /// qint8 affine = int8(symmetric=false).
    static let torchEquivalents = [
        ("minmax_qint8_symmetric", "int8(range=full)"), ("minmax_quint8_affine", "uint8"),
        ("minmax_qint8_affine", "int8(symmetric=false)"),
    ]

    @Test(arguments: tensors)
    func minMaxObserverQParams(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        for (key, format) in Self.torchEquivalents {
            let (range, params) = try calibrate("minmax", format, on: s)
            #expect(s.min == Float(try f.number("tensors", name, "torch", key, "min_val")))
            #expect(s.max == Float(try f.number("tensors", name, "torch", key, "max_val")))
            let scale = try f.number("tensors", name, "torch", key, "scale")
            let zero = try f.number("tensors", name, "torch", key, "zero_point")
            #expect(close(Double(params.scale), scale, relative: 1e-6), "\(name) \(format) \(range): \(params.scale) vs \(scale)")
            #expect(Double(params.zeroPoint) == zero, "\(name) \(format): \(params.zeroPoint) vs \(zero)")
        }
    }

    @Test(arguments: tensors)
    func histogramObserverSearch(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        let width = Double(s.max - s.min) / 2048
        for (key, format) in [("histogram_quint8_affine", "uint8"), ("histogram_qint8_symmetric", "int8(range=full)")] {
            let (range, params) = try calibrate("hist-l2", format, on: s)
            let newMin = try f.number("tensors", name, "torch", key, "new_min")
            let newMax = try f.number("tensors", name, "torch", key, "new_max")
            if format == "uint8" {
                #expect(abs(Double(range.lower) - newMin) <= 1e-6 * width + 1e-6 * abs(newMin), "\(name): \(range) vs [\(newMin), \(newMax)]")
                #expect(abs(Double(range.upper) - newMax) <= 1e-6 * width + 1e-6 * abs(newMax), "\(name): \(range) vs [\(newMin), \(newMax)]")
            }
            let scale = try f.number("tensors", name, "torch", key, "scale")
            let zero = try f.number("tensors", name, "torch", key, "zero_point")
            #expect(close(Double(params.scale), scale, relative: 1e-5), "\(name) \(format): \(params.scale) vs \(scale)")
            #expect(Double(params.zeroPoint) == zero, "\(name) \(format): \(params.zeroPoint) vs \(zero)")
        }
    }

    @Test func perChannelMinMaxObserver() throws {
        let f = try CalibrationFixtures.load()
        let weights = try f.tensor("weights_2d")
        let registry = PluginRegistry.builtIn
        for (key, format) in [("per_channel_qint8_symmetric", "int8(range=full)"), ("per_channel_quint8_affine", "uint8")] {
            let recipe = try QuantizationRecipe(format: format, granularity: "per-channel", calibrator: "minmax", registry: registry)
            let report = try TensorQuantizer(recipe: recipe).quantize(weights).report
            let scales = try f.numbers("per_channel", "weights_2d", key, "scale")
            let zeros = try f.numbers("per_channel", "weights_2d", key, "zero_point")
            #expect(report.granules.count == 64)
            for (c, granule) in report.granules.enumerated() {
                #expect(close(Double(granule.scale), scales[c], relative: 1e-6), "\(format) channel \(c)")
                #expect(Double(granule.zeroPoint) == zeros[c], "\(format) channel \(c)")
            }
        }
    }

    @Test func movingAverageAndGlobalMinMaxOverBatches() throws {
        let f = try CalibrationFixtures.load()
        let batches = try f.tensor("batches")
        var statistics = GranuleStatistics(request: .all)
        batches.values.withUnsafeBufferPointer { buffer in
            for b in 0..<8 { statistics.observe(buffer.baseAddress! + b * 8192, partition: .whole(count: 8192), granule: 0) }
        }
        let ema = try calibrate("ema-minmax", "uint8", on: statistics)
        let key = "moving_average_minmax_quint8_affine"
        #expect(close(Double(ema.range.lower), try f.number("multi_batch", "batches", key, "min_val"), relative: 1e-6))
        #expect(close(Double(ema.range.upper), try f.number("multi_batch", "batches", key, "max_val"), relative: 1e-6))
        #expect(close(Double(ema.params.scale), try f.number("multi_batch", "batches", key, "scale"), relative: 1e-6))
        #expect(Double(ema.params.zeroPoint) == (try f.number("multi_batch", "batches", key, "zero_point")))
        let global = try calibrate("minmax", "uint8", on: statistics)
        #expect(global.range.lower == Float(try f.number("multi_batch", "batches", "minmax_quint8_affine", "min_val")))
        #expect(global.range.upper == Float(try f.number("multi_batch", "batches", "minmax_quint8_affine", "max_val")))
    }

    /// Fixture floats are compared as Float: JSON parsing may land a 17-digit double one ulp away.
    /// ONNX Runtime's MinMax, and its symmetric Percentile, whose |x| histogram starts at min|x|
    /// rather than 0 (a difference in the 6th digit) and whose result is clamped to the observed
    /// [min, max] (REFERENCE.md §2.2): we expect its numbers from ours with that clamp applied.
    @Test(arguments: tensors)
    func onnxRuntimeMinMaxAndPercentile(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        #expect(s.min == Float(try f.number("tensors", name, "onnxruntime", "minmax", "low")))
        #expect(s.max == Float(try f.number("tensors", name, "onnxruntime", "minmax", "high")))
        #expect(s.absMax == Float(try f.number("tensors", name, "onnxruntime", "minmax_symmetric", "high")))
        for p in ["99.99", "99.999"] {
            let t = try calibrate("percentile(\(p))", "int8", on: s).range.upper
            let low = try f.number("tensors", name, "onnxruntime", "percentile_\(p)_symmetric", "low")
            let high = try f.number("tensors", name, "onnxruntime", "percentile_\(p)_symmetric", "high")
            #expect(close(Double(max(-t, s.min)), low, relative: 1e-4), "\(name) \(p): low \(max(-t, s.min)) vs \(low)")
            #expect(close(Double(min(t, s.max)), high, relative: 1e-4), "\(name) \(p): high \(min(t, s.max)) vs \(high)")
        }
    }

    @Test(arguments: tensors)
    func statisticsMatchNumpy(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let inspection = try TensorInspection(try f.tensor(name))
        #expect(close(inspection.mean, try f.number("tensors", name, "numpy", "mean"), relative: 1e-6, floor: 1e-6))
        #expect(close(inspection.std, try f.number("tensors", name, "numpy", "std"), relative: 1e-9))
        #expect(close(inspection.kurtosis, try f.number("tensors", name, "numpy", "kurtosis_pearson"), relative: 1e-9))
        #expect(close(inspection.p99Abs, try f.number("tensors", name, "numpy", "abs_percentiles", "99"), relative: 1e-6))
        #expect(close(inspection.outlierRatio, try f.number("tensors", name, "numpy", "outlier_ratio"), relative: 1e-6))
        let s = observe(try f.tensor(name).values)
        #expect(close(s.meanAbsoluteDeviation, try f.number("tensors", name, "numpy", "mean_abs_dev"), relative: 1e-9))
    }
}
