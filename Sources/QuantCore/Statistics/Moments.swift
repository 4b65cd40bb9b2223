/// Central moments of a stream of values, mergeable across batches (Chan et al.'s update).
public struct Moments: Sendable, Hashable {
    public private(set) var count: Double = 0
    public private(set) var mean: Double = 0
    /// Σ(x − mean)^k for k = 2, 3, 4.
    public private(set) var m2: Double = 0
    public private(set) var m3: Double = 0
    public private(set) var m4: Double = 0

    public init() {}

    /// Moments of one batch whose mean is already known, from its power sums about that mean.
    public init(count: Double, mean: Double, m2: Double, m3: Double, m4: Double) {
        self.count = count
        self.mean = mean
        self.m2 = m2
        self.m3 = m3
        self.m4 = m4
    }

    /// Population variance.
    public var variance: Double { count > 0 ? m2 / count : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
    /// Pearson kurtosis (3 for a Gaussian), NaN when the variance is 0.
    public var kurtosis: Double { m2 > 0 ? count * m4 / (m2 * m2) : .nan }
    public var skewness: Double { m2 > 0 ? count.squareRoot() * m3 / (m2 * m2.squareRoot()) : .nan }

    /// Combines two disjoint samples' moments.
    public mutating func merge(_ b: Moments) {
        guard b.count > 0 else { return }
        guard count > 0 else { self = b; return }
        let n = count + b.count, d = b.mean - mean
        let d2 = d * d, na = count, nb = b.count
        let newM4 = m4 + b.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
            + 6 * d2 * (na * na * b.m2 + nb * nb * m2) / (n * n) + 4 * d * (na * b.m3 - nb * m3) / n
        let newM3 = m3 + b.m3 + d2 * d * na * nb * (na - nb) / (n * n) + 3 * d * (na * b.m2 - nb * m2) / n
        m2 += b.m2 + d2 * na * nb / n
        m3 = newM3
        m4 = newM4
        mean += d * nb / n
        count = n
    }
}
