import QuantCore
import QuantModels
import Synchronization

/// Fake-quantizes activations in place with static, calibrated parameters, and measures the
/// error it adds at each site.
public final class StaticActivationQuantizer: ActivationHook {
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

/// Fake-quantizes each token (row) with a range computed from that row at run time.
///
/// A calibrator that fails on a row leaves that row unquantized and is recorded in
/// ``failure``; the evaluation reports it as an error rather than a number.
public final class DynamicTokenQuantizer: ActivationHook {
    public let recipe: ActivationRecipe
    private let errors = Mutex<[String: ErrorMetrics]>([:])
    private let firstFailure = Mutex<String?>(nil)

    public init(recipe: ActivationRecipe) {
        self.recipe = recipe
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard recipe.includes(site), let base = values.baseAddress, let width = shape.last, width > 0 else { return }
        let request = recipe.calibrator.requirements.union(.range)
        let original = Array(values)
        var metrics = ErrorMetrics()
        let row = GranulePartition.whole(count: width)
        original.withUnsafeBufferPointer { source in
            for start in stride(from: 0, to: values.count, by: width) {
                var statistics = GranuleStatistics(request: request, configuration: recipe.observer)
                statistics.observe(source.baseAddress! + start, partition: row, granule: 0)
                guard statistics.count > 0 else { continue }
                let context = ScaleContext(tensorAbsMax: statistics.absMax)
                let clip: ClipRange
                do {
                    clip = try recipe.calibrator.calibrate(
                        CalibrationInput(statistics: statistics, format: recipe.format, context: context, tensorName: site.name)).range
                } catch {
                    firstFailure.withLock { $0 = $0 ?? "activation '\(site.name)', row \(start / width): \(error)" }
                    continue
                }
                let params = recipe.format.parameters(for: clip, context: context)
                recipe.format.fakeQuantize(source.baseAddress! + start, base + start, count: width, stride: 1, params: params)
                if statistics.nonFiniteCount > 0 { restoreNonFinite(source.baseAddress! + start, base + start, count: width, stride: 1) }
                metrics.accumulate(original: source.baseAddress! + start, quantized: base + start, count: width, stride: 1, range: clip)
            }
        }
        errors.withLock { $0[site.name, default: ErrorMetrics()].merge(metrics) }
    }

    /// The quantization error added at each site, over every batch seen.
    public var siteErrors: [String: ErrorMetrics] { errors.withLock { $0 } }

    /// The first calibrator failure, naming the site and row, if any row failed.
    public var failure: String? { firstFailure.withLock { $0 } }
}

/// NaN and ±Inf pass through fake quantization unchanged (as for weights).
@inline(__always)
private func restoreNonFinite(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
    for i in 0..<count where !source[i * stride].isFinite { target[i * stride] = source[i * stride] }
}
