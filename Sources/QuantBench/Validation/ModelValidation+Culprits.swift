import Foundation
import QuantCore
import QuantModels

extension ModelValidation {
    /// Leave-one-out with the best calibrator: each quantized layer in turn goes back to FP32
    /// (its weight, and its input site when activations are quantized) while everything else
    /// stays quantized; layers are ranked by how much of the primary metric that recovers.
    ///
    /// recovery = drop(fp32, best) − drop(fp32, restored); share = recovery / drop(fp32, best).
    func leaveOneOut(
        _ task: any ModelTask, best: Outcome, reference: EvaluationOutput, bestValue: Double, fp32: Double,
        primary: PrimaryMetric, observer: ActivationObserver?
    ) -> [ValidationReport.Culprit] {
        let layers = best.reports.map(\.tensor)
        let validation = self
        let restored = ValidationWorkers.map(layers, jobs: jobs) { weight -> Double in
            var weights = best.weights
            weights[weight] = task.weights[weight]
            let hook = validation.hook(best.hook, without: Self.inputSite(of: weight))
            let output = try validation.evaluate(task, weights: weights, hook: hook)
            return task.metrics(output, reference: reference).first { $0.name == primary.name }?.value ?? .nan
        }
        let bestDrop = primary.drop(fp32: fp32, quantized: bestValue)
        let weightErrors = Dictionary(best.reports.map { ($0.tensor, $0.sqnrDB) }, uniquingKeysWith: { a, _ in a })
        let siteErrors = (best.hook as? any MeasuredActivationHook)?.siteErrors ?? [:]
        var culprits: [ValidationReport.Culprit] = []
        for (weight, result) in zip(layers, restored) {
            guard case let .success(value) = result else { continue }
            let recovery = bestDrop - primary.drop(fp32: fp32, quantized: value)
            let site = Self.inputSite(of: weight)
            let hasSite = activations != nil && task.activationSites.contains { $0.name == site }
            culprits.append(ValidationReport.Culprit(
                layer: Self.layerName(of: weight), weight: weight, site: hasSite ? site : nil, restoredValue: value,
                recovery: recovery, recoveredShare: bestDrop > 0 ? recovery / bestDrop : 0, weightSQNR: weightErrors[weight],
                activationSQNR: siteErrors[site]?.sqnrDB, weightOutlierRatio: Self.outlierRatio(of: task.weights[weight]),
                activationOutlierRatio: hasSite ? Self.outlierRatio(site: site, observer: observer) : nil))
        }
        return culprits.sorted { $0.recovery > $1.recovery }
    }

    /// `hook` with the site `site` left in FP32 (a new hook, so error counts start afresh).
    func hook(_ hook: (any ActivationHook)?, without site: String) -> (any ActivationHook)? {
        if let fixed = hook as? StaticActivationQuantizer {
            return StaticActivationQuantizer(recipe: fixed.recipe, sites: fixed.sites.filter { $0.key != site })
        }
        if let dynamic = hook as? DynamicTokenQuantizer {
            var recipe = dynamic.recipe
            let includes = recipe.includes
            recipe.includes = { includes($0) && $0.name != site }
            return DynamicTokenQuantizer(recipe: recipe)
        }
        return hook
    }

    /// `conv1` for `conv1.weight`.
    static func layerName(of weight: String) -> String {
        weight.hasSuffix(".weight") ? String(weight.dropLast(".weight".count)) : weight
    }

    /// The activation site entering the layer of `weight` (`conv1.input` for `conv1.weight`).
    static func inputSite(of weight: String) -> String { layerName(of: weight) + ".input" }

    /// max|w| / P99(|w|) over the finite elements, P99 exact (numpy's linear interpolation).
    static func outlierRatio(of tensor: Tensor?) -> Double {
        guard let tensor else { return .nan }
        let magnitudes = tensor.values.map { abs($0) }
        guard let p99 = ExactQuantile.quantile(magnitudes, 0.99) else { return .nan }
        let peak = magnitudes.lazy.filter(\.isFinite).max() ?? 0
        return OutlierDiagnostic(absMax: Double(peak), p99: p99).ratio
    }

    /// The largest max|x| / P99(|x|) over the site's granules, from the observed |x| histograms.
    static func outlierRatio(site: String, observer: ActivationObserver?) -> Double? {
        guard let granules = observer?.statistics[site] else { return nil }
        let ratios = granules.compactMap { statistics -> Double? in
            guard let histogram = statistics.absHistogram, statistics.count > 0 else { return nil }
            let p99 = ActivationInspection.quantile(histogram, 0.99)
            return OutlierDiagnostic(absMax: Double(statistics.absMax), p99: p99).ratio
        }
        return ratios.max()
    }
}
