import QuantCore

/// Fake-quantizes whole tensors with a recipe: observe each granule once, calibrate, choose
/// parameters, quantize-dequantize, and measure the error.
///
/// Granules are processed in parallel chunks; each granule's statistics live only while it is
/// calibrated, so a per-group study of a large tensor holds one histogram per worker, not one
/// per granule. Non-finite values are skipped by calibration and metrics, counted, and passed
/// through unchanged.
public struct TensorQuantizer: Sendable {
    public var recipe: QuantizationRecipe

    public init(recipe: QuantizationRecipe) { self.recipe = recipe }

    /// Returns the fake-quantized tensor (same name and shape, float32) and its report.
    ///
    /// - Throws: granularity and compatibility errors, ``QuantCoreError/noFiniteValues(tensor:)``,
    ///   and any calibrator error, each naming the tensor.
    public func quantize(_ tensor: Tensor) throws -> (output: Tensor, report: TensorReport) {
        guard tensor.count > 0 else {
            throw QuantCoreError.incompatible("tensor '\(tensor.name)' has no elements (shape \(tensor.shape)): nothing to quantize")
        }
        let partition = try recipe.partition(shape: tensor.shape, tensor: tensor.name)
        let whole = tensor.values.withUnsafeBufferPointer { RangeKernels.summarize($0.baseAddress!, count: $0.count, stride: 1) }
        guard whole.finiteCount > 0 else { throw QuantCoreError.noFiniteValues(tensor: tensor.name) }
        let context = ScaleContext(tensorAbsMax: Swift.max(Swift.abs(whole.min), Swift.abs(whole.max)))
        var output = tensor
        let recipe = self.recipe
        let granuleCount = partition.granuleCount
        let chunks: [ChunkResult] = try tensor.values.withUnsafeBufferPointer { input in
            try output.values.withUnsafeMutableBufferPointer { out in
                let source = SharedPointer(base: UnsafeMutablePointer(mutating: input.baseAddress!))
                let target = SharedPointer(base: out.baseAddress!)
                // Fixed blocks of granules, reduced in order: the error metrics are the same bit
                // for bit on any number of threads (a sharded run and a local one agree exactly).
                return try parallelBlocks(granuleCount, blockSize: 64, workers: recipe.threads) { range in
                    try Self.process(
                        granules: range, source: source, target: target, partition: partition, recipe: recipe,
                        context: context, tensor: tensor.name)
                }
            }
        }
        var metrics = ErrorMetrics()
        var granules: [TensorReport.Granule] = []
        granules.reserveCapacity(granuleCount)
        var notes: [String] = []
        for chunk in chunks {
            metrics.merge(chunk.metrics)
            granules += chunk.granules
            for note in chunk.notes where !notes.contains(note) { notes.append(note) }
        }
        if whole.nonFiniteCount > 0 {
            notes.append("\(whole.nonFiniteCount) non-finite values (NaN/Inf) ignored by calibration and metrics, passed through unchanged")
        }
        let report = TensorReport(
            tensor: tensor.name, shape: tensor.shape, sourceDType: tensor.sourceDType, format: recipe.format.name,
            granularity: recipe.granularity.name, calibrator: recipe.calibrator.name, granules: granules,
            storageBitsPerElement: recipe.format.storageBitsPerElement(elements: tensor.count, granules: granuleCount),
            mse: metrics.mse, sqnrDB: metrics.sqnrDB, cosine: metrics.cosine, maxAbsError: metrics.maxAbsError,
            clipFraction: metrics.clipFraction, nonFiniteCount: whole.nonFiniteCount, notes: notes)
        return (output, report)
    }

    struct ChunkResult: Sendable {
        var granules: [TensorReport.Granule] = []
        var metrics = ErrorMetrics()
        var notes: [String] = []
    }

    static func process(
        granules range: Range<Int>, source: SharedPointer<Float>, target: SharedPointer<Float>,
        partition: GranulePartition, recipe: QuantizationRecipe, context: ScaleContext, tensor: String
    ) throws -> ChunkResult {
        var result = ChunkResult()
        result.granules.reserveCapacity(range.count)
        let request = recipe.calibrator.requirements.union(.range)
        let input = UnsafePointer(source.base)
        for g in range {
            var statistics = GranuleStatistics(request: request, configuration: recipe.observer)
            statistics.observe(input, partition: partition, granule: g)
            let clip = try calibrate(statistics, granule: g, recipe: recipe, context: context, tensor: tensor, notes: &result.notes)
            let params = recipe.format.parameters(for: clip, context: context)
            guard params.scale > 0, params.scale.isFinite, params.zeroPoint.isFinite else {
                throw QuantCoreError.incompatible(
                    "\(recipe.format.name) produced scale \(params.scale), zero-point \(params.zeroPoint) for range \(clip) "
                        + "(tensor '\(tensor)', granule \(g)); a format must return a positive finite scale")
            }
            partition.forEachRun(of: g) { start, count, stride in
                recipe.format.fakeQuantize(input + start, target.base + start, count: count, stride: stride, params: params)
                if statistics.nonFiniteCount > 0 {
                    restoreNonFinite(input + start, target.base + start, count: count, stride: stride)
                }
                result.metrics.accumulate(
                    original: input + start, quantized: UnsafePointer(target.base + start), count: count, stride: stride, range: clip)
            }
            result.granules.append(.init(lower: clip.lower, upper: clip.upper, scale: params.scale, zeroPoint: params.zeroPoint))
        }
        return result
    }

    /// The calibrator's range for one granule, checked to be usable.
    static func calibrate(
        _ statistics: GranuleStatistics, granule g: Int, recipe: QuantizationRecipe, context: ScaleContext, tensor: String,
        notes: inout [String]
    ) throws -> ClipRange {
        guard statistics.count > 0 else {
            notes.append("granules with no finite value got the degenerate range [0, 0]")
            return ClipRange(lower: 0, upper: 0)
        }
        let result = try recipe.calibrator.calibrate(
            CalibrationInput(statistics: statistics, format: recipe.format, context: context, tensorName: tensor))
        if let note = result.note { notes.append("\(recipe.calibrator.name): \(note)") }
        let clip = result.range
        guard clip.lower.isFinite, clip.upper.isFinite, clip.lower <= clip.upper else {
            throw QuantCoreError.incompatible(
                "calibrator \(recipe.calibrator.name) returned the invalid range \(clip) for tensor '\(tensor)', granule \(g); "
                    + "a range must be finite with lower ≤ upper")
        }
        return clip
    }
}

/// NaN and ±Inf pass through fake quantization unchanged (weights and activations alike).
@inline(__always)
func restoreNonFinite(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
    for i in 0..<count where !source[i * stride].isFinite { target[i * stride] = source[i * stride] }
}
