import QuantCore
import QuantModels
import Synchronization

/// Collects statistics of activations over the calibration split, once for many calibrators.
///
/// Each observed site keeps one ``GranuleStatistics`` per granule with the union of what every
/// requested calibrator needs, so one forward pass over the calibration data serves them all.
/// Batches must arrive in order on one thread (EMA and per-batch ranges depend on the order);
/// the lock only makes the hook safe to share.
public final class ActivationObserver: ActivationHook {
    private let recipe: ActivationRecipe
    private let request: StatisticsRequest
    private let state = Mutex<[String: [GranuleStatistics]]>([:])

    /// Observes the sites `recipe` includes, collecting what `calibrators` need (and `extra`).
    public init(recipe: ActivationRecipe, calibrators: [any Calibrator], extra: StatisticsRequest = []) {
        self.recipe = recipe
        request = calibrators.reduce(recipe.calibrator.requirements.union(.range).union(extra)) { $0.union($1.requirements) }
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard recipe.includes(site), let base = values.baseAddress else { return }
        let partition = recipe.partition(site, shape: shape)
        state.withLock { state in
            var granules = state[site.name]
                ?? Array(repeating: GranuleStatistics(request: request, configuration: recipe.observer), count: partition.granuleCount)
            guard granules.count == partition.granuleCount else { return }
            for g in granules.indices { granules[g].observe(base, partition: partition, granule: g) }
            state[site.name] = granules
        }
    }

    /// The statistics gathered per site, granule by granule.
    public var statistics: [String: [GranuleStatistics]] { state.withLock { $0 } }

    /// Static fake-quantization parameters for every observed site, from `calibrator`.
    ///
    /// - Throws: an error naming the site when the calibrator fails or returns an invalid range.
    public func plan(calibrator: any Calibrator) throws -> StaticActivationQuantizer {
        try plan(calibrator: calibrator, recipe: recipe)
    }

    /// Parameters for `recipe` (another format, the same cut) from the statistics observed
    /// here: one observation pass serves every format and calibrator of a sweep.
    ///
    /// - Throws: when `recipe` cuts activations differently, or a calibrator fails on a site.
    public func plan(calibrator: any Calibrator, recipe: ActivationRecipe) throws -> StaticActivationQuantizer {
        guard recipe.cut == self.recipe.cut else {
            throw QuantCoreError.incompatible(
                "statistics observed \(self.recipe.cut.rawValue) cannot calibrate \(recipe.cut.rawValue) activations")
        }
        var sites: [String: [SiteGranule]] = [:]
        for (name, granules) in statistics {
            let context = ScaleContext(tensorAbsMax: granules.map(\.absMax).max() ?? 0)
            sites[name] = try granules.enumerated().map { g, statistics in
                try granule(statistics, calibrator: calibrator, format: recipe.format, context: context, site: name, index: g)
            }
        }
        return StaticActivationQuantizer(recipe: recipe, sites: sites)
    }

    /// One granule's range (the degenerate [0, 0] when it saw no finite value) and parameters.
    private func granule(
        _ statistics: GranuleStatistics, calibrator: any Calibrator, format: any NumericFormat, context: ScaleContext,
        site: String, index: Int
    ) throws -> SiteGranule {
        var clip = ClipRange(lower: 0, upper: 0)
        if statistics.count > 0 {
            clip = try calibrator.calibrate(
                CalibrationInput(statistics: statistics, format: format, context: context, tensorName: site)).range
        }
        guard clip.lower.isFinite, clip.upper.isFinite, clip.lower <= clip.upper else {
            throw QuantCoreError.incompatible(
                "calibrator \(calibrator.name) returned the invalid range \(clip) for activation '\(site)', granule \(index); "
                    + "a range must be finite with lower ≤ upper")
        }
        return SiteGranule(range: clip, params: format.parameters(for: clip, context: context))
    }
}

/// One granule's calibrated range and the parameters it gives.
public struct SiteGranule: Sendable {
    public var range: ClipRange
    public var params: QuantParams
}
