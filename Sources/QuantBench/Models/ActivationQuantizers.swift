import QuantCore
import QuantModels
import Synchronization

/// An activation hook that fake-quantizes and measures the error it adds at each site.
public protocol MeasuredActivationHook: ActivationHook {
    /// The quantization error added at each site, over every batch seen.
    var siteErrors: [String: ErrorMetrics] { get }
}

/// Fake-quantizes activations in place with static, calibrated parameters, and measures the
/// error it adds at each site.
public final class StaticActivationQuantizer: MeasuredActivationHook {
    public let recipe: ActivationRecipe
    /// Per site, one calibrated granule per static granule.
    public let sites: [String: [SiteGranule]]
    private let errors = Mutex<[String: ErrorMetrics]>([:])

    init(recipe: ActivationRecipe, sites: [String: [SiteGranule]]) {
        self.recipe = recipe
        self.sites = sites
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard let granules = sites[site.name], let base = values.baseAddress else { return }
        let partition = recipe.partition(site, shape: shape)
        guard partition.granuleCount == granules.count else { return }
        let original = Array(values)
        var metrics = ErrorMetrics()
        original.withUnsafeBufferPointer { source in
            for (g, granule) in granules.enumerated() {
                partition.forEachRun(of: g) { start, count, stride in
                    let before = metrics.count
                    recipe.format.fakeQuantize(source.baseAddress! + start, base + start, count: count, stride: stride, params: granule.params)
                    metrics.accumulate(original: source.baseAddress! + start, quantized: base + start, count: count, stride: stride, range: granule.range)
                    if metrics.count - before < count {
                        restoreNonFinite(source.baseAddress! + start, base + start, count: count, stride: stride)
                    }
                }
            }
        }
        errors.withLock { $0[site.name, default: ErrorMetrics()].merge(metrics) }
    }

    /// The quantization error added at each site, over every batch seen.
    public var siteErrors: [String: ErrorMetrics] { errors.withLock { $0 } }
}

/// Fake-quantizes each token (row) with a range computed from that row at run time; for block
/// formats (MX, NVFP4), each block of the row's features gets its own scale.
///
/// A calibrator that fails on a row leaves that row unquantized and is recorded in
/// ``failure``; the evaluation reports it as an error rather than a number.
public final class DynamicTokenQuantizer: MeasuredActivationHook {
    public let recipe: ActivationRecipe
    private let errors = Mutex<[String: ErrorMetrics]>([:])
    private let firstFailure = Mutex<String?>(nil)

    public init(recipe: ActivationRecipe) {
        self.recipe = recipe
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard recipe.includes(site), let base = values.baseAddress, !shape.isEmpty, values.count > 0 else { return }
        let request = recipe.calibrator.requirements.union(.range)
        let original = Array(values)
        var metrics = ErrorMetrics()
        let whole = original.withUnsafeBufferPointer { RangeKernels.summarize($0.baseAddress!, count: $0.count, stride: 1) }
        let context = ScaleContext(tensorAbsMax: whole.finiteCount > 0 ? Swift.max(Swift.abs(whole.min), Swift.abs(whole.max)) : 0)
        // A token is the feature vector at one position: a row of [tokens, features], or the
        // channels at one pixel of [N, C, H, W] (strided by H·W).
        let axis = Swift.min(site.channelAxis, shape.count - 1)
        let features = shape[axis], inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        let block = recipe.format.requiredBlockSize ?? features
        original.withUnsafeBufferPointer { source in
            for o in 0..<outer {
                for i in 0..<inner {
                    for offset in stride(from: 0, to: features, by: block) {
                        let start = (o * features + offset) * inner + i, count = Swift.min(block, features - offset)
                        quantize(source.baseAddress! + start, base + start, count: count, stride: inner, context: context,
                                 request: request, metrics: &metrics) {
                            "activation '\(site.name)', token \(o * inner + i), features \(offset)..<\(offset + count)"
                        }
                    }
                }
            }
        }
        errors.withLock { $0[site.name, default: ErrorMetrics()].merge(metrics) }
    }

    /// The quantization error added at each site, over every batch seen.
    public var siteErrors: [String: ErrorMetrics] { errors.withLock { $0 } }

    /// The first calibrator failure, naming the site and row, if any row failed.
    public var failure: String? { firstFailure.withLock { $0 } }

    /// Calibrates one granule from its own values and fake-quantizes it in place.
    private func quantize(
        _ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, count: Int, stride: Int, context: ScaleContext,
        request: StatisticsRequest, metrics: inout ErrorMetrics, where place: () -> String
    ) {
        var statistics = GranuleStatistics(request: request, configuration: recipe.observer)
        let run = GranulePartition(cut: .channels, outer: count, axisLength: stride, inner: 1)  // granule 0: count values, stride apart
        statistics.observe(source, partition: run, granule: 0)
        guard statistics.count > 0 else { return }
        let clip: ClipRange
        do {
            clip = try recipe.calibrator.calibrate(
                CalibrationInput(statistics: statistics, format: recipe.format, context: context, tensorName: place())).range
        } catch {
            firstFailure.withLock { $0 = $0 ?? "\(place()): \(error)" }
            return
        }
        let params = recipe.format.parameters(for: clip, context: context)
        recipe.format.fakeQuantize(source, target, count: count, stride: stride, params: params)
        if statistics.nonFiniteCount > 0 { restoreNonFinite(source, target, count: count, stride: stride) }
        metrics.accumulate(original: source, quantized: target, count: count, stride: stride, range: clip)
    }
}
