/// Which statistics a calibrator needs; the observer collects the union once for every calibrator.
public struct StatisticsRequest: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Global min, max and abs-max (always collected).
    public static let range = StatisticsRequest(rawValue: 1 << 0)
    /// Per-batch min and max, in batch order (for moving averages).
    public static let batchRanges = StatisticsRequest(rawValue: 1 << 1)
    /// A fine histogram of |x| over [0, max|x|].
    public static let absHistogram = StatisticsRequest(rawValue: 1 << 2)
    /// A fine histogram of x over [min, max].
    public static let signedHistogram = StatisticsRequest(rawValue: 1 << 3)
    /// Mean, variance, skewness, kurtosis and mean absolute deviation.
    public static let moments = StatisticsRequest(rawValue: 1 << 4)
    /// A bounded uniform sample of the raw values.
    public static let reservoir = StatisticsRequest(rawValue: 1 << 5)
    /// A fine histogram of x over [−A, A], A = max|x| of the first batch, centred on zero as ONNX
    /// Runtime's entropy calibrator bins it (`np.histogram(x, bins, range=(−A, A))`, calibrate.py
    /// `collect_value`, ORT 1.32). Later batches widen it with ``Histogram/widen(toInclude:_:)``
    /// to ±max|x| so far, which is not ORT's growth by whole bins; compare with ORT on one batch.
    public static let symmetricHistogram = StatisticsRequest(rawValue: 1 << 6)

    public static let all: StatisticsRequest = [
        .range, .batchRanges, .absHistogram, .signedHistogram, .moments, .reservoir, .symmetricHistogram,
    ]
}

/// Where histogram bins sit (see ``Histogram``).
public enum HistogramGrid: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first batch's [min, max] in equal bins: one-batch results equal the references'.
    case firstBatch = "first-batch"
    /// Power-of-two widths on multiples of the width: the same histogram for every batch order.
    case canonical
}

/// How the observer collects statistics.
public struct ObserverConfiguration: Sendable, Hashable {
    /// Histogram bins; 2048 as in pytorch_quantization, ModelOpt, ONNX Runtime and PyTorch.
    public var histogramBins: Int = 2048
    /// `.firstBatch` for one batch (weights), `.canonical` for calibration over many batches.
    public var histogramGrid: HistogramGrid = .firstBatch
    /// Reservoir capacity per granule.
    public var reservoirCapacity: Int = 65_536
    /// Seed of the reservoir's sampling.
    public var reservoirSeed: UInt64 = 0x5EED

    public init(
        histogramBins: Int = 2048, histogramGrid: HistogramGrid = .firstBatch, reservoirCapacity: Int = 65_536,
        reservoirSeed: UInt64 = 0x5EED
    ) {
        self.histogramBins = histogramBins
        self.histogramGrid = histogramGrid
        self.reservoirCapacity = reservoirCapacity
        self.reservoirSeed = reservoirSeed
    }
}
