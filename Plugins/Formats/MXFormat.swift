import QuantCore

/// OCP Microscaling (MX v1.0): blocks of 32 elements sharing a power-of-two E8M0 scale.
///
/// For a block with absolute maximum amax (the range's ``ClipRange/absMax``), following the
/// spec and microsoft/microxcaling (`mx/mx_ops.py`, REFERENCE §4.1):
///
/// 1. e = floor(log2(amax)) − emax_elem, where emax_elem is the exponent of the element format's
///    largest normal value (E4M3 8, E5M2 15, E3M2 4, E2M3 2, E2M1 2, INT8 0). An all-zero block
///    uses the smallest normal float32 instead of 0. floor(log2) is the exact binary exponent of
///    amax, taken from its bits; microxcaling computes it with a float32 `log2`, which rounds up
///    for maxima within about 2^−24 (relative) below a power of two, so it can pick e one larger
///    there.
/// 2. e is clamped below at −127, the smallest E8M0 exponent. An e above 127 yields a NaN scale,
///    as in microxcaling (E8M0's NaN code); with emax_elem ≥ 0 that needs a non-finite amax,
///    which calibrators never return.
/// 3. X = 2^e exactly (built from the exponent, not by casting to E8M0, which rounds); note that
///    X may be a float32 subnormal (down to 2^−127), unlike the scales of other formats.
/// 4. Each element is P = round(clamp(V/X, ±max_elem)), saturating, and V̂ = X·P (exact).
///
/// Elements round half to even by default, like ml_dtypes casts; `rounding=away` gives
/// microxcaling's default "nearest" (half away from zero). MXINT8 elements are q·2^−6 with
/// q ∈ [−127, 127] (±1.984375), as microxcaling clamps them.
///
/// Storage: the element bits plus 8 per block of 32 (MXFP4 4.25, MXFP6 6.25, MXFP8/MXINT8 8.25).
public struct MXFormat: NumericFormat {
    /// An MX element type.
    public enum Element: Sendable, Hashable {
        /// A minifloat element, saturating at its largest finite value.
        case minifloat(MinifloatCodec)
        /// An 8-bit two's-complement element with an implicit 2^−6 (max 127/64).
        case int8
    }

    public let name: String
    public let element: Element
    /// The element tie rule.
    public let rounding: Rounding
    let rounder: MinifloatRounder?

    init(arguments: PluginArguments, element: Element) {
        name = arguments.canonicalName
        self.element = element
        rounding = arguments.rounding
        if case let .minifloat(codec) = element {
            rounder = codec.rounder(rounding)
        } else {
            rounder = nil
        }
    }

    /// The exponent of the element format's largest normal value.
    public var elementMaxExponent: Int {
        switch element {
        case let .minifloat(codec): return codec.maxFinite.exponent
        case .int8: return 0
        }
    }

    public var rangeMode: RangeMode { .symmetric }
    public var elementBits: Int {
        switch element {
        case let .minifloat(codec): return codec.totalBits
        case .int8: return 8
        }
    }
    public var granuleOverheadBits: Int { 8 }
    public var levelsPerSide: Int { 1 << (elementBits - 1) }
    public var requiredBlockSize: Int? { 32 }

    /// The shared scale X = 2^e of a block whose largest magnitude is `range.absMax`.
    public func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams {
        let amax = range.absMax
        guard amax.isFinite else { return QuantParams(scale: .nan) }
        let exponent = Int((amax == 0 ? Float.leastNormalMagnitude : amax).exponent) - elementMaxExponent
        guard exponent <= 127 else { return QuantParams(scale: .nan) }
        return QuantParams(scale: Float(sign: .plus, exponent: Swift.max(exponent, -127), significand: 1))
    }

    public func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams
    ) {
        if let rounder {
            MinifloatKernels.fakeQuantize(input, output, count: count, stride: stride, scale: params.scale, rounder: rounder)
        } else {
            let step = QuantParams(scale: params.scale * 0x1p-6)
            IntegerKernels.fakeQuantize(
                input, output, count: count, stride: stride, params: step,
                grid: IntegerGrid(qmin: -127, qmax: 127, rounding: rounding))
        }
    }
}
