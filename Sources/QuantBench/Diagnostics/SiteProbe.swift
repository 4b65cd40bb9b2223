import QuantCore
import QuantModels
import Synchronization

/// Watches activations without changing them: per site the exact range, sum and count of the
/// finite values, and for each named candidate quantization (a range and its parameters) the
/// error that candidate would add and how many values fall outside its range.
///
/// Counting is exact (every value is compared, nothing is estimated from a histogram). Each
/// visit works on its own copies and merges its totals under a lock, so the probe can watch an
/// evaluation whose batches run in parallel; sums are merged per batch, so only the last bits
/// of the mean depend on the batch order.
public final class SiteProbe: ActivationHook {
    /// What the probe saw at one site.
    public struct Measurement: Sendable {
        /// Exact min, max, sum and count of the finite values.
        public var summary = RangeSummary()
        /// Per candidate: the error its fake quantization adds; `clipped` counts the values
        /// outside the candidate's range.
        public var errors: [String: ErrorMetrics] = [:]

        /// max|x| over the finite values (0 when there were none).
        public var absMax: Float { summary.finiteCount == 0 ? 0 : Swift.max(Swift.abs(summary.min), Swift.abs(summary.max)) }
    }

    private let format: any NumericFormat
    private let candidates: [String: [String: SiteGranule]]
    private let includes: @Sendable (ActivationSite) -> Bool
    private let state = Mutex<[String: Measurement]>([:])

    /// Watches the sites `includes` accepts; `candidates` maps site → candidate name → the
    /// per-tensor granule whose quantization with `format` is measured there.
    public init(
        format: any NumericFormat, candidates: [String: [String: SiteGranule]] = [:],
        includes: @escaping @Sendable (ActivationSite) -> Bool = { _ in true }
    ) {
        self.format = format
        self.candidates = candidates
        self.includes = includes
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard includes(site), let base = values.baseAddress, values.count > 0 else { return }
        var measured = Measurement(summary: RangeKernels.summarize(base, count: values.count, stride: 1))
        if let mine = candidates[site.name], !mine.isEmpty {
            var scratch = [Float](repeating: 0, count: values.count)
            scratch.withUnsafeMutableBufferPointer { target in
                for (name, granule) in mine {
                    format.fakeQuantize(base, target.baseAddress!, count: values.count, stride: 1, params: granule.params)
                    var metrics = ErrorMetrics()
                    metrics.accumulate(original: base, quantized: target.baseAddress!, count: values.count, stride: 1, range: granule.range)
                    measured.errors[name] = metrics
                }
            }
        }
        state.withLock { state in
            var total = state[site.name] ?? Measurement()
            total.summary.merge(measured.summary)
            for (name, metrics) in measured.errors { total.errors[name, default: ErrorMetrics()].merge(metrics) }
            state[site.name] = total
        }
    }

    /// What was seen, per site.
    public var measurements: [String: Measurement] { state.withLock { $0 } }
}

extension SiteGranule {
    /// The granule of `range` quantized with `format` (per-tensor: the context is the range's own max|x|).
    public init(range: ClipRange, format: any NumericFormat) {
        self.init(range: range, params: format.parameters(for: range, context: ScaleContext(tensorAbsMax: range.absMax)))
    }
}
