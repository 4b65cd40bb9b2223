import QuantCore

/// Eight-lane `exp` and GELU for the engine's element-wise layers.
///
/// `exp` is Cephes' `expf` scheme: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in two parts so r
/// is exact), a degree-6 polynomial for e^r, and 2^n put into the exponent bits; relative error
/// about 2 ulp on [−87.3, 88.3] (the engine calls it with x ≤ 0: softmax after subtracting the
/// row maximum, and erfc), 0 below, +∞ above 88.7. GELU is the exact-erf form
/// 0.5·x·(1 + erf(x/√2)), computed as 0.5·x·erfc(−x/√2) with Numerical Recipes' Chebyshev
/// `erfc` (fractional error below 1.2e-7 everywhere), so the negative tail keeps its relative
/// precision instead of cancelling in 1 − erf.
enum VectorMath {
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Only operations that compile to SSE instructions: the generic SIMD rounding and
        // Float → Int32 conversions go lane by lane through the standard library (3× slower).
        let clamped = minimum(maximum(x, SIMD8(repeating: -87.33654)), SIMD8(repeating: 88.37626))
        // Round to nearest even by adding and subtracting 1.5·2^23; the sum's low mantissa bits
        // then hold n as an integer (|n| ≤ 127 here).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442695041 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693359375
        r = r - n * -2.12194440e-4
        let r2 = r * r
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let er = p * r2 + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
        var result = er * scale
        result = result.replacing(with: .zero, lanes: x .< -87.33654)
        result = result.replacing(with: SIMD8(repeating: .infinity), lanes: x .> 88.72283)
        return result.replacing(with: x, lanes: x .!= x)  // NaN stays NaN
    }

    /// Lane-wise min and max as compare-and-select (NaN in `a` gives `b`).
    @inline(__always)
    static func minimum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, lanes: .!(a .< b)) }
    @inline(__always)
    static func maximum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, lanes: .!(a .> b)) }

    /// |x| by clearing the sign bits.
    @inline(__always)
    static func magnitude(_ x: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
    }

    /// erfc(z) for z ≥ 0 (Numerical Recipes, 2nd ed., §6.2 `erfcc`).
    @inline(__always)
    static func erfcNonNegative(_ z: SIMD8<Float>) -> SIMD8<Float> {
        let t = 1 / (1 + 0.5 * z)
        var p = SIMD8<Float>(repeating: 0.17087277)
        p = p * t - 0.82215223
        p = p * t + 1.48851587
        p = p * t - 1.13520398
        p = p * t + 0.27886807
        p = p * t - 0.18628806
        p = p * t + 0.09678418
        p = p * t + 0.37409196
        p = p * t + 1.00002368
        p = p * t - 1.26551223
        return t * exp(-z * z + p)
    }

    /// 0.5·x·(1 + erf(x/√2)).
    @inline(__always)
    static func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let z = x * 0.70710678118654752
        let tail = erfcNonNegative(magnitude(z))  // erfc(|z|)
        let onePlusErf = tail.replacing(with: 2 - tail, lanes: z .> 0)
        return 0.5 * x * onePlusErf
    }
}

/// GELU as a ``VectorStep`` for ``VectorLoop``.
struct GELUStep: VectorStep {
    @inline(__always)
    func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { VectorMath.gelu(v) }
}

/// ReLU as a ``VectorStep``; NaN stays NaN (as in PyTorch).
struct ReLUStep: VectorStep {
    @inline(__always)
    func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float> { v.replacing(with: .zero, lanes: v .< 0) }
}
