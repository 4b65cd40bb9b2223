import QuantCore

extension Conformance {
    /// A format must give positive finite scales for every range (degenerate ones included),
    /// represent zero exactly, be idempotent (fq(fq(x)) = fq(x)) and deterministic, read and
    /// write with any stride, and keep in-range values within one step of where they were.
    public static func check(format: any NumericFormat) -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        func fail(_ check: String, _ detail: String) { failures.append(.init(plugin: format.name, check: check, detail: detail)) }
        let ranges = [
            ClipRange(symmetric: 1), ClipRange(lower: -0.3, upper: 1), ClipRange(lower: 0, upper: 6.5), ClipRange(lower: 2, upper: 5),
            ClipRange(lower: 0, upper: 0), ClipRange(lower: -1e-30, upper: 1e-30), ClipRange(symmetric: 3e4),
        ]
        let probe: [Float] = (-64...64).map { Float($0) / 16 } + [0, -0.0, 1e-7, -1e-7]
        for range in ranges {
            let context = ScaleContext(tensorAbsMax: Swift.max(range.absMax, 1))
            let params = format.parameters(for: range, context: context)
            guard params.scale > 0, params.scale.isFinite, params.zeroPoint.isFinite else {
                fail("positive finite scale", "range \(range) gave scale \(params.scale), zero-point \(params.zeroPoint)")
                continue
            }
            let values = probe.map { $0 * Swift.max(range.absMax, 1e-30) }
            let once = format.fakeQuantized(values, params: params)
            let twice = format.fakeQuantized(once, params: params)
            if once.contains(where: { !$0.isFinite }) { fail("finite output", "range \(range) produced a non-finite value") }
            if zip(once, twice).contains(where: { $0.bitPattern != $1.bitPattern && !($0 == 0 && $1 == 0) }) {
                fail("idempotent", "range \(range): fq(fq(x)) ≠ fq(x)")
            }
            if format.fakeQuantized([0], params: params)[0] != 0 { fail("zero exact", "range \(range): fq(0) ≠ 0") }
            if format.fakeQuantized(values, params: params) != once { fail("deterministic", "range \(range): two runs differ") }
            failures += strideCheck(format, values: values, params: params, range: range)
        }
        return failures
    }

    /// Strided reads and writes must equal the contiguous result, and leave other slots alone.
    static func strideCheck(_ format: any NumericFormat, values: [Float], params: QuantParams, range: ClipRange) -> [ConformanceFailure] {
        let contiguous = format.fakeQuantized(values, params: params)
        var interleaved = [Float](repeating: 0, count: values.count * 3)
        for (i, v) in values.enumerated() { interleaved[i * 3] = v }
        var output = [Float](repeating: -7, count: interleaved.count)
        interleaved.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                format.fakeQuantize(src.baseAddress!, dst.baseAddress!, count: values.count, stride: 3, params: params)
            }
        }
        let strided = (0..<values.count).map { output[$0 * 3] }
        let untouched = (0..<output.count).filter { $0 % 3 != 0 }.allSatisfy { output[$0] == -7 }
        guard strided == contiguous, untouched else {
            return [.init(plugin: format.name, check: "strided", detail: "range \(range): stride 3 differs from contiguous or writes between slots")]
        }
        return []
    }
}
