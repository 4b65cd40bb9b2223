import Foundation
import QuantBench
import QuantCore
import Testing

/// Calibration over several batches. On the canonical histogram grid (power-of-two widths on
/// multiples of the width) the histogram, and so every calibrator's answer, is the same for
/// every batch order: the stated tolerance is zero. On the default first-batch grid (reference
/// parity for one batch) the first batch fixes the grid, and the answers may move with it.
@Suite struct MultiBatchTests {
    static func statistics(_ batches: [[Float]], grid: HistogramGrid = .canonical) -> GranuleStatistics {
        var s = GranuleStatistics(request: .all, configuration: ObserverConfiguration(histogramGrid: grid))
        for batch in batches {
            batch.withUnsafeBufferPointer { s.observe($0.baseAddress!, partition: .whole(count: $0.count), granule: 0) }
        }
        return s
    }

    static func batches() throws -> [[Float]] {
        let values = try CalibrationFixtures.load().tensor("batches").values
        return (0..<8).map { Array(values[($0 * 8192)..<(($0 + 1) * 8192)]) }
    }

    @Test(arguments: ["percentile(99.99)", "percentile(99.9)", "kl", "mse", "hist-l2", "aciq", "minmax"])
    func canonicalGridGivesTheSameRangeForEveryBatchOrder(_ calibrator: String) throws {
        let forward = try Self.batches()
        let orders = [forward, Array(forward.reversed()), [4, 0, 7, 2, 6, 1, 5, 3].map { forward[$0] }]
        let statistics = orders.map { Self.statistics($0) }
        #expect(statistics.allSatisfy { $0.absHistogram!.counts == statistics[0].absHistogram!.counts })
        #expect(statistics.allSatisfy { $0.signedHistogram!.counts == statistics[0].signedHistogram!.counts })
        for format in ["int8", "uint8", "int4(symmetric=false)"] {
            let ranges = try statistics.map { try calibrate(calibrator, format, on: $0).range }
            #expect(ranges.allSatisfy { $0 == ranges[0] }, "\(calibrator) \(format): \(ranges)")
        }
    }

    /// The canonical grid's width is the smallest power of two that fits the data in 2048 bins.
    @Test func canonicalWidthIsTheSmallestPowerOfTwoThatFits() throws {
        let s = Self.statistics(try Self.batches())
        let h = s.absHistogram!
        #expect(h.binWidth == Double(sign: .plus, exponent: h.binWidth.exponent, significand: 1))
        #expect(Double(s.absMax) < h.binWidth * 2048)
        #expect(Double(s.absMax) >= h.binWidth * 1024)
    }

    @Test func countsAndExtremesDoNotDependOnOrder() throws {
        let forward = try Self.batches()
        let a = Self.statistics(forward, grid: .firstBatch), b = Self.statistics(forward.reversed(), grid: .firstBatch)
        #expect(a.absHistogram!.total == 65536 && b.absHistogram!.total == 65536)
        #expect(a.min == b.min && a.max == b.max)
        #expect(abs(a.mean - b.mean) < 1e-9)
        #expect(abs(a.moments!.variance - b.moments!.variance) < 1e-9 * a.moments!.variance)
    }

    /// With one batch, the widened histogram is the single-batch one: the torch observer's
    /// global min/max over all batches equals ours however the batches come.
    @Test func globalRangeMatchesTorchOverBatches() throws {
        let f = try CalibrationFixtures.load()
        let s = Self.statistics(try Self.batches().reversed())
        #expect(s.min == Float(try f.number("multi_batch", "batches", "minmax_quint8_affine", "min_val")))
        #expect(s.max == Float(try f.number("multi_batch", "batches", "minmax_quint8_affine", "max_val")))
    }
}
