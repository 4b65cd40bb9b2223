/// A fixed-size histogram whose range can widen across batches without losing counts.
///
/// The first batch bins `[min, max]` into `binCount` equal bins exactly as `torch.histc` and
/// `numpy.histogram` do (the maximum falls into the last bin), so one-batch results match the
/// reference calibrators. Bins sit on a grid anchored at the first batch's lower edge. When a
/// later batch falls outside, the bin width doubles (pairs of bins merge exactly, `i → ⌊i/2⌋`)
/// until the window of `binCount` bins covers both, so counts are never re-distributed or
/// interpolated; only the first batch fixes the anchor and the base width. That makes the
/// result independent of the order of later batches, and an abs-value histogram (anchored at
/// 0) independent of batch order up to the factor-of-two coarsening this can add.
public struct Histogram: Sendable, Hashable {
    public private(set) var counts: [Double]
    /// The grid's anchor and the current bin width: bin k covers
    /// `[anchor + (firstIndex + k)·width, anchor + (firstIndex + k + 1)·width)`.
    public private(set) var anchor: Double
    public private(set) var width: Double
    public private(set) var firstIndex: Int
    /// The exact lower and upper edges (the first batch's min and max until the range widens).
    public private(set) var lowerEdge: Float
    public private(set) var upperEdge: Float

    public var binCount: Int { counts.count }
    public var total: Double { counts.reduce(0, +) }

    /// A histogram over `[lower, upper]`; `lower == upper` is allowed (every count in bin 0).
    public init(binCount: Int, lower: Float, upper: Float) {
        precondition(binCount > 0 && lower <= upper, "a histogram needs bins and lower ≤ upper")
        counts = [Double](repeating: 0, count: binCount)
        anchor = Double(lower)
        width = (Double(upper) - Double(lower)) / Double(binCount)
        firstIndex = 0
        lowerEdge = lower
        upperEdge = upper
    }

    /// The lower edge of bin `k` (`k == binCount` gives the upper edge).
    public func edge(_ k: Int) -> Double {
        if k == binCount { return Double(upperEdge) }
        if k == 0 { return Double(lowerEdge) }
        return Double(lowerEdge) + Double(k) * (Double(upperEdge) - Double(lowerEdge)) / Double(binCount)
    }

    /// The centre of bin `k`.
    public func centre(_ k: Int) -> Double { (edge(k) + edge(k + 1)) / 2 }

    /// Bin width in the current range.
    public var binWidth: Double { (Double(upperEdge) - Double(lowerEdge)) / Double(binCount) }

    /// Widens the range, if needed, so that `[lower, upper]` falls inside.
    public mutating func widen(toInclude lower: Float, _ upper: Float) {
        guard lower < lowerEdge || upper > upperEdge else { return }
        let n = binCount
        if width == 0 {
            // A degenerate first batch: start a real grid over the union and move its counts.
            let old = counts.reduce(0, +), value = lowerEdge
            self = Histogram(binCount: n, lower: Swift.min(lower, value), upper: Swift.max(upper, value))
            counts[bin(of: value)] += old
            return
        }
        var level = 0
        var low = 0, high = 0
        while true {
            let w = width * Double(1 << level)
            let oldLow = floorDiv(firstIndex, 1 << level), oldHigh = floorDiv(firstIndex + n - 1, 1 << level)
            low = Swift.min(oldLow, Int(((Double(lower) - anchor) / w).rounded(.down)))
            // The window's top edge is inclusive, as the first batch's maximum is: a value exactly
            // on a bin edge at the top belongs to the bin below it.
            high = Swift.max(oldHigh, Int(((Double(upper) - anchor) / w).rounded(.up)) - 1)
            if high - low + 1 <= n { break }
            level += 1
        }
        var merged = [Double](repeating: 0, count: n)
        for k in 0..<n where counts[k] != 0 {
            merged[floorDiv(firstIndex + k, 1 << level) - low] += counts[k]
        }
        counts = merged
        width *= Double(1 << level)
        firstIndex = low
        lowerEdge = Float(anchor + Double(low) * width)
        upperEdge = Float(anchor + Double(low + n) * width)
    }

    /// The binning rule every path shares: ⌊(x − lower)·(n/span)⌋ clamped to [0, n − 1]. It is
    /// torch.histc's rule with the division folded into one factor; on the fixtures it puts at
    /// most 2 of 65,536 values one bin away from torch (values within an ulp of an edge).
    struct Binner {
        let lower: Float
        let factor: Float
        let top: Float

        init(_ h: Histogram) {
            lower = h.lowerEdge
            factor = Float(h.binCount) / (h.upperEdge - h.lowerEdge)
            top = Float(h.binCount - 1)
        }

        @inline(__always)
        func callAsFunction(_ x: Float) -> Int {
            var p = (x - lower) * factor
            p = p < 0 ? 0 : p
            p = p > top ? top : p
            return Int(p)
        }

        /// The same bins for `Histogram.blockSize` contiguous values, eight lanes at a time.
        ///
        /// ⌊p⌋ for 0 ≤ p < 2^23 with float operations only: adding and removing 2^23 rounds p
        /// to an integer, a lane that went up steps down, and adding 2^23 again leaves the
        /// integer in the low mantissa bits (the bits of 2^23 are 0x4B00_0000).
        @inline(__always)
        func vectorIndices(_ values: UnsafePointer<Float>, into indices: UnsafeMutablePointer<Int32>, absolute: Bool) {
            let source = UnsafeRawPointer(values), target = UnsafeMutableRawPointer(indices)
            let lo = SIMD8(repeating: lower), f = SIMD8(repeating: factor), high = SIMD8(repeating: top)
            let zero = SIMD8<Float>.zero, one = SIMD8<Float>(repeating: 1), magic = SIMD8<Float>(repeating: 8_388_608)
            for j in 0..<(Histogram.blockSize / 8) {
                var x = source.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self)
                if absolute { x = IntegerKernels.magnitude(x) }
                var p = (x - lo) * f
                p = p.replacing(with: zero, lanes: p .< zero)
                p = p.replacing(with: high, lanes: p .> high)
                var r = (p + magic) - magic
                r = r.replacing(with: r - one, lanes: r .> p)
                target.storeBytes(of: unsafeBitCast(r + magic, to: SIMD8<Int32>.self) &- 0x4B00_0000, toByteOffset: j * 32, as: SIMD8<Int32>.self)
            }
        }
    }

    /// The bin that the finite value `x` falls into (0 when the range is a single point).
    func bin(of x: Float) -> Int {
        upperEdge > lowerEdge ? Binner(self)(x) : 0
    }

    /// Adds `count` values read with `stride`; values must lie in the current range (call
    /// ``widen(toInclude:_:)`` first) and be finite unless `skipNonFinite` is set.
    ///
    /// Large contiguous inputs have their bins computed 256 at a time in vector lanes, then
    /// counted into four interleaved scratch tables so that neighbouring values in the same bin
    /// do not wait on each other's stores.
    /// - Complexity: O(count), no allocation beyond the scratch tables (4·binCount counters).
    public mutating func accumulate(_ values: UnsafePointer<Float>, count: Int, stride: Int, absolute: Bool, skipNonFinite: Bool) {
        guard count > 0 else { return }
        guard upperEdge > lowerEdge else {
            var added = 0
            for i in 0..<count where !skipNonFinite || values[i * stride].isFinite { added += 1 }
            counts[0] += Double(added)
            return
        }
        let index = Binner(self), n = binCount
        if count < 2 * n || stride != 1 || skipNonFinite {
            for i in 0..<count {
                let raw = values[i * stride]
                if skipNonFinite && !raw.isFinite { continue }
                counts[index(absolute ? Swift.abs(raw) : raw)] += 1
            }
            return
        }
        var tables = [UInt32](repeating: 0, count: 4 * n)
        var block = [Int32](repeating: 0, count: Self.blockSize)
        tables.withUnsafeMutableBufferPointer { tableBuffer in
            block.withUnsafeMutableBufferPointer { blockBuffer in
                let t = tableBuffer.baseAddress!, indices = blockBuffer.baseAddress!
                var i = 0
                while i + Self.blockSize <= count {
                    index.vectorIndices(values + i, into: indices, absolute: absolute)
                    var j = 0
                    while j < Self.blockSize {
                        t[Int(indices[j])] &+= 1
                        t[n + Int(indices[j + 1])] &+= 1
                        t[2 * n + Int(indices[j + 2])] &+= 1
                        t[3 * n + Int(indices[j + 3])] &+= 1
                        j += 4
                    }
                    i += Self.blockSize
                }
                while i < count {
                    t[index(absolute ? Swift.abs(values[i]) : values[i])] &+= 1
                    i += 1
                }
            }
        }
        for b in 0..<n {
            counts[b] += Double(UInt64(tables[b]) + UInt64(tables[n + b]) + UInt64(tables[2 * n + b]) + UInt64(tables[3 * n + b]))
        }
    }

    /// Values whose bins are computed together before they are counted.
    static let blockSize = 256

    /// Adds another histogram's counts, widening to its range first; its bins are re-binned by
    /// their centres (used only to merge separately observed shards).
    public mutating func merge(_ other: Histogram) {
        widen(toInclude: other.lowerEdge, other.upperEdge)
        for k in 0..<other.binCount where other.counts[k] != 0 {
            counts[bin(of: Float(other.centre(k)))] += other.counts[k]
        }
    }
}

@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
