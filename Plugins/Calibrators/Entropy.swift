import Foundation
import QuantCore

/// TensorRT-style entropy calibration: the clipping threshold whose quantized distribution
/// diverges least (KL) from the calibration distribution.
///
/// Implements pytorch_quantization's `_compute_amax_entropy` (REFERENCE.md §2.3) on the
/// 2048-bin histogram of |x|: bin 0 is first replaced by bin 1 (suppressing the spike at zero);
/// for every candidate `i` from `startBin` to 2048, P is `hist[0..<i]` with the outlier mass
/// folded into its last bin, and Q spreads each of `levels` equal groups' total over the
/// group's non-empty bins; the divergence is KL(P‖Q) after normalising both; the largest `i`
/// among the minima wins and the threshold is the upper edge of bin `i − 1`. `levels` is
/// 2^(b−1) for signed b-bit formats and 2^b for unsigned ones (the format's `levelsPerSide`).
///
/// The divergence is evaluated in closed form per group rather than per bin:
/// Σ_j p_j·log(p_j/q_j) = (1/T_P)·(Σ_j b_j·log b_j − Σ_g S_g·log(S_g/c_g) ± the last bin's
/// correction) + log(T_Q/T_P), with prefix sums for Σ b·log b, S and c. That is the same value
/// in O(levels) per candidate instead of O(i), which keeps calibration under a millisecond.
public struct Entropy: Calibrator {
    public var startBin: Int
    public init(startBin: Int = 128) { self.startBin = startBin }
    public var name: String { startBin == 128 ? "kl" : "kl(start=\(startBin))" }
    public var requirements: StatisticsRequest { [.range, .absHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let h = try input.histogram(\.absHistogram, for: name)
        var bins = h.counts
        let n = bins.count
        guard n > 1, h.total > 0, h.binWidth > 0 else {
            return CalibrationResult(range: input.range(threshold: input.statistics.absMax), note: "degenerate histogram: kept max|x|")
        }
        bins[0] = bins[1]
        let best = Self.bestCandidate(bins, levels: input.format.levelsPerSide, start: Swift.min(startBin, n))
        return CalibrationResult(range: input.range(threshold: Float(h.edge(best))))
    }

    /// The candidate `i` with the smallest divergence, the largest one among ties.
    static func bestCandidate(_ bins: [Double], levels: Int, start: Int) -> Int {
        let n = bins.count
        // Prefix sums: counts, non-empty bins, and b·log b.
        var count = [Double](repeating: 0, count: n + 1)
        var nonEmpty = [Int](repeating: 0, count: n + 1)
        var bLogB = [Double](repeating: 0, count: n + 1)
        for j in 0..<n {
            count[j + 1] = count[j] + bins[j]
            nonEmpty[j + 1] = nonEmpty[j] + (bins[j] > 0 ? 1 : 0)
            bLogB[j + 1] = bLogB[j] + (bins[j] > 0 ? bins[j] * log(bins[j]) : 0)
        }
        let total = count[n]
        var bestI = n, bestD = Double.infinity
        for i in Swift.max(start, 1)...n {
            let d = divergence(i: i, bins: bins, levels: levels, count: count, nonEmpty: nonEmpty, bLogB: bLogB, total: total)
            if d <= bestD {
                bestD = d
                bestI = i
            }
        }
        return bestI
    }

    /// KL(P‖Q) for candidate `i`, or +∞ when P has mass where Q has none.
    static func divergence(
        i: Int, bins: [Double], levels: Int, count: [Double], nonEmpty: [Int], bLogB: [Double], total: Double
    ) -> Double {
        let tail = total - count[i]
        let last = bins[i - 1]
        let lastP = last + tail
        if last == 0 && tail > 0 { return .infinity }
        // Σ_j b_j log q_j over j < i, group by group; and q of the last bin.
        var sumBLogQ = 0.0
        var lastQ = 0.0
        for g in 0..<levels {
            let lo = (g * i + levels - 1) / levels, hi = ((g + 1) * i + levels - 1) / levels
            guard hi > lo else { continue }
            let c = nonEmpty[hi] - nonEmpty[lo]
            guard c > 0 else { continue }
            let s = count[hi] - count[lo]
            let q = s / Double(c)
            sumBLogQ += s * log(q)
            if i - 1 >= lo && i - 1 < hi { lastQ = q }
        }
        let totalQ = count[i]
        guard totalQ > 0 else { return .infinity }
        // P's last bin carries the tail: swap its b·log b and b·log q terms.
        let pLogP = bLogB[i - 1] + (lastP > 0 ? lastP * log(lastP) : 0)
        var pLogQ = sumBLogQ
        if last > 0 { pLogQ += tail * log(lastQ) }
        return (pLogP - pLogQ) / total + log(totalQ / total)
    }
}
