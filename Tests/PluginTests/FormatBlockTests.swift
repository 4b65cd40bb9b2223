import Formats
import QuantCore
import Testing

/// MX and NVFP4 block formats against independent Python oracles.
@Suite("Block formats (MX, NVFP4)")
struct FormatBlockTests {
    @Test("MX blocks: E8M0 scale and elements, RNE and half-away (fixture)")
    func mxFixture() throws {
        let fixture = try FormatFixtures.load("mx_blocks.json", as: MXFixture.self)
        #expect(fixture.cases.count == 6 * 15)
        for item in fixture.cases {
            for rounding in Rounding.allCases {
                let name = rounding == .even ? item.format : "\(item.format)(rounding=away)"
                let format = try FormatPlugins.format(name)
                let inputs = item.inputs.floats
                let amax = inputs.map(abs).max() ?? 0
                let p = format.parameters(for: ClipRange(symmetric: amax), context: ScaleContext(tensorAbsMax: amax))
                #expect(p.scale.bitPattern == item.scale, "\(name) amax \(amax): scale \(p.scale) vs \(Float(bitPattern: item.scale))")
                let expected = (rounding == .even ? item.outputs : item.outputsAway).floats
                let got = format.fakeQuantized(inputs, params: p)
                let wrong = zip(inputs, zip(got, expected)).filter { !sameBits($1.0, $1.1) }
                #expect(wrong.isEmpty, "\(name) amax \(amax): \(wrong.count) differ, e.g. \(wrong.prefix(3))")
            }
        }
    }

    @Test("MX scale: floor(log2 amax) − emax, clamped at 2^−127, exact just below powers of two")
    func mxScaleRule() throws {
        let mxfp4 = try FormatPlugins.format("mxfp4")
        func scale(_ amax: Float, _ format: any NumericFormat) -> Float {
            format.parameters(for: ClipRange(symmetric: amax), context: ScaleContext(tensorAbsMax: amax)).scale
        }
        #expect(scale(6, mxfp4) == 1)
        #expect(scale(7.9, mxfp4) == 1)  // saturates 7.9 to 6: the OCP rule, not rounded up
        #expect(scale(8, mxfp4) == 2)
        #expect(scale(Float(256).nextDown, mxfp4) == 32)  // floor(log2) is exact here (a float log2 says 8)
        #expect(scale(0, mxfp4) == 0x1p-127)
        #expect(scale(Float.leastNonzeroMagnitude, mxfp4) == 0x1p-127)
        #expect(scale(.greatestFiniteMagnitude, try FormatPlugins.format("mxint8")) == 0x1p127)
        #expect(scale(.infinity, mxfp4).isNaN)
        let out = mxfp4.fakeQuantized([7.9, -7.9, 2.5, 0], params: QuantParams(scale: 1))
        #expect(out == [6, -6, 2, 0])
    }

    @Test("MXINT8 elements are multiples of 2^−6 clamped to ±127/64")
    func mxint8() throws {
        let format = try FormatPlugins.format("mxint8")
        let p = format.parameters(for: ClipRange(symmetric: 1.99), context: ScaleContext(tensorAbsMax: 1.99))
        #expect(p.scale == 1)
        let out = format.fakeQuantized([1.99, -1.99, 0.5 / 64, 1.5 / 64, 0.01], params: p)
        let expected: [Float] = [127.0 / 64, -127.0 / 64, 0, 2.0 / 64, 1.0 / 64]
        #expect(out == expected)
    }

    @Test("NVFP4 blocks of 16: E4M3 block scales and E2M1 elements as torchao (fixture)")
    func nvfp4Fixture() throws {
        let fixture = try FormatFixtures.load("nvfp4_blocks.json", as: NVFP4Fixture.self)
        #expect(fixture.torchaoClampMin == 0x1p-6)
        #expect(fixture.cases.count == 8)
        for item in fixture.cases {
            let format = try FormatPlugins.format(item.twoLevel ? "nvfp4" : "nvfp4(two-level=false)")
            let inputs = item.inputs.floats
            let context = ScaleContext(tensorAbsMax: inputs.map(abs).max() ?? 0)
            var output: [Float] = []
            for block in 0..<(inputs.count / 16) {
                let values = Array(inputs[(block * 16)..<(block * 16 + 16)])
                let p = format.parameters(for: ClipRange(symmetric: values.map(abs).max() ?? 0), context: context)
                #expect(p.scale.bitPattern == item.scales[block], "\(format.name) block \(block): \(p.scale) vs \(Float(bitPattern: item.scales[block]))")
                output += format.fakeQuantized(values, params: p)
            }
            let wrong = zip(output, item.outputs.floats).filter { !sameBits($0, $1) }
            #expect(wrong.isEmpty, "\(format.name): \(wrong.count) outputs differ, e.g. \(wrong.prefix(3))")
        }
    }

    @Test("NVFP4 degenerate tensor scale falls back to scale 1")
    func nvfp4Degenerate() throws {
        let format = try FormatPlugins.format("nvfp4")
        let p = format.parameters(for: ClipRange(symmetric: 0), context: ScaleContext(tensorAbsMax: 0))
        #expect(p.scale == 1)
        let single = try FormatPlugins.format("nvfp4(two-level=false)")
        let q = single.parameters(for: ClipRange(symmetric: 0), context: ScaleContext(tensorAbsMax: 0))
        #expect(q.scale == 0x1p-6)
    }
}
