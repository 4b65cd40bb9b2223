import QuantBench
import QuantCore
import QuantTestKit
import Testing

/// The calibrator of docs/ImplementingACalibrator.md, as written there, registered in a copy of
/// the built-in registry: the guide's code compiles, conforms and is usable by name.
struct SigmaClip: Calibrator {
    var k: Double
    init(k: Double = 4) { self.k = k }
    var name: String { "sigma-clip(k=\(k))" }
    var requirements: StatisticsRequest { [.range, .moments] }

    func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let s = input.statistics
        guard let moments = s.moments else {
            throw QuantCoreError.incompatible("sigma-clip needs moments of '\(input.tensorName)'")
        }
        let spread = Float(k * moments.standardDeviation), mean = Float(s.mean)
        switch input.format.rangeMode {
        case .symmetric:
            return CalibrationResult(range: ClipRange(symmetric: min(abs(mean) + spread, s.absMax)))
        case .affine:
            return CalibrationResult(range: ClipRange(lower: max(s.min, mean - spread), upper: min(s.max, mean + spread)))
        }
    }
}

@Suite struct GuideExampleTests {
    static var registry: PluginRegistry {
        var registry = PluginRegistry.builtIn
        registry.register(calibrator: PluginDescriptor(
            .exact("sigma-clip"),
            parameters: [PluginParameter("k", .real(0...100, openLower: true), default: "4", "standard deviations kept")],
            summary: "clip at mean ± k·σ"
        ) { args in SigmaClip(k: args.real("k")) })
        return registry
    }

    @Test func conformsAndResolvesByName() throws {
        let registry = Self.registry
        let formats = try ["int8", "int4(symmetric=false)", "fp8-e4m3"].map { try registry.format($0) }
        #expect(Conformance.check(calibrator: try registry.calibrator("sigma-clip"), formats: formats).isEmpty)
        #expect(try registry.calibrator("sigma-clip(3)").name == "sigma-clip(k=3.0)")
        #expect(throws: QuantCoreError.self) { try registry.calibrator("sigma-clip(k=-1)") }
    }

    // Hand-derived: [-2, -1, 0, 1, 2] has mean 0 and σ = √2, so k = 1 clips at ±√2.
    @Test func clipsAtKSigma() throws {
        let (range, _) = try calibrateWith(Self.registry, "sigma-clip(1)", "int8", [-2, -1, 0, 1, 2])
        #expect(abs(range.upper - 2.0.squareRoot().float) < 1e-6 && range.lower == -range.upper)
    }

    func calibrateWith(_ registry: PluginRegistry, _ calibrator: String, _ format: String, _ values: [Float]) throws
        -> (ClipRange, QuantParams)
    {
        let s = observe(values)
        let f = try registry.format(format)
        let context = ScaleContext(tensorAbsMax: s.absMax)
        let r = try registry.calibrator(calibrator).calibrate(CalibrationInput(statistics: s, format: f, context: context, tensorName: "t"))
        return (r.range, f.parameters(for: r.range, context: context))
    }
}

extension Double {
    var float: Float { Float(self) }
}
