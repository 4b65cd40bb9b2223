import CostModels
import QuantBench
import QuantCore
import QuantModels
import Testing

/// REFERENCE §5's bits-per-weight table and exact byte counts, derived by hand.
@Suite("size cost model")
struct SizeCostModelTests {
    let size = SizeCostModel()

    func bitsPerWeight(_ layer: LayerPlan) throws -> Double? {
        try size.estimate(TestPlans.plan([layer])).metrics["weight_bits_per_weight"]
    }

    /// int4, fp16 scale per group of g along K = 4096, N = 4096: 4096·4096/g groups of 16 bits,
    /// so 4 + 16/g: 4.125 (g = 128), 4.25 (64), 4.5 (32).
    @Test(arguments: [(128, 4.125), (64, 4.25), (32, 4.5)])
    func groupInt4WithFP16Scales(group: Int, expected: Double) throws {
        let layer = try TestPlans.layer(k: 4096, n: 4096, weights: "int4(scale=fp16)", granuleSize: group, granules: 4096 * 4096 / group)
        #expect(try bitsPerWeight(layer) == expected)
    }

    /// Affine int4 with an fp16 scale stores its zero-point at the element width (4 bits):
    /// 16 + 4 = 20 bits per group, REFERENCE's "fp16 scale + 4-bit packed zero" row, 4 + 20/128 = 4.15625.
    @Test func asymmetricInt4StoresAFourBitZeroPoint() throws {
        let format = try TestPlans.registry.format("int4(symmetric=false, scale=fp16)")
        #expect(format.granuleOverheadBits == 20)
        let layer = try TestPlans.layer(
            k: 4096, n: 4096, weights: "int4(symmetric=false, scale=fp16)", granuleSize: 128, granules: 131_072)
        #expect(try bitsPerWeight(layer) == 4.15625)
    }

    /// MXFP4: an 8-bit E8M0 scale per 32 elements, 4 + 8/32 = 4.25.
    @Test func mxfp4() throws {
        let layer = try TestPlans.layer(k: 4096, n: 4096, weights: "mxfp4", granuleSize: 32, granules: 4096 * 4096 / 32)
        #expect(try bitsPerWeight(layer) == 4.25)
    }

    /// NVFP4: an E4M3 scale per 16 (4 + 8/16 = 4.5) plus one fp32 tensor scale: for a 64×16
    /// tensor (1024 elements) 4.5 + 32/1024 = 4.53125; with two-level=false, 4.5 exactly.
    @Test func nvfp4WithItsTensorScale() throws {
        let twoLevel = try TestPlans.layer(k: 64, n: 16, weights: "nvfp4", granuleSize: 16, granules: 64)
        #expect(try bitsPerWeight(twoLevel) == 4.53125)
        let single = try TestPlans.layer(k: 64, n: 16, weights: "nvfp4(two-level=false)", granuleSize: 16, granules: 64)
        #expect(try bitsPerWeight(single) == 4.5)
    }

    /// Per-channel int8 with fp32 scales, K = 384, N = 1536: 8 + 32/K = 8.083….
    @Test func perChannelInt8() throws {
        let layer = try TestPlans.layer(k: 384, n: 1536, weights: "int8", granuleSize: 384, granules: 1536)
        #expect(TestPlans.close(try bitsPerWeight(layer), 8 + 32.0 / 384))
    }

    /// Layer a: 64×32 int8 per-channel fp32 scales: 2048 B + 32·4 B = 2176 B. Layer b: 32×10
    /// left fp32: 1280 B. 42 biases in fp32: 168 B. Total 3624 B; compression
    /// (2048 + 320 + 42)·4 / 3624 = 9640/3624.
    @Test func smallPlanByHand() throws {
        let a = try TestPlans.layer("a", k: 64, n: 32, weights: "int8", granuleSize: 64, granules: 32)
        let b = try TestPlans.layer("b", k: 32, n: 10, weights: nil)
        let e = try size.estimate(TestPlans.plan([a, b], unquantized: 42))
        #expect(e.metrics["size_bytes"] == 3624)
        #expect(TestPlans.close(e.metrics["size_mib"], 3624.0 / 1_048_576))
        #expect(TestPlans.close(e.metrics["compression_vs_fp32"], 9640.0 / 3624))
        #expect(e.metrics["weight_bits_per_weight"] == 2176.0 * 8 / 2048)
        #expect(e.layers.map { $0.metrics["bytes"] } == [2176, 1280])
        // size(unquantized=fp16): b at 640 B, biases 84 B, names suffixed.
        let half = try TestPlans.registry.costModel("size(unquantized=fp16)").estimate(TestPlans.plan([a, b], unquantized: 42))
        #expect(half.metrics["size_bytes_fp16"] == Double(2176 + 640 + 84))
        #expect(half.metrics["size_bytes"] == nil)
    }

    /// digits-cnn: conv weights 1·9·32 + 32·9·64 + 64·9·128 = 288 + 18432 + 73728, linear
    /// 1152·256 + 256·10 = 294912 + 2560: 389,920 weights in 5 layers with 32+64+128+256+10 = 490
    /// output channels and 490 biases. FP32: 390,410·4 = 1,561,640 B. int8 per-channel, fp32
    /// scales: 389,920 + 490·4 + 490·4 = 393,840 B, so 1,561,640/393,840 = 3.9652×: the
    /// "4× for INT8" of the seed notes, short of 4 by the scales and fp32 biases.
    @Test func digitsCNNInt8PerChannelIsAboutFourTimesSmaller() throws {
        let task = try ModelZoo.task(named: "digits-cnn")
        let geometry = task.layerGeometry
        #expect(geometry.map(\.weightElements).reduce(0, +) == 389_920)
        let parameters = task.weights.values.map(\.count).reduce(0, +)
        #expect(parameters == 390_410)
        let layers = try geometry.map { g in
            try TestPlans.layer(g.weight, k: g.inFeatures, n: g.outFeatures, rows: g.rows, weights: "int8", granuleSize: g.inFeatures, granules: g.outFeatures)
        }
        let e = try size.estimate(CostPlan(model: "digits-cnn", layers: layers, unquantizedParameters: parameters - 389_920))
        #expect(e.metrics["size_bytes"] == 393_840)
        #expect(TestPlans.close(e.metrics["compression_vs_fp32"], 1_561_640.0 / 393_840))
        #expect(abs((e.metrics["compression_vs_fp32"] ?? 0) - 4) < 0.05)
    }
}
