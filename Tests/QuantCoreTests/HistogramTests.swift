import QuantCore
import Testing

@Suite struct HistogramTests {
    func histogram(_ values: [Float], bins: Int, lower: Float, upper: Float, absolute: Bool = false) -> Histogram {
        var h = Histogram(binCount: bins, lower: lower, upper: upper)
        values.withUnsafeBufferPointer {
            h.accumulate($0.baseAddress!, count: $0.count, stride: 1, absolute: absolute, skipNonFinite: true)
        }
        return h
    }

    // Hand-derived: numpy.histogram([0, 0.5, 1, 1.5, 2, 3.99, 4], bins=4, range=(0, 4)) == [2, 2, 1, 2].
    @Test func binsLikeNumpyWithMaximumInLastBin() {
        let h = histogram([0, 0.5, 1, 1.5, 2, 3.99, 4], bins: 4, lower: 0, upper: 4)
        #expect(h.counts == [2, 2, 1, 2])
        #expect(h.edge(0) == 0 && h.edge(2) == 2 && h.edge(4) == 4)
    }

    @Test func absoluteValuesAndNonFiniteSkipped() {
        let h = histogram([-4, -1, 0.5, .nan, .infinity, 3], bins: 4, lower: 0, upper: 4, absolute: true)
        #expect(h.counts == [1, 1, 0, 2])
    }

    @Test func largeInputUsesInterleavedTablesWithSameCounts() {
        let values = (0..<100_000).map { Float($0 % 1000) / 999 }
        let h = histogram(values, bins: 10, lower: 0, upper: 1)
        var expected = [Double](repeating: 0, count: 10)
        for v in values { expected[min(Int(v * 10), 9)] += 1 }
        #expect(h.total == 100_000)
        #expect(h.counts == expected)
    }

    // Widening doubles the width and merges pairs exactly: bins [0,1),[1,2),[2,3),[3,4] → [0,2),[2,4),[4,6),[6,8).
    @Test func wideningMergesPairsWithoutMovingCounts() {
        var h = histogram([0.5, 1.5, 2.5, 3.5], bins: 4, lower: 0, upper: 4)
        h.widen(toInclude: 0, 7)
        #expect(h.lowerEdge == 0 && h.upperEdge == 8)
        #expect(h.counts == [2, 2, 0, 0])
        [Float(7)].withUnsafeBufferPointer { h.accumulate($0.baseAddress!, count: 1, stride: 1, absolute: false, skipNonFinite: false) }
        #expect(h.counts == [2, 2, 0, 1])
    }

    @Test func wideningToTheLeftKeepsTheGridAnchored() {
        var h = histogram([0.5, 3.5], bins: 4, lower: 0, upper: 4)
        h.widen(toInclude: -3, 4)
        // Width 2, window [-4, 4): 0.5 → [0,2), 3.5 → [2,4).
        #expect(h.lowerEdge == -4 && h.upperEdge == 4)
        #expect(h.counts == [0, 0, 1, 1])
    }

    @Test func batchOrderOfLaterBatchesDoesNotMatter() {
        let first: [Float] = (0..<64).map { Float($0) / 64 }
        let a: [Float] = (0..<50).map { 3 * Float($0) / 50 }, b: [Float] = (0..<70).map { -2 + Float($0) / 10 }
        func run(_ batches: [[Float]]) -> Histogram {
            var h = Histogram(binCount: 16, lower: 0, upper: 63.0 / 64)
            for batch in batches {
                h.widen(toInclude: batch.min()!, batch.max()!)
                batch.withUnsafeBufferPointer { h.accumulate($0.baseAddress!, count: $0.count, stride: 1, absolute: false, skipNonFinite: false) }
            }
            return h
        }
        let ab = run([first, a, b]), ba = run([first, b, a])
        #expect(ab.counts == ba.counts)
        #expect(ab.lowerEdge == ba.lowerEdge && ab.upperEdge == ba.upperEdge)
        #expect(ab.total == Double(64 + 50 + 70))
    }

    @Test func degenerateFirstBatchThenRealRange() {
        var h = histogram([2, 2, 2], bins: 8, lower: 2, upper: 2)
        #expect(h.counts[0] == 3 && h.total == 3)
        h.widen(toInclude: 0, 4)
        #expect(h.lowerEdge == 0 && h.upperEdge == 4)
        #expect(h.counts[4] == 3)
    }
}
