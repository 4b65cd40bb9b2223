import Foundation
import QuantCore
import Testing

@Suite struct StatisticsTests {
    // Hand-derived for [1, 2, 3, 4, 10]: mean 4, deviations -3 -2 -1 0 6,
    // m2 = 50, m3 = 180, m4 = 1394, population variance 10, Pearson kurtosis 5·1394/2500 = 2.788.
    @Test func momentsOfOneBatch() {
        let s = observed([1, 2, 3, 4, 10])
        let m = s.moments!
        #expect(m.mean == 4)
        #expect(m.variance == 10)
        #expect(abs(m.kurtosis - 2.788) < 1e-12)
        #expect(abs(s.meanAbsoluteDeviation - 12.0 / 5) < 1e-12)
        #expect(s.min == 1 && s.max == 10 && s.absMax == 10)
    }

    @Test func mergedMomentsEqualOnePass() {
        // [1, 2] merged with [3, 4, 10] must give the moments of [1, 2, 3, 4, 10] above.
        let d: [Double] = [-8.0 / 3, -5.0 / 3, 13.0 / 3]  // deviations of [3, 4, 10] from 17/3
        var merged = Moments(count: 2, mean: 1.5, m2: 0.5, m3: 0, m4: 0.125)
        merged.merge(Moments(
            count: 3, mean: 17.0 / 3, m2: d.map { $0 * $0 }.reduce(0, +), m3: d.map { $0 * $0 * $0 }.reduce(0, +),
            m4: d.map { $0 * $0 * $0 * $0 }.reduce(0, +)))
        #expect(merged.count == 5)
        #expect(abs(merged.mean - 4) < 1e-12)
        #expect(abs(merged.m2 - 50) < 1e-9)
        #expect(abs(merged.m3 - 180) < 1e-9)
        #expect(abs(merged.m4 - 1394) < 1e-9)
    }

    @Test func nonFiniteValuesAreCountedAndIgnored() {
        let s = observed([1, .nan, -3, .infinity, 2, -.infinity])
        #expect(s.count == 3 && s.nonFiniteCount == 3)
        #expect(s.min == -3 && s.max == 2)
        #expect(s.absHistogram!.total == 3)
    }

    @Test func contiguousFastPathFallsBackOnNonFiniteBlocks() {
        var values = (0..<5000).map { Float($0 % 97) - 48 }
        values[4321] = .nan
        let summary = values.withUnsafeBufferPointer { RangeKernels.summarize($0.baseAddress!, count: $0.count, stride: 1) }
        #expect(summary.nonFiniteCount == 1 && summary.finiteCount == 4999)
        #expect(summary.min == -48 && summary.max == 48)
    }

    @Test func batchRangesAreRecordedInOrder() {
        var s = GranuleStatistics(request: [.range, .batchRanges])
        for batch: [Float] in [[0, 1], [-2, 5], [3, 3]] {
            batch.withUnsafeBufferPointer { s.observe($0.baseAddress!, partition: .whole(count: 2), granule: 0) }
        }
        #expect(s.batchRanges == [ClipRange(lower: 0, upper: 1), ClipRange(lower: -2, upper: 5), ClipRange(lower: 3, upper: 3)])
        #expect(s.batches == 3 && s.min == -2 && s.max == 5)
    }

    // numpy: np.percentile(np.arange(101.0), 99) == 99.0; np.percentile([1, 2, 3, 4], 50) == 2.5.
    @Test func exactQuantileInterpolatesLikeNumpy() {
        #expect(ExactQuantile.quantile((0...100).map(Float.init).shuffled(), 0.99) == 99)
        #expect(ExactQuantile.quantile([4, 1, 3, 2], 0.5) == 2.5)
        #expect(ExactQuantile.quantile([.nan, 7], 0.99) == 7)
        #expect(ExactQuantile.quantile([.nan], 0.5) == nil)
    }

    @Test func outlierRuleThresholds() {
        #expect(OutlierDiagnostic(absMax: 2.9, p99: 1).recommendedCalibrator == "minmax")
        #expect(OutlierDiagnostic(absMax: 3, p99: 1).recommendedCalibrator == "percentile(99.99)")
        #expect(OutlierDiagnostic(absMax: 10, p99: 1).recommendedCalibrator == "percentile(99.99)")
        #expect(OutlierDiagnostic(absMax: 10.5, p99: 1).recommendedCalibrator == "mse")
        #expect(OutlierDiagnostic(absMax: 0, p99: 0).ratio == 1)
    }

    // Hand-derived: x = [3, 4], x̂ = [3, 3] → mse 0.5, sqnr 10·log10(25/1) = 13.979 dB, cosine 21/(5·√18).
    @Test func errorMetricsByHand() {
        var m = ErrorMetrics()
        let x: [Float] = [3, 4, .nan], y: [Float] = [3, 3, 0]
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                m.accumulate(original: xs.baseAddress!, quantized: ys.baseAddress!, count: 3, stride: 1, range: ClipRange(lower: 0, upper: 3.5))
            }
        }
        #expect(m.count == 2)
        #expect(abs(m.mse - 0.5) < 1e-12)
        #expect(abs(m.sqnrDB - 13.979400086720377) < 1e-9)
        #expect(abs(m.cosine - 21 / (5 * 18.0.squareRoot())) < 1e-12)
        #expect(m.maxAbsError == 1)
        #expect(m.clipFraction == 0.5)
    }
}

extension StatisticsTests {
    /// The vector path (blocks of 256) against the definitions evaluated directly in double.
    @Test func errorMetricsVectorPathMatchesDefinitions() {
        var rng = SplitMix64(seed: 9)
        let n = 1000
        var x = (0..<n).map { _ in Float(Int(rng.next() % 2001) - 1000) / 250 }
        let y = x.map { ($0 * 8).rounded() / 8 }
        x[300] = .nan  // a block with a non-finite value goes element-wise
        let range = ClipRange(lower: -3, upper: 3.5)
        var m = ErrorMetrics()
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                m.accumulate(original: xs.baseAddress!, quantized: ys.baseAddress!, count: n, stride: 1, range: range)
            }
        }
        let pairs = zip(x, y).filter { $0.0.isFinite }.map { (Double($0.0), Double($0.1)) }
        let signal = pairs.map { $0.0 * $0.0 }.reduce(0, +), noise = pairs.map { ($0.0 - $0.1) * ($0.0 - $0.1) }.reduce(0, +)
        let dot = pairs.map { $0.0 * $0.1 }.reduce(0, +), quantized = pairs.map { $0.1 * $0.1 }.reduce(0, +)
        #expect(m.count == n - 1)
        #expect(abs(m.mse - noise / Double(n - 1)) <= 1e-6 * noise / Double(n - 1))
        #expect(abs(m.sqnrDB - 10 * log10(signal / noise)) <= 1e-5)
        #expect(abs(m.cosine - dot / (signal * quantized).squareRoot()) <= 1e-7)
        #expect(m.maxAbsError == pairs.map { abs($0.0 - $0.1) }.max())
        #expect(m.clipped == pairs.filter { $0.0 < -3 || $0.0 > 3.5 }.count)
    }
}

/// One batch's statistics with everything collected.
func observed(_ values: [Float]) -> GranuleStatistics {
    var s = GranuleStatistics(request: .all)
    values.withUnsafeBufferPointer { s.observe($0.baseAddress!, partition: .whole(count: $0.count), granule: 0) }
    return s
}
