import Formats
import QuantCore
import Testing

/// The format descriptors: ids, names, parameters and storage accounting.
@Suite("Format plug-ins")
struct FormatPluginTests {
    static let ids = [
        "int8", "int2", "int16", "uint8", "uint3", "fp8-e4m3", "fp8-e5m2", "fp6-e3m2", "fp6-e2m3", "fp4-e2m1", "fp16", "bf16",
        "minifloat", "mxfp8-e4m3", "mxfp8-e5m2", "mxfp6-e3m2", "mxfp6-e2m3", "mxfp4", "mxint8", "nvfp4",
    ]

    @Test("every id resolves to a format named by its canonical name", arguments: ids)
    func resolves(id: String) throws {
        let format = try FormatPlugins.format(id)
        #expect(format.name == id)
        #expect(format.levelsPerSide == 1 << (format.elementBits - (format is IntegerFormat && id.hasPrefix("u") ? 0 : 1)))
        let p = format.parameters(for: ClipRange(lower: -1.5, upper: 2), context: ScaleContext(tensorAbsMax: 2))
        #expect(p.scale > 0 && p.scale.isFinite)
        let once = format.fakeQuantized([-1.5, -0.3, 0, 0.7, 2], params: p)
        #expect(format.fakeQuantized(once, params: p) == once, "\(id): fake quantization is idempotent")
    }

    @Test("descriptors: summaries, version 1, unique display ids")
    func descriptors() {
        let list = FormatPlugins.descriptors
        #expect(list.count == 17)
        #expect(Set(list.map(\.displayID)).count == list.count)
        for d in list {
            #expect(!d.summary.isEmpty && !d.summary.contains("\n") && d.version == "1", "\(d.displayID)")
        }
    }

    @Test("storage bits per element (REFERENCE §4.1, §4.2, §5)")
    func storageBits() throws {
        func bits(_ name: String, elements: Int, granules: Int) throws -> Double {
            try FormatPlugins.format(name).storageBitsPerElement(elements: elements, granules: granules)
        }
        #expect(try bits("int4(scale=fp16)", elements: 4096 * 128, granules: 4096) == 4.125)
        #expect(try bits("int4(scale=fp16)", elements: 64, granules: 1) == 4.25)
        #expect(try bits("int4(symmetric=false, scale=fp16)", elements: 128, granules: 1) == 4 + 20.0 / 128)
        #expect(try bits("int8", elements: 4096 * 4096, granules: 4096) == 8 + 32.0 / 4096)
        #expect(try bits("mxfp4", elements: 32 * 100, granules: 100) == 4.25)
        #expect(try bits("mxfp6-e2m3", elements: 32, granules: 1) == 6.25)
        #expect(try bits("mxint8", elements: 32, granules: 1) == 8.25)
        let n = 16 * 1000
        #expect(try bits("nvfp4", elements: n, granules: n / 16) == 4.5 + 32.0 / Double(n))
        #expect(try bits("nvfp4(two-level=false)", elements: n, granules: n / 16) == 4.5)
        #expect(try bits("fp16", elements: 100, granules: 1) == 16)
        #expect(try bits("bf16(scaled=true, scale=bf16)", elements: 16, granules: 1) == 17)
        #expect(try bits("fp8-e4m3", elements: 100, granules: 1) == 8.32)
    }

    @Test("block sizes and tensor overhead")
    func blocks() throws {
        #expect(try FormatPlugins.format("mxfp8-e5m2").requiredBlockSize == 32)
        #expect(try FormatPlugins.format("nvfp4").requiredBlockSize == 16)
        #expect(try FormatPlugins.format("nvfp4").tensorOverheadBits == 32)
        #expect(try FormatPlugins.format("fp8-e4m3").requiredBlockSize == nil)
    }

    @Test("scaled minifloats: s = amax/max, plain casts for fp16/bf16")
    func minifloatScales() throws {
        let context = ScaleContext(tensorAbsMax: 0)
        let e4m3 = try FormatPlugins.format("fp8-e4m3")
        #expect(e4m3.parameters(for: ClipRange(symmetric: 896), context: context).scale == 2)
        #expect(try FormatPlugins.format("fp4-e2m1").parameters(for: ClipRange(symmetric: 3), context: context).scale == 0.5)
        #expect(try FormatPlugins.format("fp16").parameters(for: ClipRange(symmetric: 3), context: context).scale == 1)
        #expect(try FormatPlugins.format("bf16(scaled=true)").parameters(for: ClipRange(symmetric: 3), context: context).scale == 1)
        #expect(e4m3.parameters(for: ClipRange(symmetric: 0), context: context).scale == 1)
        let out = e4m3.fakeQuantized([896, 900, 1000, -2000, 0.001], params: QuantParams(scale: 2))
        let expected: [Float] = [896, 896, 896, -896, 0]  // saturates; 0.001/2 is below half the smallest step
        #expect(out == expected)
        let generic = try #require(try FormatLookup.minifloat("minifloat(5, 2)"))
        #expect(generic.codec.maxFinite == 57344 && generic.name == "minifloat(e=5, m=2)")
        let e4m3ieee = try #require(try FormatLookup.minifloat("minifloat"))
        #expect(e4m3ieee.codec.maxFinite == 240 && e4m3ieee.elementBits == 8 && e4m3ieee.levelsPerSide == 128)
        #expect(throws: QuantCoreError.self) { try FormatPlugins.format("minifloat(e=9)") }
        #expect(throws: QuantCoreError.self) { try FormatPlugins.format("minifloat(m=11)") }
    }
}
