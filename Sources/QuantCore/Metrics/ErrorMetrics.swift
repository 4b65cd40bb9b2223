import RealModule

/// How far a fake-quantized tensor is from the original, over its finite values.
///
/// - mse = mean((x − x̂)²)
/// - sqnr_db = 10·log10(Σx² / Σ(x − x̂)²) (PyTorch's compute_sqnr; +∞ when exact)
/// - cosine = ⟨x, x̂⟩ / (‖x‖·‖x̂‖)
/// - max_abs_error = max|x − x̂|
/// - clip_fraction = the share of values outside their granule's calibrated range
public struct ErrorMetrics: Sendable, Hashable, Codable {
    public private(set) var count = 0
    public private(set) var clipped = 0
    private var signalEnergy = 0.0
    private var errorEnergy = 0.0
    private var dot = 0.0
    private var quantizedEnergy = 0.0
    public private(set) var maxAbsError: Double = 0

    public init() {}

    /// Adds `count` pairs read with `stride`; non-finite originals are skipped. Values outside
    /// `range` count as clipped.
    ///
    /// Contiguous input runs eight lanes at a time in blocks of 256, each block's float sums
    /// added into the double totals (a block with a non-finite value is redone element-wise).
    public mutating func accumulate(
        original: UnsafePointer<Float>, quantized: UnsafePointer<Float>, count n: Int, stride: Int, range: ClipRange
    ) {
        var start = 0
        if stride == 1 {
            while start + 256 <= n {
                if !accumulateBlock(original + start, quantized + start, range: range) {
                    accumulateScalar(original + start, quantized + start, count: 256, stride: 1, range: range)
                }
                start += 256
            }
        }
        accumulateScalar(original + start * stride, quantized + start * stride, count: n - start, stride: stride, range: range)
    }

    /// 256 contiguous pairs in vector lanes; false (and nothing added) if a value is not finite.
    private mutating func accumulateBlock(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, range: ClipRange) -> Bool {
        let xs = UnsafeRawPointer(x), ys = UnsafeRawPointer(y)
        var s = SIMD8<Float>.zero, e = SIMD8<Float>.zero, d = SIMD8<Float>.zero, q = SIMD8<Float>.zero
        var m = SIMD8<Float>.zero, inside = SIMD8<Float>.zero
        let lower = SIMD8(repeating: range.lower), upper = SIMD8(repeating: range.upper)
        let zero = SIMD8<Float>.zero, one = SIMD8<Float>(repeating: 1)
        for j in 0..<32 {
            let a = xs.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self)
            let b = ys.loadUnaligned(fromByteOffset: j * 32, as: SIMD8<Float>.self)
            let diff = a - b
            s += a * a
            e += diff * diff
            d += a * b
            q += b * b
            let magnitude = IntegerKernels.magnitude(diff)
            m = m.replacing(with: magnitude, lanes: magnitude .> m)
            // Count values inside [lower, upper] with float selects (mask arithmetic on SIMDMask
            // can fall back to lane-by-lane code).
            let clamped = a.replacing(with: lower, lanes: a .< lower).replacing(with: upper, lanes: a .> upper)
            inside += one.replacing(with: zero, lanes: clamped .!= a)
        }
        let (ss, es, ds, qs, ms) = (s.sum(), e.sum(), d.sum(), q.sum(), m.max())
        guard ss.isFinite && es.isFinite && ds.isFinite && qs.isFinite && ms.isFinite else { return false }
        signalEnergy += Double(ss)
        errorEnergy += Double(es)
        dot += Double(ds)
        quantizedEnergy += Double(qs)
        maxAbsError = Swift.max(maxAbsError, Double(ms))
        count += 256
        clipped += 256 - Int(inside.sum())
        return true
    }

    private mutating func accumulateScalar(
        _ original: UnsafePointer<Float>, _ quantized: UnsafePointer<Float>, count n: Int, stride: Int, range: ClipRange
    ) {
        var s = 0.0, e = 0.0, d = 0.0, q = 0.0, m = maxAbsError
        var c = 0, clip = 0
        for i in 0..<n {
            let x = original[i * stride]
            guard x.isFinite else { continue }
            let y = quantized[i * stride]
            let xd = Double(x), yd = Double(y), diff = xd - yd
            s += xd * xd
            e += diff * diff
            d += xd * yd
            q += yd * yd
            m = Swift.max(m, Swift.abs(diff))
            c += 1
            if x < range.lower || x > range.upper { clip += 1 }
        }
        signalEnergy += s
        errorEnergy += e
        dot += d
        quantizedEnergy += q
        maxAbsError = m
        count += c
        clipped += clip
    }

    public mutating func merge(_ other: ErrorMetrics) {
        count += other.count
        clipped += other.clipped
        signalEnergy += other.signalEnergy
        errorEnergy += other.errorEnergy
        dot += other.dot
        quantizedEnergy += other.quantizedEnergy
        maxAbsError = Swift.max(maxAbsError, other.maxAbsError)
    }

    public var mse: Double { count > 0 ? errorEnergy / Double(count) : 0 }

    /// +∞ when the error is zero; NaN when the signal is zero too.
    public var sqnrDB: Double {
        if errorEnergy == 0 { return signalEnergy == 0 ? .nan : .infinity }
        return 10 * Double.log10(signalEnergy / errorEnergy)
    }

    /// 1 when both are zero (nothing was changed); 0 when only one is.
    public var cosine: Double {
        let norms = (signalEnergy * quantizedEnergy).squareRoot()
        if norms == 0 { return signalEnergy == quantizedEnergy ? 1 : 0 }
        return dot / norms
    }

    public var clipFraction: Double { count > 0 ? Double(clipped) / Double(count) : 0 }
}

