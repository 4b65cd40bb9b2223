/// A fixed-size histogram whose range can widen across batches without losing counts.
///
/// Two grids, chosen by ``ObserverConfiguration/histogramGrid``:
/// - **first batch** (the default): the first batch bins `[min, max]` into `binCount` equal
///   bins as `torch.histc` and `numpy.histogram` do (the maximum falls into the last bin), so
///   one-batch results match the reference calibrators; the grid stays anchored there.
/// - **canonical**: bin widths are powers of two and bins sit on multiples of the width (bin i
///   covers `[i·w, (i+1)·w)`), the smallest such width that fits the data. The histogram after
///   any number of batches is then a function of the data alone: every batch order gives the
///   same counts, bit for bit. Use it when calibrating over several batches.
///
/// In both, a batch outside the window doubles the width until the observed range fits again;
/// pairs of bins merge exactly (`i → ⌊i/2⌋`), so counts are never re-distributed or interpolated.
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
    /// The smallest and largest values added so far (what a widened window must still cover).
    public private(set) var dataLower: Float
    public private(set) var dataUpper: Float
    public let isCanonical: Bool

    public var binCount: Int { counts.count }
    public var total: Double { counts.reduce(0, +) }

    /// A histogram over exactly `[lower, upper]`; `lower == upper` is allowed (every count in bin 0).
    public init(binCount: Int, lower: Float, upper: Float) {
        precondition(binCount > 0 && lower <= upper, "a histogram needs bins and lower ≤ upper")
        counts = [Double](repeating: 0, count: binCount)
        anchor = Double(lower)
        width = (Double(upper) - Double(lower)) / Double(binCount)
        firstIndex = 0
        lowerEdge = lower
        upperEdge = upper
        dataLower = lower
        dataUpper = upper
        isCanonical = false
    }

    /// A histogram on the canonical grid: the smallest power-of-two width whose aligned window
    /// of `binCount` bins holds `[lower, upper]` (`lower == upper` gives every count to bin 0).
    public init(canonicalBinCount binCount: Int, lower: Float, upper: Float) {
        precondition(binCount > 0 && lower <= upper, "a histogram needs bins and lower ≤ upper")
        counts = [Double](repeating: 0, count: binCount)
        anchor = 0
        dataLower = lower
        dataUpper = upper
        isCanonical = true
        guard upper > lower else {
            (width, firstIndex, lowerEdge, upperEdge) = (0, 0, lower, upper)
            return
        }
        // Start one binade below the width the span needs; the loop moves up until it fits.
        var exponent = Int(((Double(upper) - Double(lower)) / Double(binCount)).exponent) - 1
        var w = 0.0, low = 0
        while true {
            w = Double(sign: .plus, exponent: exponent, significand: 1)
            let window = Self.window(lower: lower, upper: upper, anchor: 0, width: w, canonical: true)
            low = window.low
            if window.high - window.low + 1 <= binCount { break }
            exponent += 1
        }
        width = w
        firstIndex = low
        lowerEdge = Float(Double(low) * w)
        upperEdge = Float(Double(low + binCount) * w)
    }

    /// The bins a window of width `w` needs for `[lower, upper]`. On the first-batch grid the
    /// top edge is inclusive (as the first batch's maximum is); on the canonical grid a value on
    /// a grid point always opens the bin that starts there.
    static func window(lower: Float, upper: Float, anchor: Double, width w: Double, canonical: Bool) -> (low: Int, high: Int) {
        let low = Int(((Double(lower) - anchor) / w).rounded(.down))
        let top = (Double(upper) - anchor) / w
        let high = Swift.max(low, canonical ? Int(top.rounded(.down)) : Int(top.rounded(.up)) - 1)
        return (low, high)
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
    ///
    /// The new width is the smallest doubling of the current one whose window holds every value
    /// seen so far (not the old window, which may be wider than its data), so on the canonical
    /// grid it depends only on the overall range.
    public mutating func widen(toInclude lower: Float, _ upper: Float) {
        let seenLower = Swift.min(dataLower, lower), seenUpper = Swift.max(dataUpper, upper)
        defer { (dataLower, dataUpper) = (seenLower, seenUpper) }
        guard lower < lowerEdge || upper > upperEdge else { return }
        let n = binCount
        if width == 0 {
            // A degenerate first batch: start a real grid over the union and move its counts.
            let old = counts.reduce(0, +), value = lowerEdge
            self = isCanonical
                ? Histogram(canonicalBinCount: n, lower: seenLower, upper: seenUpper)
                : Histogram(binCount: n, lower: seenLower, upper: seenUpper)
            counts[bin(of: value)] += old
            return
        }
        var level = 0
        var window = (low: 0, high: 0)
        while true {
            window = Self.window(
                lower: seenLower, upper: seenUpper, anchor: anchor, width: width * Double(1 << level), canonical: isCanonical)
            if window.high - window.low + 1 <= n { break }
            level += 1
        }
        var merged = [Double](repeating: 0, count: n)
        for k in 0..<n where counts[k] != 0 {
            let target = floorDiv(firstIndex + k, 1 << level) - window.low
            merged[Swift.min(Swift.max(target, 0), n - 1)] += counts[k]
        }
        counts = merged
        width *= Double(1 << level)
        firstIndex = window.low
        lowerEdge = Float(anchor + Double(window.low) * width)
        upperEdge = Float(anchor + Double(window.low + n) * width)
    }

    /// The binning rule every path shares: ⌊(x − lower)·(n/span)⌋ clamped to [0, n − 1]. It is
    /// torch.histc's rule with the division folded into one factor; on the fixtures it puts at
    /// most 2 of 65,536 values one bin away from torch (values within an ulp of an edge).
    struct Binner {
        let lower: Float
        let factor: Float
        let top: Float
        /// Canonical grids bin by ⌊x/w⌋ − firstIndex, exactly (w is a power of two).
        let canonical: Bool
        let offset: Float
        /// Whether ⌊x/w⌋ stays below 2^22 in the window, so the vector path's float floor is exact.
        let vectorizable: Bool

        init(_ h: Histogram) {
            lower = h.lowerEdge
            top = Float(h.binCount - 1)
            canonical = h.isCanonical
            offset = Float(h.firstIndex)
            factor = canonical ? Float(1 / h.width) : Float(h.binCount) / (h.upperEdge - h.lowerEdge)
            vectorizable = !canonical || Swift.abs(h.firstIndex) + h.binCount < (1 << 22)
        }

        @inline(__always)
        func callAsFunction(_ x: Float) -> Int {
            if canonical {
                var q = x * factor
                q = q < offset ? offset : q
                q = q > offset + top ? offset + top : q
                return Int(q.rounded(.down)) - Int(offset)
            }
            var p = (x - lower) * factor
            p = p < 0 ? 0 : p
            p = p > top ? top : p
            return Int(p)
        }

        /// The same bins for `Histogram.blockSize` contiguous values, eight lanes at a time.
        ///
        /// ⌊p⌋ for |p| < 2^22 with float operations only: adding and removing 1.5·2^23 rounds p
        /// to an integer, a lane that went up steps down; the bin (0 ≤ k < 2^22) plus 2^23 then
        /// holds k in its low mantissa bits (the bits of 2^23 are 0x4B00_0000). On the canonical
        /// grid ⌊x/w⌋ is taken first and the window's first index subtracted after, both exact.
        @inline(__always)
        func vectorIndices(_ values: UnsafePointer<Float>, into indices: UnsafeMutablePointer<Int32>, absolute: Bool) {
            let source = UnsafeRawPointer(values), target = UnsafeMutableRawPointer(indices)
            let f = SIMD8(repeating: factor), one = SIMD8<Float>(repeating: 1)
            let rounder = SIMD8<Float>(repeating: 12_582_912), magic = SIMD8<Float>(repeating: 8_388_608)
            let base = SIMD8(repeating: canonical ? offset : 0), shift = SIMD8(repeating: canonical ? 0 : lower)
            let low = base, high = base + SIMD8(repeating: top)
            for j in 0..<(Histogram.blockSize / 8) {
                var x = source.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self)
                if absolute { x = IntegerKernels.magnitude(x) }
                var p = (x - shift) * f
                p = p.replacing(with: low, lanes: p .< low)
                p = p.replacing(with: high, lanes: p .> high)
                var r = (p + rounder) - rounder
                r = r.replacing(with: r - one, lanes: r .> p)
                let k = unsafeBitCast((r - base) + magic, to: SIMD8<Int32>.self) &- 0x4B00_0000
                target.storeBytes(of: k, toByteOffset: j * 32, as: SIMD8<Int32>.self)
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
        if count < 2 * n || stride != 1 || skipNonFinite || !index.vectorizable {
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
