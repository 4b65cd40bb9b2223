import QuantCore

/// The statistics `quantbench inspect` prints for one tensor.
public struct TensorInspection: Sendable, Codable {
    public var tensor: String
    public var dtype: String
    public var shape: [Int]
    public var count: Int
    public var nonFiniteCount: Int
    public var min: Float
    public var max: Float
    public var absMax: Float
    public var mean: Double
    public var std: Double
    /// Pearson kurtosis: 3 for a Gaussian, larger for heavy tails.
    public var kurtosis: Double
    /// P99 of |x| (numpy's linear interpolation).
    public var p99Abs: Double
    public var outlierRatio: Double
    public var recommendedCalibrator: String

    enum CodingKeys: String, CodingKey {
        case tensor, dtype, shape, count, min, max, mean, std, kurtosis
        case nonFiniteCount = "non_finite_count"
        case absMax = "abs_max"
        case p99Abs = "p99_abs"
        case outlierRatio = "outlier_ratio"
        case recommendedCalibrator = "recommended_calibrator"
    }

    /// Computes every statistic over the finite values of `tensor`.
    ///
    /// - Throws: ``QuantCoreError/noFiniteValues(tensor:)`` for an empty or all-NaN/Inf tensor.
    public init(_ tensor: Tensor) throws {
        var statistics = GranuleStatistics(request: [.range, .moments])
        tensor.values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                statistics.observe(base, partition: .whole(count: buffer.count), granule: 0)
            }
        }
        guard statistics.count > 0, let moments = statistics.moments else {
            throw QuantCoreError.noFiniteValues(tensor: tensor.name)
        }
        let p99 = ExactQuantile.quantile(tensor.values.map { Swift.abs($0) }, 0.99) ?? 0
        let diagnostic = OutlierDiagnostic(absMax: Double(statistics.absMax), p99: p99)
        self.tensor = tensor.name
        dtype = tensor.sourceDType
        shape = tensor.shape
        count = tensor.count
        nonFiniteCount = statistics.nonFiniteCount
        min = statistics.min
        max = statistics.max
        absMax = statistics.absMax
        mean = statistics.mean
        std = moments.standardDeviation
        kurtosis = moments.kurtosis
        p99Abs = p99
        outlierRatio = diagnostic.ratio
        recommendedCalibrator = diagnostic.recommendedCalibrator
    }
}
