/// What a calibrator is given: one granule's statistics and the format it calibrates for.
public struct CalibrationInput: Sendable {
    public var statistics: GranuleStatistics
    public var format: any NumericFormat
    /// Tensor-wide facts (for formats whose scale depends on the whole tensor).
    public var context: ScaleContext
    /// The tensor's name, for error messages.
    public var tensorName: String

    public init(statistics: GranuleStatistics, format: any NumericFormat, context: ScaleContext, tensorName: String) {
        self.statistics = statistics
        self.format = format
        self.context = context
        self.tensorName = tensorName
    }
}

/// A calibrator's answer: the clipping range, and what it wants a report to say.
public struct CalibrationResult: Sendable, Hashable {
    public var range: ClipRange
    /// A remark for the report (for example that a degenerate histogram was widened).
    public var note: String?

    public init(range: ClipRange, note: String? = nil) {
        self.range = range
        self.note = note
    }
}

/// Turns a granule's statistics into a clipping range for a target format.
///
/// Shaped like swift-log's `LogHandler`: one call taking a parameter value, so the protocol can
/// grow without breaking conformers. A calibrator never reads raw data: it declares the
/// statistics it needs in ``requirements`` and the observer collects them once for all.
/// Symmetric formats (``RangeMode/symmetric``) get ranges symmetric about zero; affine formats
/// get [min, max]-style ranges.
public protocol Calibrator: Sendable {
    /// The canonical plug-in name, e.g. `percentile(99.9)`.
    var name: String { get }
    /// The statistics this calibrator reads.
    var requirements: StatisticsRequest { get }
    func calibrate(_ input: CalibrationInput) throws -> CalibrationResult
}
