import Examples
import QuantBench
import QuantCore
import QuantTestKit
import Testing

/// `ksigma` against numpy and hand derivations, through the registry as an experiment uses it.
@Suite struct KSigmaTests {
    static let ks: [Double] = [1, 2, 3, 4, 6]

    @Test("ranges equal numpy's mean ± k·std within [min, max]", arguments: ks)
    func matchesNumpy(k: Double) throws {
        for sample in try KSigmaFixture.samples() {
            let statistics = observe(sample.values)
            let expected = try #require(sample.ranges[k], "\(sample.name): no k = \(k) in the fixture")
            let name = "ksigma(\(k))"
            let affine = try calibrate(name, "int8(symmetric=false)", on: statistics)
            #expect(isClose(affine.lower, expected.affine.lower), "\(sample.name) k=\(k): \(affine) vs \(expected.affine)")
            #expect(isClose(affine.upper, expected.affine.upper), "\(sample.name) k=\(k): \(affine) vs \(expected.affine)")
            let symmetric = try calibrate(name, "int8", on: statistics)
            #expect(isClose(symmetric.upper, expected.symmetric) && symmetric.lower == -symmetric.upper, "\(sample.name) k=\(k): \(symmetric)")
        }
    }

    @Test("the observer's mean and σ are numpy's (population σ)")
    func momentsMatchNumpy() throws {
        for sample in try KSigmaFixture.samples() {
            let moments = try #require(observe(sample.values).moments)
            #expect(abs(moments.mean - sample.mean) <= 1e-12 * max(abs(sample.mean), 1), "\(sample.name)")
            #expect(abs(moments.standardDeviation - sample.std) <= 1e-12 * sample.std, "\(sample.name)")
        }
    }

    // Hand-derived: [-2, -1, 0, 1, 2] has mean 0 and σ = √2, so k = 1 clips at ±√2 for both modes.
    @Test func symmetricSampleClipsAtKSigma() throws {
        let statistics = observe([-2, -1, 0, 1, 2])
        let root2 = 2.0.squareRoot()
        try expectRange(calibrate("ksigma(1)", "int8", on: statistics), -root2, root2)
        try expectRange(calibrate("ksigma(1)", "int8(symmetric=false)", on: statistics), -root2, root2)
        // k = 2 gives ±2√2 ≈ 2.83 > max|x| = 2: never wider than the data.
        try expectRange(calibrate("ksigma(2)", "int8", on: statistics), -2, 2)
    }

    // Hand-derived: [0, 0, 0, 4] has mean 1 and σ² = (1 + 1 + 1 + 9)/4 = 3. k = 1 gives
    // [max(0, 1 − √3), min(4, 1 + √3)] = [0, 1 + √3]; symmetric ±(1 + √3).
    @Test func oneSidedSampleKeepsItsMinimum() throws {
        let statistics = observe([0, 0, 0, 4])
        let upper = 1 + 3.0.squareRoot()
        try expectRange(calibrate("ksigma(1)", "uint8", on: statistics), 0, upper)
        try expectRange(calibrate("ksigma(1)", "int8", on: statistics), -upper, upper)
        // Samuelson: |x − mean| ≤ σ·√(n − 1) = √3·√3 = 3, so any k ≥ √3 keeps all of [0, 4].
        try expectRange(calibrate("ksigma(1.75)", "uint8", on: statistics), 0, 4)
    }

    @Test func constantTensorKeepsItsValue() throws {
        let statistics = observe([Float](repeating: -2.5, count: 10))
        try expectRange(calibrate("ksigma", "int8(symmetric=false)", on: statistics), -2.5, -2.5)
        try expectRange(calibrate("ksigma", "int8", on: statistics), -2.5, 2.5)
    }

    func expectRange(_ range: ClipRange, _ lower: Double, _ upper: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(isClose(range.lower, lower) && isClose(range.upper, upper), "\(range) vs [\(lower), \(upper)]", sourceLocation: sourceLocation)
    }

    @Test("names: the default is k = 4, a positional argument binds k")
    func names() throws {
        let registry = PluginRegistry.builtIn
        #expect(try registry.calibrator("ksigma").name == "ksigma(4)")
        #expect(try registry.calibrator("ksigma(3)").name == "ksigma(3)")
        #expect(try registry.calibrator("ksigma(k=2.5)").name == "ksigma(2.5)")
        #expect(try registry.calibrator("ksigma").requirements == [.range, .moments])
        let descriptor = try #require(registry.descriptor(for: "ksigma", in: registry.calibrators))
        #expect(descriptor.version == "1")
        #expect(descriptor.summary.contains("example plug-in"))
    }

    @Test("k must be a finite number > 0", arguments: ["ksigma(0)", "ksigma(k=-1)", "ksigma(k=nan)", "ksigma(k=inf)", "ksigma(three)"])
    func rejectsBadK(_ name: String) throws {
        let error = try #require(throws: QuantCoreError.self) { try PluginRegistry.builtIn.calibrator(name) }
        guard case let .badParameter(_, parameter, reason) = error else {
            Issue.record("expected badParameter, got \(error)")
            return
        }
        #expect(parameter == "k")
        #expect(reason.hasSuffix("but must be number in (0.0, 1000.0]"), "\(error)")
    }

    @Test func directConstructionValidatesK() throws {
        for k in [0, -1, Double.nan, .infinity] {
            #expect(throws: QuantCoreError.self) { try KSigma(k: k) }
        }
        let error = try #require(throws: QuantCoreError.self) { try KSigma(k: 0) }
        #expect(error.description.hasPrefix("ksigma: parameter 'k' is 0.0 but must be a finite number > 0"), "\(error)")
        #expect(try KSigma().k == 4)
    }

    @Test func missingMomentsOrValuesAreErrorsNotTraps() throws {
        #expect(throws: QuantCoreError.self) { try calibrate("ksigma", "int8", on: observe([1, 2, 3], request: .range)) }
        #expect(throws: QuantCoreError.noFiniteValues(tensor: "test")) {
            try calibrate("ksigma", "int8", on: observe([.nan, .infinity]))
        }
    }

    @Test("passes QuantTestKit's conformance suite", arguments: ["ksigma", "ksigma(1)", "ksigma(3)", "ksigma(1000)"])
    func conformance(_ name: String) throws {
        let registry = PluginRegistry.builtIn
        let formats = try ["int8", "int4", "int8(symmetric=false)", "uint8", "fp8-e4m3", "fp4-e2m1", "mxfp4"].map {
            try registry.format($0)
        }
        let failures = Conformance.check(calibrator: try registry.calibrator(name), formats: formats)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
