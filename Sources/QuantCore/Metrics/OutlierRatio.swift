/// The outlier diagnostic: r = max|x| / P99(|x|) and the calibrator the seed notes' rule
/// recommends for it (REFERENCE.md §2.9: r < 3 → minmax; 3 ≤ r ≤ 10 → percentile(99.99);
/// r > 10 → mse). The rule is a project heuristic whose source was not found; reports say so.
public struct OutlierDiagnostic: Sendable, Hashable, Codable {
    public var absMax: Double
    /// P99 of |x| with numpy's default linear interpolation.
    public var p99: Double
    /// max|x| / P99(|x|); +∞ when P99 is 0 but max is not, 1 when both are 0.
    public var ratio: Double
    public var recommendedCalibrator: String

    public init(absMax: Double, p99: Double) {
        self.absMax = absMax
        self.p99 = p99
        if p99 > 0 {
            ratio = absMax / p99
        } else {
            ratio = absMax > 0 ? .infinity : 1
        }
        recommendedCalibrator = Self.recommend(ratio)
    }

    public static func recommend(_ ratio: Double) -> String {
        if ratio < 3 { return "minmax" }
        if ratio <= 10 { return "percentile(99.99)" }
        return "mse"
    }
}

public enum ExactQuantile {
    /// The q-quantile (0…1) of the finite values, interpolated linearly between order statistics
    /// as numpy's default `percentile` does. O(n) expected (quickselect on a copy).
    public static func quantile(_ values: [Float], _ q: Double) -> Double? {
        var finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let position = q * Double(finite.count - 1)
        let lowIndex = Int(position.rounded(.down))
        let highIndex = Swift.min(lowIndex + 1, finite.count - 1)
        let low = Double(select(&finite, lowIndex))
        guard highIndex != lowIndex else { return low }
        // After selecting lowIndex, the next order statistic is the minimum of the upper part.
        var high = Float.infinity
        for i in (lowIndex + 1)..<finite.count { high = Swift.min(high, finite[i]) }
        let fraction = position - Double(lowIndex)
        return low + (Double(high) - low) * fraction
    }

    /// Rearranges `a` so that `a[k]` is the k-th smallest, smaller ones before, larger after.
    static func select(_ a: inout [Float], _ k: Int) -> Float {
        var rng = SplitMix64(seed: 0x0DD5)
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[lo + Int(rng.next() % UInt64(hi - lo + 1))]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }
}
