import QuantBench
import QuantCore
import QuantModels
import Testing

/// The activation hooks on hand-made activations, against values derived by hand.
@Suite struct ActivationQuantizerTests {
    let registry = PluginRegistry.builtIn

    func recipe(_ format: String, _ cut: ActivationRecipe.Cut) throws -> ActivationRecipe {
        ActivationRecipe(format: try registry.format(format), cut: cut, calibrator: try registry.calibrator("minmax"))
    }

    /// int4 symmetric restricted: s = absmax/7 per token. Row 0 (absmax 7) keeps its integers;
    /// row 1 (absmax 0.7) is row 0 / 10, also exact; row 2 has absmax 3.5 so s = 0.5 and
    /// 1.2 → round(2.4)·0.5 = 1.0, −0.3 → round(−0.6)·0.5 = −0.5.
    @Test func dynamicPerTokenRowsGetTheirOwnScale() throws {
        let hook = DynamicTokenQuantizer(recipe: try recipe("int4", .perToken))
        var values: [Float] = [7, -3, 1, 0, 0.7, -0.3, 0.1, 0, 3.5, 1.2, -0.3, 0]
        values.withUnsafeMutableBufferPointer { hook.visit(ActivationSite(layer: "l", role: .input), shape: [3, 4], values: $0) }
        let expected: [Float] = [7, -3, 1, 0, 0.7, -0.3, 0.1, 0, 3.5, 1, -0.5, 0]
        for (v, e) in zip(values, expected) { #expect(abs(v - e) < 1e-6, "\(values)") }
        #expect(hook.failure == nil)
    }

    /// In an [N, C, H, W] map a token is the C channels at one pixel: pixel 0 holds (4, −1)
    /// and pixel 1 holds (0.5, 0.25); with int4 they get scales 4/7 and 0.5/7.
    @Test func dynamicPerTokenOnConvMapsRunsAlongChannels() throws {
        let hook = DynamicTokenQuantizer(recipe: try recipe("int4", .perToken))
        var values: [Float] = [4, 0.5, -1, 0.25]  // [1, 2, 1, 2]: channel 0 = (4, 0.5), channel 1 = (−1, 0.25)
        values.withUnsafeMutableBufferPointer { hook.visit(ActivationSite(layer: "conv", role: .input), shape: [1, 2, 1, 2], values: $0) }
        let s0: Float = 4 / 7, s1: Float = 0.5 / 7
        let expected: [Float] = [4, 0.5, (-1 / s0).rounded(.toNearestOrEven) * s0, (0.25 / s1).rounded(.toNearestOrEven) * s1]
        for (v, e) in zip(values, expected) { #expect(abs(v - e) < 1e-6, "\(values) vs \(expected)") }
    }

    @Test func blockFormatsNeedTheDynamicCut() throws {
        #expect(throws: QuantCoreError.self) { try self.recipe("mxfp4", .perTensor).validate() }
        try recipe("mxfp4", .perToken).validate()
        try recipe("int8", .perChannel).validate()
    }

    /// Static per-tensor: the observer's range over two batches, [−2.54, 2.54] for symmetric int8
    /// (minmax takes ±max|x|), so s = 0.02: 0.013 → 1·s, ±3 clips to ±127·s, 1.3 → 65·s.
    @Test func staticRangesComeFromEveryCalibrationBatch() throws {
        let r = try recipe("int8", .perTensor)
        let observer = ActivationObserver(recipe: r, calibrators: [r.calibrator])
        let site = ActivationSite(layer: "l", role: .input)
        for batch in [[Float](arrayLiteral: 1, -2, 0.5, 0), [0.25, 2.54, -1, 1]] {
            var values = batch
            values.withUnsafeMutableBufferPointer { observer.visit(site, shape: [1, 4], values: $0) }
        }
        let quantizer = try observer.plan(calibrator: r.calibrator)
        let granule = try #require(quantizer.sites["l.input"]?.first)
        #expect(granule.range.lower == -2.54 && granule.range.upper == 2.54)
        #expect(abs(granule.params.scale - 2.54 / 127) < 1e-9)
        var values: [Float] = [0.013, 3, -3, 1.3]
        values.withUnsafeMutableBufferPointer { quantizer.visit(site, shape: [1, 4], values: $0) }
        for (v, e) in zip(values, [Float](arrayLiteral: 0.02, 2.54, -2.54, 1.3)) { #expect(abs(v - e) < 1e-6, "\(values)") }
        #expect(quantizer.siteErrors["l.input"]?.count == 4)
    }
}
