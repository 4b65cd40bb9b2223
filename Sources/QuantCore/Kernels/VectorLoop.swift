/// An element-wise map on eight lanes, applied by ``VectorLoop``.
///
/// Kernels are written as small structs conforming to this protocol rather than closures, so
/// that the loop is specialized for each step and the step is inlined into it.
public protocol VectorStep {
    func callAsFunction(_ v: SIMD8<Float>) -> SIMD8<Float>
}

/// The loop shared by the element-wise kernels: apply a ``VectorStep`` to a strided run.
public enum VectorLoop {
    /// Writes `step(input[i·stride])` to `output[i·stride]` for `i < count`, eight lanes at a time.
    ///
    /// Stride 1 loads and stores unaligned vectors, two per iteration; other strides gather
    /// eight values into a vector and scatter the result. The last partial vector is padded
    /// with zeros, so `step` must accept any float. `output` may equal `input`.
    /// - Complexity: O(count) applications of `step` to eight lanes, without allocation.
    @inlinable @inline(__always)
    public static func map<Step: VectorStep>(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int, _ step: Step
    ) {
        guard count > 0 else { return }
        var i = 0
        if stride == 1 {
            let source = UnsafeRawPointer(input), target = UnsafeMutableRawPointer(output)
            while i + 16 <= count {
                let a = source.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                let b = source.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                target.storeBytes(of: step(a), toByteOffset: i * 4, as: SIMD8<Float>.self)
                target.storeBytes(of: step(b), toByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                i += 16
            }
        }
        while i < count {
            let lanes = Swift.min(8, count - i)
            var v = SIMD8<Float>.zero
            for lane in 0..<lanes { v[lane] = input[(i + lane) * stride] }
            let r = step(v)
            for lane in 0..<lanes { output[(i + lane) * stride] = r[lane] }
            i += lanes
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// `self` with the lanes selected by `mask` replaced by `other`'s, as bitwise operations.
    ///
    /// The standard library's `replace(with:where:)` walks the mask lane by lane and the
    /// optimizer does not always turn that loop back into vector code (it did not in the
    /// minifloat rounder, which then ran 5× slower). A mask's lanes are 0 or −1 in the
    /// `SIMD8<Int32>` it wraps, so the select is `a ^ ((a ^ b) & mask)`.
    @inlinable @inline(__always)
    public func replacing(with other: Self, lanes mask: SIMDMask<SIMD8<Int32>>) -> Self {
        let m = unsafeBitCast(mask, to: SIMD8<Int32>.self)
        let a = unsafeBitCast(self, to: SIMD8<Int32>.self)
        let b = unsafeBitCast(other, to: SIMD8<Int32>.self)
        return unsafeBitCast(a ^ ((a ^ b) & m), to: Self.self)
    }
}
