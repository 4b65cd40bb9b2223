import CKernels
import QuantCore

/// Element-wise and row-wise kernels on row-major `[rows, width]` buffers.
enum RowKernels {
    /// max(x, 0) in place.
    static func relu(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { b in
            VectorLoop.map(b.baseAddress!, b.baseAddress!, count: b.count, stride: 1, ReLUStep())
        }
    }

    /// Whether the C kernels for AVX2 + FMA may run on this CPU (checked once).
    static let hasAVX2FMA = qb_has_avx2_fma() != 0

    /// Exact-erf GELU in place: the AVX2 + FMA kernel when the CPU has it, else the Swift one.
    static func gelu(_ x: inout [Float], portable: Bool = false) {
        x.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            if hasAVX2FMA, !portable {
                qb_gelu_avx2(base, b.count)
            } else {
                VectorLoop.map(base, base, count: b.count, stride: 1, GELUStep())
            }
        }
    }

    /// a += b.
    static func add(_ a: inout [Float], _ b: [Float]) {
        a.withUnsafeMutableBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += y[i] }
            }
        }
    }

    /// Normalizes each row to mean 0 and variance 1 (biased, like PyTorch), then scales by
    /// `gamma` and shifts by `beta`. Mean and variance are summed in eight float lanes, two passes.
    static func layerNorm(_ x: inout [Float], width: Int, gamma: [Float], beta: [Float], eps: Float) {
        let rows = x.count / width
        x.withUnsafeMutableBufferPointer { b in
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { bt in
                    for r in 0..<rows {
                        let row = b.baseAddress! + r * width
                        let mean = sum(row, width) / Float(width)
                        let variance = squaredDeviationSum(row, width, mean) / Float(width)
                        let inverse = 1 / (variance + eps).squareRoot()
                        for i in 0..<width { row[i] = (row[i] - mean) * inverse * g[i] + bt[i] }
                    }
                }
            }
        }
    }

    /// Softmax of each row of `row`, in place; entries where `masked` is true get probability 0
    /// (they take PyTorch's additive mask of the float minimum, as Hugging Face BERT does).
    static func softmax(_ row: UnsafeMutablePointer<Float>, _ width: Int, masked: UnsafePointer<Bool>?) {
        if let masked {
            for i in 0..<width where masked[i] { row[i] += -Float.greatestFiniteMagnitude }
        }
        var peak = -Float.infinity
        for i in 0..<width { peak = max(peak, row[i]) }
        var total: Float = 0
        var i = 0
        let raw = UnsafeMutableRawPointer(row)
        while i + 8 <= width {
            let v = VectorMath.exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - peak)
            raw.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            total += v.sum()
            i += 8
        }
        if i < width {
            var v = SIMD8<Float>(repeating: -.infinity)
            for lane in 0..<(width - i) { v[lane] = row[i + lane] - peak }
            let e = VectorMath.exp(v)
            for lane in 0..<(width - i) { row[i + lane] = e[lane]; total += e[lane] }
        }
        let inverse = 1 / total
        for j in 0..<width { row[j] *= inverse }
    }

    /// Each row divided by max(‖row‖₂, 1e-12) (`torch.nn.functional.normalize`).
    static func l2Normalize(_ x: inout [Float], width: Int) {
        let rows = x.count / width
        x.withUnsafeMutableBufferPointer { b in
            for r in 0..<rows {
                let row = b.baseAddress! + r * width
                let norm = squaredDeviationSum(row, width, 0).squareRoot()
                let inverse = 1 / max(norm, 1e-12)
                for i in 0..<width { row[i] *= inverse }
            }
        }
    }

    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>.zero
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n { acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self); i += 8 }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    @inline(__always)
    static func squaredDeviationSum(_ p: UnsafePointer<Float>, _ n: Int, _ mean: Float) -> Float {
        var acc = SIMD8<Float>.zero
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - mean
            acc += d * d
            i += 8
        }
        var s = acc.sum()
        while i < n { let d = p[i] - mean; s += d * d; i += 1 }
        return s
    }
}
