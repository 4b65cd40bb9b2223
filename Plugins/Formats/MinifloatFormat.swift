import QuantCore

/// A small floating-point format with one absmax scale per granule: `fp8-e4m3`, `fp8-e5m2`,
/// `fp6-e3m2`, `fp6-e2m3`, `fp4-e2m1`, `fp16`, `bf16` and `minifloat(e, m)`.
///
/// Scaled (the default for 4-, 6- and 8-bit formats and `minifloat`): s = amax/maxFinite and
/// x̂ = s·cast(clamp(x/s, ±maxFinite)) (REFERENCE §4: "clamp to ±max before casting", since
/// ml_dtypes' E4M3FN/E5M2 casts do not saturate). Rounding is round-half-to-even, bit-exact with
/// ml_dtypes' casts (``MinifloatCodec/encode(_:rounding:)``). A degenerate range (s below the
/// smallest normal float, e.g. all zeros, or not finite) gets s = 1.
///
/// `fp16` and `bf16` default to a plain cast (s = 1, no scale stored): their range already
/// covers any weight or activation, and scaling to the format's maximum is harmful. For bf16,
/// amax/3.39e38 is far below float32's smallest normal value (a subnormal or zero scale), and
/// for fp16 it pushes small values into the subnormal range; `scaled=true` is allowed for
/// experiments and falls back to s = 1 when the scale would be subnormal.
///
/// `minifloat(e, m)` is IEEE-style: bias 2^(e−1) − 1, the all-ones exponent for ±Inf and NaN
/// (with m = 0 there is no NaN code), and gradual underflow. `minifloat(4, 3)` is ml_dtypes'
/// `float8_e4m3` (max 240), not OCP E4M3FN.
///
/// Storage: 1 + e + m bits per element, plus the scale's bits per granule when scaled.
public struct MinifloatFormat: NumericFormat {
    public let name: String
    /// The element codes.
    public let codec: MinifloatCodec
    /// Whether each granule carries a scale (false: a plain cast).
    public let scaled: Bool
    public let scalePrecision: ScalePrecision
    let rounder: MinifloatRounder

    init(arguments: PluginArguments, codec: MinifloatCodec) {
        name = arguments.canonicalName
        self.codec = codec
        scaled = arguments.boolean("scaled")
        scalePrecision = arguments.scalePrecision
        rounder = codec.rounder(.even)
    }

    public var rangeMode: RangeMode { .symmetric }
    public var numberKind: NumberKind { .float }
    public var elementBits: Int { codec.totalBits }
    public var granuleOverheadBits: Int { scaled ? scalePrecision.bits : 0 }
    public var levelsPerSide: Int { 1 << (codec.totalBits - 1) }

    public func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams {
        guard scaled else { return QuantParams(scale: 1) }
        let scale = range.absMax / codec.maxFinite
        guard scale >= Float.leastNormalMagnitude, scale.isFinite else { return QuantParams(scale: 1) }
        return QuantParams(scale: scalePrecision.rounded(scale))
    }

    public func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams
    ) {
        MinifloatKernels.fakeQuantize(input, output, count: count, stride: stride, scale: params.scale, rounder: rounder)
    }
}
