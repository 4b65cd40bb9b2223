import QuantCore

/// ONNX Runtime's entropy calibration: the window of a signed histogram whose quantized
/// distribution diverges least (KL) from the data, as `EntropyCalibrater` computes it.
///
/// Ports `HistogramCollector.get_entropy_threshold` of ONNX Runtime 1.32
/// (`onnxruntime/python/tools/quantization/calibrate.py`, with `smooth_distribution` from
/// `quant_utils.py`; REFERENCE.md §2.3 "ORT EntropyCalibrater" and §2.8), on the
/// ``StatisticsRequest/symmetricHistogram`` of x over [−A, A], A = max|x|, with the observer's
/// bin count `nb` (2048 by default; there is no separate bin parameter, set
/// ``ObserverConfiguration/histogramBins`` instead). With the zero bin `c = nb/2`, for every
/// `i = nq/2 … nb/2` (`nq` = `quantizedBins`):
/// - the window is bins `[c − i, c + i + 1)` (one bin wider above zero than below);
/// - P is the window's counts with the left outliers added to its first bin and the right
///   outliers to its last;
/// - Q cuts the *un-folded* window into `nq` chunks of ⌊len/nq⌋ bins, the remainder summed into
///   the last chunk's total but never expanded (Q stays 0 there); each chunk's total divided by
///   the number of non-zero P bins in it is written, truncated to an integer, into every bin of
///   the chunk, empty ones included;
/// - both are smoothed (zeros become 1e−4, the non-zeros lose 1e−4·zeros/non-zeros) and
///   D = KL(P‖Q) after normalising both, in float32 as ORT computes it: numpy's pairwise sums and
///   its SIMD float32 `log` (ported below), each D rounded to float32;
/// - the first minimum wins (`np.argmin`) and the range is (edge[c − i], edge[c + i + 1]) on
///   numpy's float32 `linspace` edges, clamped to the observed [min, max].
///
/// What is returned: affine formats get ORT's pair as is (ORT ignores `symmetric` for entropy);
/// symmetric formats get ±max(|low|, |high|) of that pair, so symmetric formats keep symmetric
/// ranges. ORT's defaults (`num_bins = 128`) would leave one candidate, the full range; this
/// plug-in always uses the observer's 2048 bins, as REFERENCE.md §2.3 advises.
///
/// Deviations, stated: our binning (`Histogram.accumulate`, torch.histc's rule in float32) may
/// put a value within an ulp of an edge one bin away from numpy's; after several batches the
/// histogram widens by merging bin pairs (not ORT's growth by whole bins), and the zero bin is
/// then found from the histogram's edges, windows clipped to the histogram. An all-zero tensor
/// (A = 0) returns [min, max] directly, as ORT's clamping does. Where ORT's clamped pair would
/// come back inverted (a window lying wholly below the minimum of a one-signed tensor), we
/// return [min, max] with a note instead. `quantizedBins` ≥ `nb` leaves one candidate, the whole
/// histogram (ORT raises when nq/2 > nb/2; we return the whole histogram's range).
/// - Complexity: O(nb²) per granule (about nb/2 candidates of up to nb bins each).
public struct ORTEntropy: Calibrator {
    /// ORT's `num_quantized_bins` (at least 1): 128 for signed int8, 255 or 256 for uint8.
    public var quantizedBins: Int

    public init(quantizedBins: Int = 128) { self.quantizedBins = quantizedBins }

    public var name: String { quantizedBins == 128 ? "ort-entropy" : "ort-entropy(quantized-bins=\(quantizedBins))" }
    public var requirements: StatisticsRequest { [.range, .symmetricHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        guard quantizedBins >= 1 else {
            throw QuantCoreError.badParameter(
                plugin: "ort-entropy", parameter: "quantized-bins", reason: "must be at least 1 (128 for int8, 256 for uint8)")
        }
        let h = try input.histogram(\.symmetricHistogram, for: name)
        let s = input.statistics
        guard h.binCount > 1, h.total > 0, h.binWidth > 0 else {
            return CalibrationResult(range: input.range(lower: s.min, upper: s.max), note: "degenerate histogram: kept [min, max]")
        }
        let edges = Self.edges(h)
        let (start, end) = Self.bestWindow(h.counts.map { Int64($0) }, zeroBin: Self.zeroBin(h), quantizedBins: quantizedBins)
        var low = edges[start], high = edges[end]
        if low < s.min { low = s.min }
        if high > s.max { high = s.max }
        var note: String? = nil
        if low > high {
            (low, high) = (s.min, s.max)
            note = "ORT's window fell outside the observed values: kept [min, max]"
        }
        return CalibrationResult(range: input.range(lower: low, upper: high), note: note)
    }

    /// numpy's float32 `linspace(lower, upper, nb + 1)`: edge k = fl(fl(k·step) + lower) with
    /// step = fl(fl(upper − lower)/nb), and the last edge exactly `upper`.
    static func edges(_ h: Histogram) -> [Float] {
        let n = h.binCount, lower = h.lowerEdge
        let step = (h.upperEdge - lower) / Float(n)
        var edges = (0...n).map { k -> Float in
            let offset = Float(k) * step
            return offset + lower
        }
        edges[n] = h.upperEdge
        return edges
    }

    /// The bin whose lower edge is zero: nb/2 for one batch (ORT's `zero_bin_index`).
    static func zeroBin(_ h: Histogram) -> Int {
        let c = Int((-Double(h.lowerEdge) / h.binWidth).rounded())
        return Swift.min(Swift.max(c, 0), h.binCount - 1)
    }

    /// ORT's candidate loop: the window `[start, end)` with the smallest float32 divergence, the
    /// first one among ties; the whole histogram when there is no candidate (nq/2 > nb/2).
    static func bestWindow(_ counts: [Int64], zeroBin c: Int, quantizedBins nq: Int) -> (start: Int, end: Int) {
        let n = counts.count
        let first = nq / 2, last = Swift.max(c, n - c - 1)
        guard first <= last else { return (0, n) }
        var prefix = [Int64](repeating: 0, count: n + 1)
        for k in 0..<n { prefix[k + 1] = prefix[k] + counts[k] }
        let work = Workspace(capacity: n, quantizedBins: nq)
        var best: (start: Int, end: Int)? = nil, bestD = Float.infinity
        counts.withUnsafeBufferPointer { countBuffer in
            prefix.withUnsafeBufferPointer { prefixBuffer in
                for i in first...last {
                    let start = Swift.max(c - i, 0), end = Swift.min(c + i + 1, n)
                    let d = work.divergence(
                        countBuffer.baseAddress!, prefix: prefixBuffer.baseAddress!, total: prefix[n], start: start, end: end)
                    // np.argmin: the first minimum, where the first NaN (if any) counts as the minimum.
                    if best == nil || (!bestD.isNaN && (d.isNaN || d < bestD)) { (best, bestD) = ((start, end), d) }
                }
            }
        }
        return best ?? (0, n)
    }

    /// Scratch buffers reused by every candidate, so the loop neither allocates nor pays for
    /// array bounds checks; owned here and freed in `deinit`.
    final class Workspace {
        let p: UnsafeMutablePointer<Int64>, q: UnsafeMutablePointer<Int64>, chunks: UnsafeMutablePointer<Int64>
        let smoothP: UnsafeMutablePointer<Float>, smoothQ: UnsafeMutablePointer<Float>, terms: UnsafeMutablePointer<Float>
        let quantizedBins: Int

        init(capacity: Int, quantizedBins: Int) {
            self.quantizedBins = quantizedBins
            p = .allocate(capacity: capacity)
            q = .allocate(capacity: capacity)
            chunks = .allocate(capacity: quantizedBins)
            smoothP = .allocate(capacity: capacity)
            smoothQ = .allocate(capacity: capacity)
            terms = .allocate(capacity: capacity)
        }

        deinit {
            p.deallocate(); q.deallocate(); chunks.deallocate()
            smoothP.deallocate(); smoothQ.deallocate(); terms.deallocate()
        }

        /// D for the window `[start, end)` of the histogram whose prefix sums are `prefix`,
        /// rounded to float32 (+∞ when P or Q is all zero).
        func divergence(_ counts: UnsafePointer<Int64>, prefix: UnsafePointer<Int64>, total: Int64, start: Int, end: Int) -> Float {
            let len = end - start, nq = quantizedBins
            for j in 0..<len { p[j] = counts[start + j] }
            p[0] += prefix[start]
            p[len - 1] += total - prefix[end]
            let merged = len / nq
            for g in 0..<nq { chunks[g] = prefix[start + (g + 1) * merged] - prefix[start + g * merged] }
            chunks[nq - 1] += prefix[end] - prefix[start + nq * merged]
            q.update(repeating: 0, count: len)
            for g in 0..<nq where merged > 0 {
                let lo = g * merged, hi = lo + merged
                var nonZero: Int64 = 0
                for j in lo..<hi where p[j] != 0 { nonZero += 1 }
                guard nonZero != 0 else { continue }
                // numpy: int64 / int64 is a float64 quotient, stored into int64 (truncated).
                let value = Int64(Double(chunks[g]) / Double(nonZero))
                (q + lo).update(repeating: value, count: merged)
            }
            guard Self.smooth(p, count: len, into: smoothP), Self.smooth(q, count: len, into: smoothQ) else {
                return .infinity
            }
            return entropy(count: len)
        }

        /// `smooth_distribution(p, eps=1e-4)`: false when every entry is zero (ORT's `None`).
        static func smooth(_ values: UnsafePointer<Int64>, count: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
            var zeros = 0
            for j in 0..<count where values[j] == 0 { zeros += 1 }
            let nonZeros = count - zeros
            guard nonZeros > 0 else { return false }
            // eps·n_zeros/n_nonzeros in float64, then added in float32 as numpy's weak scalars are.
            let eps1 = Float(-(1e-4 * Double(zeros) / Double(nonZeros)))
            let eps = Float(1e-4)
            for j in 0..<count { out[j] = Float(values[j]) + (values[j] == 0 ? eps : eps1) }
            return true
        }

        /// calibrate.py's `entropy(p, q)`: both normalised by their float32 sums, then
        /// Σ p·log(p/q), every step in float32; an entry with p ≤ 0 or q ≤ 0 is +∞ (`rel_entr`).
        func entropy(count: Int) -> Float {
            let sumP = NumpyFloat32.pairwise(smoothP, count), sumQ = NumpyFloat32.pairwise(smoothQ, count)
            for j in 0..<count {
                let pk = smoothP[j] / sumP, qk = smoothQ[j] / sumQ
                terms[j] = pk > 0 && qk > 0 ? pk * NumpyFloat32.log(pk / qk) : .infinity
            }
            return NumpyFloat32.pairwise(terms, count)
        }
    }
}

/// numpy's float32 arithmetic where ORT relies on it (numpy 2.x, x86-64 with AVX2).
enum NumpyFloat32 {
    /// `np.sum` of `n` contiguous float32 values: numpy's pairwise summation, blocks of at most
    /// 128 summed in eight interleaved accumulators, larger runs split at a multiple of 8.
    static func pairwise(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
        if n < 8 {
            var s: Float = 0
            for i in 0..<n { s += a[i] }
            return s
        }
        if n <= 128 {
            var r = (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
            var i = 8
            while i < n - n % 8 {
                r.0 += a[i]; r.1 += a[i + 1]; r.2 += a[i + 2]; r.3 += a[i + 3]
                r.4 += a[i + 4]; r.5 += a[i + 5]; r.6 += a[i + 6]; r.7 += a[i + 7]
                i += 8
            }
            var s = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n { s += a[i]; i += 1 }
            return s
        }
        var half = n / 2
        half -= half % 8
        return pairwise(a, half) + pairwise(a + half, n - half)
    }

    /// numpy's SIMD float32 `log` (`npyv_log_FLOAT_kernel`, the AVX2/AVX-512 path): the
    /// mantissa m in [0.5, 1) is doubled when m ≤ √½, then log(1 + y), y = m − 1, is a ratio of
    /// two degree-5 minimax polynomials evaluated with fused multiply-adds, plus e·ln 2. It
    /// differs from a correctly rounded logf in about 5% of inputs (up to 3.83 ulp); ORT's
    /// divergences carry those roundings, so we reproduce them. Positive finite inputs only.
    static func log(_ x: Float) -> Float {
        let bits = x.bitPattern
        var e = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 126)
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F00_0000)
        if m <= 0.707106781186547524400844362104849039 {  // NPY_SQRT1_2f
            m += m
            e -= 1
        }
        let y = m - 1
        // Horner in fused multiply-adds: numpy's NPY_COEFF_P0_LOGf … P5 and Q0 … Q5 (npy_simd_data.h).
        var num = Float(3.808837741388407920751e-01).addingProduct(2.589979117907922693523e-02, y)
        num = Float(1.480000633576506585156e+00).addingProduct(num, y)
        num = Float(2.112677543073053063722e+00).addingProduct(num, y)
        num = Float(9.999999999999998702752e-01).addingProduct(num, y)
        num = Float(0).addingProduct(num, y)
        var den = Float(1.546476374983906719538e-01).addingProduct(5.875095403124574342950e-03, y)
        den = Float(9.864942958519418960339e-01).addingProduct(den, y)
        den = Float(2.453006071784736363091e+00).addingProduct(den, y)
        den = Float(2.612677543073109236779e+00).addingProduct(den, y)
        den = Float(1).addingProduct(den, y)
        return (num / den).addingProduct(e, 0.693147180559945309417232121458176568)
    }
}
