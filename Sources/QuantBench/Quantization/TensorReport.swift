import QuantCore

/// What quantizing one tensor did: the recipe, every granule's range and parameters, and the error.
public struct TensorReport: Sendable, Codable {
    public struct Granule: Sendable, Codable, Hashable {
        public var lower: Float
        public var upper: Float
        public var scale: Float
        public var zeroPoint: Float

        enum CodingKeys: String, CodingKey {
            case lower, upper, scale
            case zeroPoint = "zero_point"
        }
    }

    public var tensor: String
    public var shape: [Int]
    public var sourceDType: String
    public var format: String
    public var granularity: String
    public var calibrator: String
    public var granules: [Granule]
    public var storageBitsPerElement: Double
    public var mse: Double
    public var sqnrDB: Double
    public var cosine: Double
    public var maxAbsError: Double
    public var clipFraction: Double
    /// NaN and ±Inf values: skipped by calibration and metrics, passed through unchanged.
    public var nonFiniteCount: Int
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case tensor, shape, format, granularity, calibrator, granules, mse, cosine, notes
        case sourceDType = "source_dtype"
        case storageBitsPerElement = "storage_bits_per_element"
        case sqnrDB = "sqnr_db"
        case maxAbsError = "max_abs_error"
        case clipFraction = "clip_fraction"
        case nonFiniteCount = "non_finite_count"
    }
}
