/// Integer fake quantization: x̂ = s·(clamp(round(x/s) + z, qmin, qmax) − z).
///
/// Computed as s·round(clamp(x/s, qmin − z, qmax − z)), which is the same value because z,
/// qmin and qmax are integers; x/s is a true division, as in ONNX Runtime and torchao (PyTorch's
/// fake_quantize multiplies by 1/s instead, which differs in the last bit of x/s). Rounding
/// uses the float unit: adding and subtracting 1.5·2^23 rounds half to even for |y| < 2^22,
/// which the clamp guarantees; half away from zero fixes up the ties that went down. NaN stays
/// NaN; ±Inf saturate. The sign of a zero result follows x.
public enum IntegerKernels {
    /// Fake-quantizes `count` values read from `input` with `stride`, writing `output` at the
    /// same positions (`output` may equal `input`).
    ///
    /// The contiguous path (stride 1) runs 16 lanes at a time; other strides gather eight
    /// values into a vector.
    /// - Parameters:
    ///   - params: Scale (positive, finite) and zero-point (an integer in [qmin, qmax]).
    ///   - grid: The codes and the tie rule.
    /// - Complexity: O(count), without allocation.
    public static func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams, grid: IntegerGrid
    ) {
        let step = Step(
            scale: SIMD8(repeating: params.scale), low: SIMD8(repeating: Float(grid.qmin) - params.zeroPoint),
            high: SIMD8(repeating: Float(grid.qmax) - params.zeroPoint))
        switch grid.rounding {
        case .even: VectorLoop.map(input, output, count: count, stride: stride, step)
        case .away: VectorLoop.map(input, output, count: count, stride: stride, AwayStep(step: step))
        }
    }

    /// s·round(clamp(x/s, low, high)) with ties to even.
    struct Step: VectorStep {
        var scale: SIMD8<Float>
        var low: SIMD8<Float>
        var high: SIMD8<Float>

        @inline(__always)
        func clamped(_ v: SIMD8<Float>) -> SIMD8<Float> {
            var y = v / scale
            y = y.replacing(with: low, lanes: low .> y)
            y = y.replacing(with: high, lanes: y .> high)
            return y
        }

        @inline(__always)
        func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { roundHalfEven(clamped(v)) * scale }
    }

    /// s·round(clamp(x/s, low, high)) with ties away from zero.
    struct AwayStep: VectorStep {
        var step: Step

        @inline(__always)
        func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { roundHalfAway(step.clamped(v)) * step.scale }
    }

    /// Rounds lanes with |y| < 2^22 to integers, half to even, keeping the sign of zero.
    @inline(__always)
    static func roundHalfEven(_ y: SIMD8<Float>) -> SIMD8<Float> {
        let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5 · 2^23
        let r = (y + magic) - magic
        return withSign(of: y, r)
    }

    /// Rounds lanes with |y| < 2^22 to integers, half away from zero, keeping the sign of zero.
    ///
    /// |y| is rounded half to even, then a tie that went down (|y| − r = 0.5, an exact
    /// difference) goes up. (Flooring |y| + 0.5 would be wrong: for |y| = 0.5 − 2^−25 the sum
    /// rounds to 1.)
    @inline(__always)
    static func roundHalfAway(_ y: SIMD8<Float>) -> SIMD8<Float> {
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let a = magnitude(y)
        var r = (a + magic) - magic
        r = r.replacing(with: r + 1, lanes: a - r .== SIMD8(repeating: 0.5))
        return withSign(of: y, r)
    }

    @inline(__always)
    static func magnitude(_ y: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(y, to: SIMD8<Int32>.self) & Int32.max, to: SIMD8<Float>.self)
    }

    /// `r` (non-negative or of the same sign as `y`) with the sign bit of `y`.
    @inline(__always)
    static func withSign(of y: SIMD8<Float>, _ r: SIMD8<Float>) -> SIMD8<Float> {
        let sign = unsafeBitCast(y, to: SIMD8<Int32>.self) & Int32.min
        return unsafeBitCast(unsafeBitCast(r, to: SIMD8<Int32>.self) | sign, to: SIMD8<Float>.self)
    }
}
