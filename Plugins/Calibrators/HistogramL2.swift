import QuantCore

/// PyTorch HistogramObserver's range search: a greedy walk that trims the histogram's tails
/// while the modelled L2 quantization error keeps falling.
///
/// A port of `_non_linear_param_search` and `_compute_quantization_error` of current upstream
/// PyTorch (from Caffe2's `NormMinimization`; REFERENCE.md §2.5), on the 2048-bin histogram of
/// x over [min, max]: from α = 0, β = 1 in steps of 1e−5 of the CDF, move whichever edge
/// crosses more bins; the error of quantizing [start, end] into `2^bits` levels treats the
/// density as uniform inside each bin; stop at the first increase. The result is
/// [min + w·start, min + w·(end + 1)], made symmetric (±max of the two) for symmetric formats,
/// as PyTorch's qparams do. One batch gives PyTorch's numbers; over several batches our
/// histogram widens by merging bins (see ``Histogram``) where PyTorch re-bins by upsampling.
public struct HistogramL2: Calibrator {
    public init() {}
    public var name: String { "hist-l2" }
    public var requirements: StatisticsRequest { [.range, .signedHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let h = try input.histogram(\.signedHistogram, for: name)
        guard h.binWidth > 0 else {
            return CalibrationResult(
                range: input.range(lower: input.statistics.min, upper: input.statistics.max), note: "degenerate histogram: kept [min, max]")
        }
        let levels = 1 << Swift.min(input.format.elementBits, 24)
        let (start, end) = Self.search(h.counts, levels: levels)
        let width = h.binWidth
        let lower = Float(Double(h.lowerEdge) + width * Double(start))
        let upper = Float(Double(h.lowerEdge) + width * Double(end + 1))
        return CalibrationResult(range: input.range(lower: lower, upper: upper))
    }

    /// The greedy search; returns the first and last kept bins.
    static func search(_ histogram: [Double], levels: Int) -> (start: Int, end: Int) {
        let bins = histogram.count
        var cSum = [Double](repeating: 0, count: bins)
        var running = 0.0
        for k in 0..<bins {
            running += histogram[k]
            cSum[k] = running
        }
        let total = running
        let stepSize = 1e-5
        var alpha = 0.0, beta = 1.0
        var start = 0, end = bins - 1
        var normMin = Double.infinity
        while alpha < beta {
            let nextAlpha = alpha + stepSize, nextBeta = beta - stepSize
            var l = start, r = end
            while l < end && cSum[l] < nextAlpha * total { l += 1 }
            while r > start && cSum[r] > nextBeta * total { r -= 1 }
            var nextStart = start, nextEnd = end
            if l - start > end - r {
                nextStart = l
                alpha = nextAlpha
            } else {
                nextEnd = r
                beta = nextBeta
            }
            if nextStart == start && nextEnd == end { continue }
            let norm = quantizationError(histogram, start: nextStart, end: nextEnd, levels: levels)
            if norm > normMin { break }
            normMin = norm
            start = nextStart
            end = nextEnd
        }
        return (start, end)
    }

    /// The modelled L2 error of quantizing bins `start…end` into `levels` bins, in units where a
    /// source bin is 1 wide (the search compares errors only with each other).
    static func quantizationError(_ histogram: [Double], start: Int, end: Int, levels: Int) -> Double {
        let dstWidth = Double(end - start + 1) / Double(levels)
        guard dstWidth > 0 else { return 0 }
        let maxBin = Double(levels - 1)
        @inline(__always) func norm(_ a: Double, _ b: Double, _ density: Double) -> Double {
            density * (b * b * b - a * a * a) / 3
        }
        var total = 0.0
        for k in 0..<histogram.count where histogram[k] != 0 {
            let density = histogram[k]
            let begin = Double(k - start), finish = begin + 1
            let beginBin = Swift.min(Swift.max((begin / dstWidth).rounded(.down), 0), maxBin)
            let endBin = Swift.min(Swift.max((finish / dstWidth).rounded(.down), 0), maxBin)
            let beginCentre = (beginBin + 0.5) * dstWidth
            total += norm(begin - beginCentre, dstWidth / 2, density)
            total += (endBin - beginBin - 1) * norm(-dstWidth / 2, dstWidth / 2, density)
            let endCentre = endBin * dstWidth + dstWidth / 2
            total += norm(-dstWidth / 2, finish - endCentre, density)
        }
        return total
    }
}
