import QuantCore

/// The clipping range that minimises the expected squared quantization error of the target
/// format, searched over the histogram.
///
/// Symmetric formats follow pytorch_quantization's `_compute_amax_mse` (REFERENCE.md §2.4):
/// every centre of the 2048-bin |x| histogram from bin `startBin` (128) up is a candidate
/// threshold; its error is Σ count·(fq(centre) − centre)² with the format's own fake-quantizer
/// at that threshold, so the search is exact for int, fp8, fp4 and any custom format alike; the
/// first minimum wins. Affine formats search the signed histogram: the observed [min', max']
/// (widened to contain 0) is shrunk by p = 1 − k/200 for k = 0…179, GPTQ's `find_params`
/// grid made finer, with the same error on the signed histogram's centres.
public struct MSE: Calibrator {
    public var startBin: Int
    public init(startBin: Int = 128) { self.startBin = startBin }
    public var name: String { startBin == 128 ? "mse" : "mse(start=\(startBin))" }
    public var requirements: StatisticsRequest { [.range, .absHistogram, .signedHistogram] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        switch input.format.rangeMode {
        case .symmetric: return try symmetric(input)
        case .affine: return try affine(input)
        }
    }

    private func symmetric(_ input: CalibrationInput) throws -> CalibrationResult {
        let h = try input.histogram(\.absHistogram, for: name)
        guard h.binWidth > 0 else {
            return CalibrationResult(range: ClipRange(symmetric: input.statistics.absMax), note: "degenerate histogram: kept max|x|")
        }
        let centres = (0..<h.binCount).map { Float(h.centre($0)) }
        var evaluator = ErrorEvaluator(h, centres: centres)
        var best = Double.infinity, bestT = centres[h.binCount - 1]
        for k in Swift.min(startBin, h.binCount - 1)..<h.binCount {
            let t = centres[k]
            let error = evaluator.error(format: input.format, range: ClipRange(symmetric: t), context: input.context)
            if error < best {
                best = error
                bestT = t
            }
        }
        return CalibrationResult(range: ClipRange(symmetric: bestT))
    }

    private func affine(_ input: CalibrationInput) throws -> CalibrationResult {
        let h = try input.histogram(\.signedHistogram, for: name)
        let lower = Swift.min(input.statistics.min, 0), upper = Swift.max(input.statistics.max, 0)
        guard h.binWidth > 0, upper > lower else {
            return CalibrationResult(range: ClipRange(lower: lower, upper: upper), note: "degenerate histogram: kept [min, max]")
        }
        var evaluator = ErrorEvaluator(h, centres: (0..<h.binCount).map { Float(h.centre($0)) })
        var best = Double.infinity, bestRange = ClipRange(lower: lower, upper: upper)
        for k in 0..<180 {
            let p = Float(1 - Double(k) / 200)
            let range = ClipRange(lower: lower * p, upper: upper * p)
            let error = evaluator.error(format: input.format, range: range, context: input.context)
            if error < best {
                best = error
                bestRange = range
            }
        }
        return CalibrationResult(range: bestRange)
    }

}

/// Σ count·(fq(centre) − centre)² over a histogram's non-empty bins (empty bins add nothing,
/// so a 64-value granule costs 64 evaluations per candidate, not 2048).
struct ErrorEvaluator {
    private var centres: [Float] = []
    private var counts: [Double] = []
    private var quantized: [Float]

    init(_ h: Histogram, centres all: [Float]) {
        for k in 0..<h.binCount where h.counts[k] != 0 {
            centres.append(all[k])
            counts.append(h.counts[k])
        }
        quantized = [Float](repeating: 0, count: centres.count)
    }

    mutating func error(format: any NumericFormat, range: ClipRange, context: ScaleContext) -> Double {
        let params = format.parameters(for: range, context: context)
        let n = centres.count
        guard n > 0 else { return 0 }
        centres.withUnsafeBufferPointer { c in
            quantized.withUnsafeMutableBufferPointer { q in
                format.fakeQuantize(c.baseAddress!, q.baseAddress!, count: n, stride: 1, params: params)
            }
        }
        var sum = 0.0
        for k in 0..<n {
            let d = Double(quantized[k] - centres[k])
            sum += counts[k] * d * d
        }
        return sum
    }
}
