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
                    lo = lo.replacing(with: v, lanes: v .< lo)
                    hi = hi.replacing(with: v, lanes: v .> hi)
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

    /// Power sums about `mean` for the moments, Σ|x − mean| and Σ(x − mean), over finite values.
    /// With `firstOnly`, only Σ(x − mean) is summed.
    public static func centralSums(_ values: UnsafePointer<Float>, count: Int, stride: Int, mean: Double, firstOnly: Bool = false)
        -> CentralSums
    {
        var m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0, ad = 0.0
        if firstOnly {
            for i in 0..<count where values[i * stride].isFinite { m1 += Double(values[i * stride]) - mean }
            return CentralSums(m1: m1)
        }
        for i in 0..<count {
            let x = values[i * stride]
            guard x.isFinite else { continue }
            let d = Double(x) - mean, d2 = d * d
            m1 += d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
            ad += Swift.abs(d)
        }
        return CentralSums(m1: m1, m2: m2, m3: m3, m4: m4, absDeviation: ad)
    }
}

/// Σ(x − c)^k for k = 1…4 and Σ|x − c| about a centre c.
public struct CentralSums: Sendable, Hashable {
    public var m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0, absDeviation = 0.0

    public init(m1: Double = 0, m2: Double = 0, m3: Double = 0, m4: Double = 0, absDeviation: Double = 0) {
        (self.m1, self.m2, self.m3, self.m4, self.absDeviation) = (m1, m2, m3, m4, absDeviation)
    }

    public mutating func add(_ o: CentralSums) {
        m1 += o.m1; m2 += o.m2; m3 += o.m3; m4 += o.m4; absDeviation += o.absDeviation
    }

    /// The moments about the exact mean c + m1/n: the range pass's mean is summed in float lanes,
    /// so the power sums about it are shifted to the mean this pass measured in double precision.
    public func moments(count n: Double, centre c: Double) -> Moments {
        let delta = m1 / n
        let shifted2 = m2 - n * delta * delta
        let shifted3 = m3 - 3 * delta * m2 + 2 * n * delta * delta * delta
        let shifted4 = m4 - 4 * delta * m3 + 6 * delta * delta * m2 - 3 * n * delta * delta * delta * delta
        return Moments(count: n, mean: c + delta, m2: Swift.max(shifted2, 0), m3: shifted3, m4: Swift.max(shifted4, 0))
    }
}
