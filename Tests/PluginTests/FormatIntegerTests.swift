import Formats
import QuantCore
import Testing

/// Integer formats against ONNX Runtime and PyTorch, and the half-step error bound.
@Suite("Integer formats")
struct FormatIntegerTests {
    static let noContext = ScaleContext(tensorAbsMax: 0)

    func params(_ name: String, _ lower: Float, _ upper: Float) throws -> QuantParams {
        try FormatPlugins.format(name).parameters(for: ClipRange(lower: lower, upper: upper), context: Self.noContext)
    }

    @Test("ORT compute_scale_zp vectors, rmin = −1, rmax = 2 (REFERENCE §1.2)")
    func ortVectors() throws {
        let cases: [(String, Float, Float)] = [
            ("int8(symmetric=false)", 0.011764706, -43), ("uint8", 0.011764706, 85),
            ("int8", 0.015748031, 0), ("int4(symmetric=false)", 0.2, -3),
            ("int4(range=full)", 0.2666667, 0),  // ORT's int4 symmetric keeps [−8, 7]: s = 2·amax/15
        ]
        for (name, scale, zero) in cases {
            let p = try params(name, -1, 2)
            #expect(abs(p.scale - scale) <= scale * 1e-6, "\(name): scale \(p.scale), expected \(scale)")
            #expect(p.zeroPoint == zero, "\(name): zero-point \(p.zeroPoint), expected \(zero)")
        }
        let nudged = try params("uint8", -0.3, 1.0)  // REFERENCE §1: s = 0.0050980, z = 59
        #expect(abs(nudged.scale - 0.0050980) < 1e-7 && nudged.zeroPoint == 59)
    }

    @Test("ORT compute_scale_zp and quantize on random ranges and data (fixture)")
    func ortFixture() throws {
        let fixture = try FormatFixtures.load("ort_scale_zp.json", as: ORTFixture.self)
        #expect(fixture.cases.count > 100)
        for item in fixture.cases {
            let format = try FormatPlugins.format(item.format)
            let range = ClipRange(lower: Float(bitPattern: item.lower), upper: Float(bitPattern: item.upper))
            let p = format.parameters(for: range, context: Self.noContext)
            #expect(p.scale.bitPattern == item.scale, "\(item.format) \(range): scale \(p.scale) vs \(Float(bitPattern: item.scale))")
            #expect(p.zeroPoint == Float(item.zeroPoint), "\(item.format) \(range): zero-point")
            let got = format.fakeQuantized(item.inputs.floats, params: p)
            let wrong = zip(got, item.outputs.floats).filter { !sameBits($0, $1) && $0 != $1 }
            #expect(wrong.isEmpty, "\(item.format) \(range): \(wrong.count) outputs differ, e.g. \(wrong.prefix(3))")
        }
    }

    @Test("PyTorch full-range int8: s = amax/127.5, +amax saturates to 127")
    func pytorchFullRange() throws {
        let format = try FormatPlugins.format("int8(range=full)")
        let p0 = format.parameters(for: ClipRange(symmetric: 3.7), context: Self.noContext)
        #expect(p0.scale == 3.7 / 127.5 && p0.zeroPoint == 0)
        let amax: Float = 127.5 / 64  // s = 1/64 exactly, so ±amax/s = ±127.5 are exact ties
        let p = format.parameters(for: ClipRange(symmetric: amax), context: Self.noContext)
        #expect(p.scale == 1.0 / 64)
        let out = format.fakeQuantized([amax, -amax, 0], params: p)
        #expect(out[0] == 127 * p.scale)
        #expect(out[1] == -128 * p.scale)
        #expect(out[2] == 0)
    }

    static let boundCases: [(String, Int)] = (2...16).flatMap { b in
        ["int\(b)", "int\(b)(range=full)", "int\(b)(symmetric=false)", "uint\(b)", "int\(b)(rounding=away)"].map { ($0, b) }
    }

    @Test("|x − fq(x)| ≤ s/2 on in-range values, every width and mode", arguments: boundCases)
    func halfStepBound(name: String, bits: Int) throws {
        let format = try FormatPlugins.format(name)
        var generator = SplitMix64(seed: UInt64(bits) &* 7919 &+ UInt64(name.count))
        for trial in 0..<8 {
            let a = Float.random(in: -5...1, using: &generator), b = Float.random(in: 0...7, using: &generator)
            let range = format.rangeMode == .symmetric
                ? ClipRange(symmetric: Swift.max(abs(a), b)) : ClipRange(lower: Swift.min(a, b), upper: Swift.max(a, b))
            let p = format.parameters(for: range, context: Self.noContext)
            let lower = Swift.min(range.lower, 0), upper = Swift.max(range.upper, 0)
            var values = (0..<200).map { _ in Float.random(in: lower...upper, using: &generator) }
            values += [lower, upper, 0]
            let out = format.fakeQuantized(values, params: p)
            for (x, y) in zip(values, out) {
                let bound = p.scale / 2 + p.scale * 1e-4 + abs(x) * 1e-6
                #expect(abs(x - y) <= bound, "\(name) trial \(trial) \(range) s = \(p.scale): |\(x) − \(y)| > s/2")
            }
        }
    }

    @Test("a degenerate range gets scale 1 and zero-point 0", arguments: ["int8", "int4(symmetric=false)", "uint8", "int8(range=full)"])
    func degenerate(name: String) throws {
        for range in [ClipRange(lower: 0, upper: 0), ClipRange(symmetric: 0x1p-130), ClipRange(lower: -0x1p-140, upper: 0)] {
            let p = try FormatPlugins.format(name).parameters(for: range, context: Self.noContext)
            #expect(p.scale == 1 && p.zeroPoint == 0, "\(name) \(range) gave \(p)")
        }
    }

    @Test("scales stored as fp16 or bf16 are rounded to that type and never zero")
    func scalePrecision() throws {
        let p16 = try params("int4(scale=fp16)", -1, 1)
        #expect(p16.scale == MinifloatCodec.fp16.roundSaturating(1 / 7))
        let tiny = try params("int8(scale=fp16)", -1e-9, 1e-9)
        #expect(tiny.scale == MinifloatCodec.fp16.minSubnormal)
        let huge = try params("int2(scale=fp16)", -1e9, 1e9)
        #expect(huge.scale == 65504)
        let bf = try params("uint8(scale=bf16)", -1, 2)
        #expect(bf.scale == MinifloatCodec.bf16.roundSaturating(3 / 255) && bf.zeroPoint == 85)
    }

    @Test("codes, modes and names")
    func shape() throws {
        let int8 = try #require(try FormatLookup.integer("int8"))
        #expect(int8.grid.qmin == -127 && int8.grid.qmax == 127 && int8.rangeMode == .symmetric)
        #expect(int8.name == "int8" && int8.levelsPerSide == 128 && int8.granuleOverheadBits == 32)
        let affine = try #require(try FormatLookup.integer("int8(symmetric=false)"))
        #expect(affine.grid.qmin == -128 && affine.rangeMode == .affine && affine.granuleOverheadBits == 40)
        #expect(affine.name == "int8(symmetric=false)")
        let uint4 = try #require(try FormatLookup.integer("uint4(scale=fp16)"))
        #expect(uint4.grid.qmin == 0 && uint4.grid.qmax == 15 && uint4.levelsPerSide == 16)
        #expect(uint4.granuleOverheadBits == 20 && uint4.name == "uint4(scale=fp16)")
        let full = try #require(try FormatLookup.integer("int16(range=full, symmetric=true)"))
        #expect(full.grid.qmin == -32768 && full.name == "int16(range=full)")
        #expect(throws: QuantCoreError.self) { try FormatPlugins.format("int1") }
        #expect(throws: QuantCoreError.self) { try FormatPlugins.format("int17") }
        #expect(throws: QuantCoreError.self) { try FormatPlugins.format("int8(rounding=up)") }
    }
}

/// Typed look-ups of built-in formats for tests.
enum FormatLookup {
    static func integer(_ name: String) throws -> IntegerFormat? { try FormatPlugins.format(name) as? IntegerFormat }
    static func minifloat(_ name: String) throws -> MinifloatFormat? { try FormatPlugins.format(name) as? MinifloatFormat }
}
