import Foundation
import QuantBench
import QuantCore
import Testing

/// Our calibrators against pytorch_quantization's (ModelOpt 0.47) on the same one-batch tensors.
@Suite struct CalibratorOracleTests {
    static let tensors = ["gauss_outliers", "relu", "laplace", "uniform_shifted", "student_t3"]

    // Our |x| histogram is torch.histc's (which ModelOpt builds); numpy's float64 binning may put a
    // value that sits on an edge one bin over, so against numpy a few counts may move.
    @Test(arguments: tensors)
    func absHistogramMatchesTorchHistc(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        let ours = s.absHistogram!.counts
        let torch = try f.numbers("tensors", name, "pytorch_quantization", "hist", "counts")
        let numpy = try f.numbers("tensors", name, "numpy", "abs_hist", "counts")
        let movedFromTorch = zip(ours, torch).map { abs($0 - $1) }.reduce(0, +)
        let movedFromNumpy = zip(ours, numpy).map { abs($0 - $1) }.reduce(0, +)
        #expect(movedFromTorch <= 2, "\(movedFromTorch) counts differ from torch.histc")
        #expect(movedFromNumpy <= 6, "\(movedFromNumpy) counts differ from numpy.histogram")
        #expect(ours.reduce(0, +) == 65536)
    }

    @Test(arguments: tensors)
    func percentileMatchesPytorchQuantization(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        for p in ["99.9", "99.99", "99.999"] {
            let expected = try f.number("tensors", name, "pytorch_quantization", "percentile", p)
            let ours = try calibrate("percentile(\(p))", "int8", on: s).range.upper
            #expect(close(Double(ours), expected, relative: 2e-6), "\(name) p=\(p): \(ours) vs \(expected)")
        }
    }

    @Test(arguments: tensors)
    func entropyMatchesPytorchQuantization(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        for (format, key) in [("int8", "int8"), ("int4", "int4")] {
            let expected = try f.number("tensors", name, "pytorch_quantization", "entropy", key)
            let ours = try calibrate("kl", format, on: s).range.upper
            #expect(close(Double(ours), expected, relative: 2e-6), "\(name) \(format): \(ours) vs \(expected)")
        }
    }

    @Test func unsignedEntropyUsesTwiceTheLevels() throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor("relu").values)
        let expected = try f.number("tensors", "relu", "pytorch_quantization", "entropy", "uint8")
        let ours = try calibrate("kl", "uint8", on: s).range.upper
        #expect(close(Double(ours), expected, relative: 2e-6), "\(ours) vs \(expected)")
    }

    @Test(arguments: tensors)
    func mseMatchesPytorchQuantization(_ name: String) throws {
        let f = try CalibrationFixtures.load()
        let s = observe(try f.tensor(name).values)
        let width = Double(s.absMax) / 2048
        for format in ["int8", "int4"] {
            let expected = try f.number("tensors", name, "pytorch_quantization", "mse", format)
            let ours = Double(try calibrate("mse", format, on: s).range.upper)
            // pytorch_quantization multiplies by 127/amax where our format divides by amax/127: an
            // argmin between two near-equal candidates may differ by a bin.
            #expect(abs(ours - expected) <= 1.01 * width, "\(name) \(format): \(ours) vs \(expected) (bin \(width))")
        }
    }
}
