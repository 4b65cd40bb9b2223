/// One pass over finite values: min, max, sum, and the count of NaN/±Inf values skipped.
public struct RangeSummary: Sendable, Hashable {
    public var finiteCount: Int = 0
    public var nonFiniteCount: Int = 0
    public var min: Float = .infinity
    public var max: Float = -.infinity
    public var sum: Double = 0

    public init() {}

    public mutating func merge(_ other: RangeSummary) {
        finiteCount += other.finiteCount
        nonFiniteCount += other.nonFiniteCount
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        sum += other.sum
    }

    public var mean: Double { finiteCount > 0 ? sum / Double(finiteCount) : 0 }
}

public enum RangeKernels {
    /// Summarises `count` values read with `stride`.
    ///
    /// The contiguous path runs eight lanes at a time and only falls back to the element-wise
    /// path, which checks each value, when the block's sum shows a non-finite value.
    /// - Complexity: O(count).
    public static func summarize(_ values: UnsafePointer<Float>, count: Int, stride: Int) -> RangeSummary {
        var summary = RangeSummary()
        guard stride == 1 else {
            scalarSummary(values, count: count, stride: stride, into: &summary)
            return summary
        }
        let block = 1024
        var start = 0
        while start < count {
            let n = Swift.min(block, count - start)
            let p = values + start
            let lanes = n / 8
            if lanes > 0 {
                var lo = SIMD8<Float>(repeating: .infinity), hi = SIMD8<Float>(repeating: -.infinity)
                var s = SIMD8<Float>.zero
                let raw = UnsafeRawPointer(p)
                for l in 0..<lanes {
                    let v = raw.loadUnaligned(fromByteOffset: l * 32, as: SIMD8<Float>.self)
                    lo = pointwiseMin(lo, v)
                    hi = pointwiseMax(hi, v)
                    s += v
                }
                let total = s.sum()
                if total.isFinite && lo.min().isFinite && hi.max().isFinite {
                    summary.min = Swift.min(summary.min, lo.min())
                    summary.max = Swift.max(summary.max, hi.max())
                    summary.sum += Double(total)
                    summary.finiteCount += lanes * 8
                } else {
                    scalarSummary(p, count: lanes * 8, stride: 1, into: &summary)
                }
            }
            scalarSummary(p + lanes * 8, count: n - lanes * 8, stride: 1, into: &summary)
            start += n
        }
        return summary
    }

    @inline(__always)
    static func scalarSummary(_ values: UnsafePointer<Float>, count: Int, stride: Int, into summary: inout RangeSummary) {
        var lo = summary.min, hi = summary.max, s = 0.0, finite = 0
        for i in 0..<count {
            let x = values[i * stride]
            if x.isFinite {
                lo = Swift.min(lo, x)
                hi = Swift.max(hi, x)
                s += Double(x)
                finite += 1
            }
        }
        summary.min = lo
        summary.max = hi
        summary.sum += s
        summary.finiteCount += finite
        summary.nonFiniteCount += count - finite
    }

    /// Power sums about `mean` for the moments, and Σ|x − mean|, over finite values.
    public static func centralSums(_ values: UnsafePointer<Float>, count: Int, stride: Int, mean: Double)
        -> (m2: Double, m3: Double, m4: Double, absDeviation: Double)
    {
        var m2 = 0.0, m3 = 0.0, m4 = 0.0, ad = 0.0
        for i in 0..<count {
            let x = values[i * stride]
            guard x.isFinite else { continue }
            let d = Double(x) - mean, d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
            ad += Swift.abs(d)
        }
        return (m2, m3, m4, ad)
    }
}
