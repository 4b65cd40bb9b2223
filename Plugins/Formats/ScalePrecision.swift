import QuantCore

/// The number type a granule's scale is stored in; it sets the scale's storage bits and how it
/// is rounded.
///
/// Stored fp16 scales are what GPTQ/AWQ-style group quantization ships (REFERENCE §5: int4 with
/// an fp16 scale per group of 128 costs 4 + 16/128 = 4.125 bits per weight).
public enum ScalePrecision: String, Sendable, Codable, CaseIterable {
    case fp32
    case fp16
    case bf16

    /// Bits one stored scale takes.
    public var bits: Int { self == .fp32 ? 32 : 16 }

    /// `scale` rounded to this type with round-half-to-even, kept positive and finite.
    ///
    /// A scale below the type's smallest positive value becomes that value and one above its
    /// largest finite value becomes that value, so rounding never yields a zero or infinite
    /// scale (values near the ends of the range then clip or lose resolution, as they would on
    /// hardware that stores the scale in this type).
    /// - Parameter scale: Positive and finite.
    /// - Returns: The stored scale as a float.
    public func rounded(_ scale: Float) -> Float {
        let codec: MinifloatCodec
        switch self {
        case .fp32: return scale
        case .fp16: codec = .fp16
        case .bf16: codec = .bf16
        }
        let stored = codec.roundSaturating(scale)
        return Swift.max(stored, codec.minSubnormal)
    }
}
