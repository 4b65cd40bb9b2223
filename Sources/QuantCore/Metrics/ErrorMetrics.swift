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
    public mutating func accumulate(
        original: UnsafePointer<Float>, quantized: UnsafePointer<Float>, count n: Int, stride: Int, range: ClipRange
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

