import QuantCore
import Testing

/// The SIMD fake-quantization kernels against scalar definitions, on every stride and tail.
@Suite("Format fake-quantization kernels")
struct FormatKernelTests {
    static func randomValues(_ count: Int, seed: UInt64, spread: Float) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float.random(in: -spread...spread, using: &generator) }
    }

    /// Runs `kernel` on `values` read with `stride` (a buffer with gaps) and returns the run.
    static func strided(
        _ values: [Float], stride: Int,
        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void
    ) -> [Float] {
        var source = [Float](repeating: .nan, count: max(1, values.count * stride))
        for (i, v) in values.enumerated() { source[i * stride] = v }
        var target = [Float](repeating: 42, count: source.count)
        source.withUnsafeBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in kernel(s.baseAddress!, t.baseAddress!, values.count, stride) }
        }
        for i in 0..<target.count where i % stride != 0 || i / stride >= values.count {
            #expect(target[i] == 42, "the kernel wrote outside its run at \(i)")
        }
        return (0..<values.count).map { target[$0 * stride] }
    }

    @Test("integer kernel = clamp(round(x/s) + z) − z, every stride and tail", arguments: [1, 2, 3, 7], Rounding.allCases)
    func integerKernelMatchesScalar(stride: Int, rounding: Rounding) {
        let grid = IntegerGrid(qmin: -128, qmax: 127, rounding: rounding)
        let params = QuantParams(scale: 0.0173, zeroPoint: -5)
        for count in [0, 1, 7, 8, 9, 15, 16, 17, 33, 100] {
            var values = Self.randomValues(count, seed: UInt64(count), spread: 3)
            if count > 4 { values[1] = 2.5 * 0.0173; values[2] = .infinity; values[3] = -.infinity }
            let got = Self.strided(values, stride: stride) { input, output, n, s in
                IntegerKernels.fakeQuantize(input, output, count: n, stride: s, params: params, grid: grid)
            }
            for (x, y) in zip(values, got) {
                let expected = grid.dequantize(grid.quantize(x, params: params), params: params)
                #expect(y == expected, "x = \(x): \(y) vs \(expected)")
            }
        }
    }

    @Test("integer ties: even vs away, signs, NaN")
    func integerTies() {
        let params = QuantParams(scale: 1)
        let values: [Float] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, -127.5, 0.49999997, -0.3, .nan]
        let even = IntegerGrid(qmin: -128, qmax: 127, rounding: .even)
        let away = IntegerGrid(qmin: -128, qmax: 127, rounding: .away)
        let fqEven = Self.strided(values, stride: 1) {
            IntegerKernels.fakeQuantize($0, $1, count: $2, stride: $3, params: params, grid: even)
        }
        let fqAway = Self.strided(values, stride: 1) {
            IntegerKernels.fakeQuantize($0, $1, count: $2, stride: $3, params: params, grid: away)
        }
        #expect(Array(fqEven.prefix(10)) == [0, 2, 2, -0, -2, -2, 126, -128, 0, -0])
        #expect(Array(fqAway.prefix(10)) == [1, 2, 3, -1, -2, -3, 127, -128, 0, -0])
        #expect(fqEven[9].sign == .minus)
        #expect(fqEven[10].isNaN && fqAway[10].isNaN)
    }

    @Test("minifloat kernel = s·round(clamp(x/s)), every stride and tail", arguments: [1, 2, 5], Rounding.allCases)
    func minifloatKernelMatchesScalar(stride: Int, rounding: Rounding) {
        for codec in [MinifloatCodec.e4m3fn, .e2m1fn, .e5m2, .bf16] {
            let rounder = codec.rounder(rounding)
            let scale: Float = 0.0371
            for count in [0, 3, 8, 16, 31, 64] {
                let values = Self.randomValues(count, seed: UInt64(count + 1000), spread: 20)
                let got = Self.strided(values, stride: stride) { input, output, n, s in
                    MinifloatKernels.fakeQuantize(input, output, count: n, stride: s, scale: scale, rounder: rounder)
                }
                for (x, y) in zip(values, got) {
                    let expected = scale * codec.roundSaturating(x / scale, rounding: rounding)
                    #expect(sameBits(y, expected), "\(codec) x = \(x): \(y) vs \(expected)")
                }
            }
        }
    }

    @Test("kernels may run in place")
    func inPlace() {
        var values = Self.randomValues(50, seed: 7, spread: 1)
        let expected = values.map { 0.01 * (($0 / 0.01).rounded(.toNearestOrEven)) }
        values.withUnsafeMutableBufferPointer { buffer in
            IntegerKernels.fakeQuantize(
                buffer.baseAddress!, buffer.baseAddress!, count: 50, stride: 1, params: QuantParams(scale: 0.01),
                grid: IntegerGrid(qmin: -127, qmax: 127))
        }
        #expect(values == expected)
    }
}
