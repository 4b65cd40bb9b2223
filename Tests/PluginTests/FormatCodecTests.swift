import QuantCore
import Testing

/// Bit-exact agreement of ``MinifloatCodec`` with ml_dtypes (numpy for float16).
@Suite("Minifloat codecs against ml_dtypes")
struct FormatCodecTests {
    @Test("decode of every code", arguments: FormatFixtures.dtypes)
    func decodeEveryCode(dtype: String) throws {
        let fixture = try FormatFixtures.load("\(dtype).json", as: CodecFixture.self)
        let codec = try #require(FormatFixtures.codecs[dtype])
        #expect(fixture.decode.count == codec.codeCount)
        var wrong: [String] = []
        for (code, expected) in fixture.decode.enumerated() {
            let got = codec.decode(UInt32(code))
            if !sameBits(got, Float(bitPattern: expected)) {
                wrong.append("code \(code): \(got) vs \(Float(bitPattern: expected))")
            }
        }
        #expect(wrong.isEmpty, "\(dtype): \(wrong.count) codes differ, e.g. \(wrong.prefix(5))")
    }

    @Test("encode of values, ties, neighbours, specials and random floats", arguments: FormatFixtures.dtypes)
    func encodeMatchesLibrary(dtype: String) throws {
        let fixture = try FormatFixtures.load("\(dtype).json", as: CodecFixture.self)
        let codec = try #require(FormatFixtures.codecs[dtype])
        #expect(fixture.encodeInputs.count == fixture.encodeCodes.count)
        #expect(fixture.encodeInputs.count > 2000)
        var wrong: [String] = []
        for (input, expected) in zip(fixture.encodeInputs, fixture.encodeCodes) {
            let x = Float(bitPattern: input)
            let got = codec.encode(x)
            if got != expected {
                wrong.append("\(x) (\(hexBits(x))): 0x\(String(got, radix: 16)) vs 0x\(String(expected, radix: 16))")
            }
        }
        #expect(wrong.isEmpty, "\(dtype) (\(fixture.library)): \(wrong.count) encodings differ, e.g. \(wrong.prefix(5))")
    }

    @Test("roundSaturating = decode(encode(clamp(x))) with either tie rule", arguments: FormatFixtures.dtypes)
    func roundSaturatingMatchesCodec(dtype: String) throws {
        let fixture = try FormatFixtures.load("\(dtype).json", as: CodecFixture.self)
        let codec = try #require(FormatFixtures.codecs[dtype])
        for rounding in Rounding.allCases {
            let rounder = codec.rounder(rounding)
            var wrong: [String] = []
            for input in fixture.encodeInputs {
                let x = Float(bitPattern: input)
                let clamped = Swift.min(Swift.max(x, -codec.maxFinite), codec.maxFinite)
                let expected = x.isNaN ? x : codec.decode(codec.encode(clamped, rounding: rounding))
                let got = rounder.round(x)
                if !sameBits(got, expected) { wrong.append("\(x): \(got) vs \(expected)") }
            }
            #expect(wrong.isEmpty, "\(dtype) \(rounding): \(wrong.count) differ, e.g. \(wrong.prefix(5))")
        }
    }

    @Test("overflow: E4M3FN gives NaN, E5M2 Inf, FP6/FP4 saturate (REFERENCE §4)")
    func overflowRules() {
        #expect(MinifloatCodec.e4m3fn.encode(464) == 0x7E)
        #expect(MinifloatCodec.e4m3fn.encode(465) == 0x7F)
        #expect(MinifloatCodec.e4m3fn.encode(-465) == 0xFF)
        #expect(MinifloatCodec.e5m2.encode(61439) == 0x7B)
        #expect(MinifloatCodec.e5m2.encode(61440) == 0x7C)
        #expect(MinifloatCodec.e2m1fn.decode(MinifloatCodec.e2m1fn.encode(7)) == 6)
        #expect(MinifloatCodec.e2m1fn.decode(MinifloatCodec.e2m1fn.encode(100)) == 6)
        #expect(MinifloatCodec.e3m2fn.decode(MinifloatCodec.e3m2fn.encode(-.infinity)) == -28)
        #expect(MinifloatCodec.fp16.encode(65519) == 0x7BFF)
        #expect(MinifloatCodec.fp16.encode(65520) == 0x7C00)
        let e4m3 = MinifloatCodec(exponentBits: 4, mantissaBits: 3, specials: .ieee)
        #expect(e4m3.maxFinite == 240)
        #expect(e4m3.encode(248) == 0x78)
    }

    @Test("ties round to even; FP4 cases of REFERENCE §4")
    func tiesToEven() {
        let fp4 = MinifloatCodec.e2m1fn
        let cases: [(Float, Float)] = [(0.25, 0), (0.75, 1), (1.25, 1), (1.75, 2), (2.5, 2), (3.5, 4), (5, 4)]
        for (x, expected) in cases {
            #expect(fp4.decode(fp4.encode(x)) == expected, "fp4(\(x))")
            #expect(fp4.decode(fp4.encode(-x)) == -expected, "fp4(\(-x))")
        }
        #expect(fp4.decode(fp4.encode(2.5, rounding: .away)) == 3)
        #expect(MinifloatCodec.bf16.roundSaturating(1 + 0x1p-8) == 1)
        #expect(MinifloatCodec.bf16.roundSaturating(1 + 3 * 0x1p-8) == 1.015625)
    }

    @Test("NaN, infinities and signed zero")
    func specials() {
        #expect(MinifloatCodec.e4m3fn.encode(.nan) == 0x7F)
        #expect(MinifloatCodec.e4m3fn.encode(-.nan) == 0xFF)
        #expect(MinifloatCodec.e5m2.encode(.nan) == 0x7E)
        #expect(MinifloatCodec.bf16.encode(-.nan) == 0xFFC0)
        #expect(MinifloatCodec.e2m1fn.encode(.nan) == 0x8)  // ml_dtypes: +NaN -> -0
        #expect(MinifloatCodec.e4m3fn.encode(-0.0) == 0x80)
        #expect(MinifloatCodec.e5m2.encode(-.infinity) == 0xFC)
        for codec in FormatFixtures.codecs.values {
            #expect(codec.roundSaturating(.nan).isNaN)
            #expect(codec.roundSaturating(.infinity) == codec.maxFinite)
            #expect(codec.roundSaturating(-0.0).bitPattern == (-0.0 as Float).bitPattern)
        }
    }

    @Test("minifloat(e, m) codecs decode and round consistently", arguments: 2...8, [0, 1, 2, 5, 10])
    func genericCodecsAgree(exponentBits: Int, mantissaBits: Int) {
        let codec = MinifloatCodec(exponentBits: exponentBits, mantissaBits: mantissaBits, specials: .ieee)
        var generator = SplitMix64(seed: UInt64(exponentBits * 100 + mantissaBits))
        for _ in 0..<4000 {
            let x = generator.nextFloat(exponents: -150...130)
            let clamped = Swift.min(Swift.max(x, -codec.maxFinite), codec.maxFinite)
            let expected = codec.decode(codec.encode(clamped))
            #expect(sameBits(codec.roundSaturating(x), expected), "minifloat(\(exponentBits), \(mantissaBits)) at \(x)")
        }
        #expect(codec.decode(codec.encode(codec.maxFinite)) == codec.maxFinite)
        #expect(codec.decode(codec.encode(codec.minSubnormal)) == codec.minSubnormal)
        #expect(codec.decode(codec.encode(codec.minSubnormal / 2)) == 0)
    }
}

extension SplitMix64 {
    /// A float with a random sign, a random significand and a binary exponent in `exponents`
    /// (finite; float32 subnormals when the exponent is below −126).
    mutating func nextFloat(exponents: ClosedRange<Int>) -> Float {
        let exponent = Int.random(in: exponents, using: &self)
        let significand = Float.random(in: 1..<2, using: &self)
        let magnitude = Float(sign: .plus, exponent: Swift.min(exponent, 127), significand: significand)
        return Bool.random(using: &self) ? -magnitude : magnitude
    }
}
