/// Everything observed about one granule over all calibration batches.
///
/// Non-finite values (NaN, ±Inf) are skipped by every statistic and counted in
/// ``nonFiniteCount``, so calibrators never see them and reports can say how many there were.
public struct GranuleStatistics: Sendable {
    public private(set) var summary = RangeSummary()
    /// Min and max of each batch, in batch order (when ``StatisticsRequest/batchRanges`` was asked).
    public private(set) var batchRanges: [ClipRange] = []
    public private(set) var absHistogram: Histogram?
    public private(set) var signedHistogram: Histogram?
    /// x over [−A, A] (see ``StatisticsRequest/symmetricHistogram``).
    public private(set) var symmetricHistogram: Histogram?
    public private(set) var moments: Moments?
    /// Σ|x − mean|, exact while one batch has been seen; after more, estimated from the signed
    /// histogram (or from each batch's own mean when there is none).
    private var absDeviationSum: Double = 0
    public private(set) var reservoir: [Float]?
    private var reservoirSeen: UInt64 = 0
    private var rng: SplitMix64
    public private(set) var batches = 0
    public let request: StatisticsRequest
    public let configuration: ObserverConfiguration

    public init(request: StatisticsRequest, configuration: ObserverConfiguration = ObserverConfiguration()) {
        self.request = request
        self.configuration = configuration
        self.rng = SplitMix64(seed: configuration.reservoirSeed)
    }

    /// Finite values seen.
    public var count: Int { summary.finiteCount }
    public var nonFiniteCount: Int { summary.nonFiniteCount }
    public var min: Float { summary.min }
    public var max: Float { summary.max }
    /// max(|min|, |max|), 0 when nothing finite was seen.
    public var absMax: Float { count == 0 ? 0 : Swift.max(Swift.abs(summary.min), Swift.abs(summary.max)) }
    public var mean: Double { summary.mean }

    /// Mean absolute deviation about the mean (ACIQ's Laplace scale b).
    public var meanAbsoluteDeviation: Double {
        guard count > 0 else { return 0 }
        if batches > 1, let h = signedHistogram {
            var s = 0.0
            for k in 0..<h.binCount where h.counts[k] != 0 { s += h.counts[k] * Swift.abs(h.centre(k) - mean) }
            return s / h.total
        }
        return absDeviationSum / Double(count)
    }

    /// Adds one batch: the granule's values are read from `base` at the runs of `partition`'s
    /// granule `granule`.
    public mutating func observe(_ base: UnsafePointer<Float>, partition: GranulePartition, granule: Int) {
        var batch = RangeSummary()
        partition.forEachRun(of: granule) { start, count, stride in
            batch.merge(RangeKernels.summarize(base + start, count: count, stride: stride))
        }
        batches += 1
        summary.merge(batch)
        if request.contains(.batchRanges), batch.finiteCount > 0 {
            batchRanges.append(ClipRange(lower: batch.min, upper: batch.max))
        }
        guard batch.finiteCount > 0 else { return }
        let skip = batch.nonFiniteCount > 0
        if request.contains(.absHistogram) {
            let amax = Swift.max(Swift.abs(batch.min), Swift.abs(batch.max))
            if absHistogram == nil { absHistogram = newHistogram(lower: 0, upper: amax) }
            absHistogram!.widen(toInclude: 0, amax)
            partition.forEachRun(of: granule) { start, count, stride in
                absHistogram!.accumulate(base + start, count: count, stride: stride, absolute: true, skipNonFinite: skip)
            }
        }
        if request.contains(.signedHistogram) {
            if signedHistogram == nil { signedHistogram = newHistogram(lower: batch.min, upper: batch.max) }
            signedHistogram!.widen(toInclude: batch.min, batch.max)
            partition.forEachRun(of: granule) { start, count, stride in
                signedHistogram!.accumulate(base + start, count: count, stride: stride, absolute: false, skipNonFinite: skip)
            }
        }
        if request.contains(.symmetricHistogram) {
            addSymmetric(base, partition: partition, granule: granule, batch: batch, skipNonFinite: skip)
        }
        if request.contains(.moments) {
            // The range pass sums in float lanes; the moments need the mean to double precision,
            // so they take one more pass for the exact sum, then sum powers about that mean.
            var exactSum = 0.0
            partition.forEachRun(of: granule) { start, count, stride in
                exactSum += RangeKernels.centralSums(base + start, count: count, stride: stride, mean: 0, firstOnly: true).m1
            }
            summary.sum += exactSum - batch.sum
            let centre = exactSum / Double(batch.finiteCount)
            var sums = CentralSums()
            partition.forEachRun(of: granule) { start, count, stride in
                sums.add(RangeKernels.centralSums(base + start, count: count, stride: stride, mean: centre))
            }
            var merged = moments ?? Moments()
            merged.merge(sums.moments(count: Double(batch.finiteCount), centre: centre))
            moments = merged
            absDeviationSum += sums.absDeviation
        }
        if request.contains(.reservoir) {
            partition.forEachRun(of: granule) { start, count, stride in
                sample(base + start, count: count, stride: stride)
            }
        }
    }

    /// Bins one batch into the histogram over ±max|x|: the first batch makes it over [−A, A]
    /// (zero sits on the edge between bins n/2 − 1 and n/2, as in ORT); a later batch with a
    /// larger max|x| widens it by merging bin pairs (on the first-batch grid the window then need
    /// not stay centred on zero, so a calibrator locates the zero edge from the histogram).
    private mutating func addSymmetric(
        _ base: UnsafePointer<Float>, partition: GranulePartition, granule: Int, batch: RangeSummary, skipNonFinite: Bool
    ) {
        let amax = Swift.max(Swift.abs(batch.min), Swift.abs(batch.max))
        if symmetricHistogram == nil { symmetricHistogram = newHistogram(lower: -amax, upper: amax) }
        symmetricHistogram!.widen(toInclude: -amax, amax)
        partition.forEachRun(of: granule) { start, count, stride in
            symmetricHistogram!.accumulate(base + start, count: count, stride: stride, absolute: false, skipNonFinite: skipNonFinite)
        }
    }

    private func newHistogram(lower: Float, upper: Float) -> Histogram {
        switch configuration.histogramGrid {
        case .firstBatch: return Histogram(binCount: configuration.histogramBins, lower: lower, upper: upper)
        case .canonical: return Histogram(canonicalBinCount: configuration.histogramBins, lower: lower, upper: upper)
        }
    }

    /// Reservoir sampling (Vitter's algorithm R) of finite values.
    private mutating func sample(_ values: UnsafePointer<Float>, count: Int, stride: Int) {
        let capacity = configuration.reservoirCapacity
        if reservoir == nil { reservoir = [] ; reservoir!.reserveCapacity(Swift.min(capacity, count)) }
        for i in 0..<count {
            let x = values[i * stride]
            guard x.isFinite else { continue }
            reservoirSeen += 1
            if reservoir!.count < capacity {
                reservoir!.append(x)
            } else {
                let j = rng.next() % reservoirSeen
                if j < UInt64(capacity) { reservoir![Int(j)] = x }
            }
        }
    }
}

/// A small deterministic generator for sampling (Steele, Lea and Flood's SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
