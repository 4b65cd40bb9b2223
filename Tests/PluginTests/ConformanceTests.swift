import Foundation
import QuantBench
import QuantCore
import QuantTestKit
import Testing

/// QuantTestKit's conformance suite over every built-in plug-in.
@Suite struct ConformanceTests {
    static let registry = PluginRegistry.builtIn

    static let formats = [
        "int2", "int3", "int4", "int8", "int16", "int8(range=full)", "int4(symmetric=false)", "int8(symmetric=false)",
        "uint4", "uint8", "int8(rounding=away)", "int4(scale=fp16)", "fp8-e4m3", "fp8-e5m2", "fp6-e3m2", "fp6-e2m3",
        "fp4-e2m1", "fp16", "bf16", "fp16(scaled=true)", "minifloat(e=3, m=4)", "mxfp8-e4m3", "mxfp8-e5m2", "mxfp6-e3m2",
        "mxfp6-e2m3", "mxfp4", "mxint8", "nvfp4", "nvfp4(two-level=false)",
    ]

    @Test func everyBuiltInFormatIsListed() {
        let listed = Set(Self.registry.formats.map(\.displayID))
        for id in ["int<bits>", "uint<bits>", "fp8-e4m3", "fp8-e5m2", "fp6-e3m2", "fp6-e2m3", "fp4-e2m1", "fp16", "bf16",
                   "minifloat", "mxfp8-e4m3", "mxfp8-e5m2", "mxfp6-e3m2", "mxfp6-e2m3", "mxfp4", "mxint8", "nvfp4"] {
            #expect(listed.contains(id), "\(id) missing from the registry")
        }
    }

    @Test(arguments: formats)
    func format(_ name: String) throws {
        let failures = Conformance.check(format: try Self.registry.format(name))
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(arguments: ["minmax", "ema-minmax", "percentile", "percentile(99.9)", "percentile(50)", "mse", "kl", "hist-l2",
                      "aciq", "aciq(gauss)", "aciq(mix)"])
    func calibrator(_ name: String) throws {
        let formats = try ["int8", "int4", "int8(symmetric=false)", "uint8", "fp8-e4m3", "fp4-e2m1", "mxfp4"].map {
            try Self.registry.format($0)
        }
        let failures = Conformance.check(calibrator: try Self.registry.calibrator(name), formats: formats)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func everyRegisteredCalibratorAndGranularityPassesWithDefaults() throws {
        let int8 = try Self.registry.format("int8")
        // Required parameters get a value: the Python calibrator is given its shipped example.
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Plugins/PythonPlugins/examples/percentile.py").standardizedFileURL.path + ":clip"
        for d in Self.registry.calibrators {
            let required = d.parameters.filter { $0.defaultValue == nil }.map { (key: $0.name, value: example) }
            let c = try d.make(try d.arguments(for: PluginSpec(id: d.displayID, named: required)))
            #expect(Conformance.check(calibrator: c, formats: [int8]).isEmpty, "\(d.displayID)")
        }
        for d in Self.registry.granularities {
            let g = try d.make(try d.arguments(for: PluginSpec(id: d.displayID)))
            #expect(Conformance.check(granularity: g).isEmpty, "\(d.displayID)")
        }
    }

    /// The kit must catch a broken plug-in, or passing it means nothing.
    @Test func kitCatchesABrokenCalibrator() throws {
        let int8 = try Self.registry.format("int8")
        struct Inventive: Calibrator {
            var name: String { "inventive" }
            var requirements: StatisticsRequest { .range }
            func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
                CalibrationResult(range: ClipRange(lower: input.statistics.min, upper: 2 * input.statistics.max + 1))
            }
        }
        let failures = Conformance.check(calibrator: Inventive(), formats: [int8])
        #expect(failures.contains { $0.check == "symmetric range" })
        #expect(failures.contains { $0.check == "within observed values" })
    }

    @Test func kitCatchesABrokenFormat() throws {
        struct Sloppy: NumericFormat {
            var name: String { "sloppy" }
            var rangeMode: RangeMode { .symmetric }
            var elementBits: Int { 8 }
            var granuleOverheadBits: Int { 32 }
            var levelsPerSide: Int { 128 }
            func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams { QuantParams(scale: range.absMax / 127) }
            func fakeQuantize(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int, params: QuantParams) {
                for i in 0..<count { output[i * stride] = input[i * stride] + params.scale * 0.3 }
            }
        }
        let failures = Conformance.check(format: Sloppy())
        #expect(failures.contains { $0.check == "positive finite scale" })
        #expect(failures.contains { $0.check == "idempotent" })
        #expect(failures.contains { $0.check == "zero exact" })
    }
}
