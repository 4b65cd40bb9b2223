/// Scaled minifloat fake quantization: x̂ = s·round(clamp(x/s, ±max)).
///
/// The rounding is ``MinifloatRounder``'s (exact to the format's codes, saturating, NaN passed
/// through). With a power-of-two scale (MX) the division and the product are exact, so the result
/// is 2^e times an element value; with s = 1 (plain fp16/bf16 casts) it is the cast itself.
/// x/s is a true division, as in torchao's NVFP4 and MX code.
public enum MinifloatKernels {
    /// Fake-quantizes `count` values read from `input` with `stride`, writing `output` at the
    /// same positions (`output` may equal `input`).
    ///
    /// - Parameters:
    ///   - scale: Positive and finite.
    ///   - rounder: The element format and tie rule, built once per call site.
    /// - Complexity: O(count), without allocation.
    public static func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        scale: Float, rounder: MinifloatRounder
    ) {
        let s = SIMD8(repeating: scale)
        switch (rounder.awayFromZero, scale == 1) {
        case (false, false):
            VectorLoop.map(input, output, count: count, stride: stride, Step<HalfEven>(rounder: rounder, scale: s))
        case (false, true):
            VectorLoop.map(input, output, count: count, stride: stride, CastStep<HalfEven>(rounder: rounder))
        case (true, false):
            VectorLoop.map(input, output, count: count, stride: stride, Step<HalfAway>(rounder: rounder, scale: s))
        case (true, true):
            VectorLoop.map(input, output, count: count, stride: stride, CastStep<HalfAway>(rounder: rounder))
        }
    }

    /// s·round(x/s).
    struct Step<Tie: TieRule>: VectorStep {
        var rounder: MinifloatRounder
        var scale: SIMD8<Float>

        @inline(__always)
        func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { rounder.round(v / scale, away: Tie.away) * scale }
    }

    /// round(x), for s = 1.
    struct CastStep<Tie: TieRule>: VectorStep {
        var rounder: MinifloatRounder

        @inline(__always)
        func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { rounder.round(v, away: Tie.away) }
    }
}

/// A tie rule as a type, so that specialized kernels have it as a constant.
protocol TieRule { static var away: Bool { get } }
enum HalfEven: TieRule { static var away: Bool { false } }
enum HalfAway: TieRule { static var away: Bool { true } }
