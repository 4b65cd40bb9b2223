import CostModels
import QuantBench
import QuantCore
import Testing

/// The roofline model against REFERENCE §6's decode example and hand-computed layers.
@Suite("roofline cost model")
struct RooflineTests {
    func roofline(_ spec: String) throws -> any CostModel { try TestPlans.registry.costModel(spec) }

    /// REFERENCE §6: M = 1, K = N = 4096, int4 per-group(128) fp16 scales, fp16 activations, H100.
    /// Weights: 4096²·4 bits + 131,072 groups·16 bits = 8,388,608 + 262,144 B = 8,650,752 B —
    /// REFERENCE's "8.65 MB" (it counts the weights only); plus input 4096·2 B and output 4096·2 B:
    /// 8,667,136 B / 3.35e12 B/s = 2.5872 µs. Compute: (2·4096² + 4096²/128) FLOPs / 989.4e12 =
    /// 0.034 µs, so memory-bound. fp16 weights: 33,554,432 + 16,384 B → 10.0211 µs, 3.873×
    /// (REFERENCE's 16/4.125 = 3.88 counts weights only).
    @Test func decodeExampleOnH100() throws {
        let w4 = try TestPlans.layer(k: 4096, n: 4096, weights: "int4(scale=fp16)", granuleSize: 128, granules: 131_072)
        let model = try roofline("roofline(chip=h100-sxm)")
        let e = try model.estimate(TestPlans.plan([w4]))
        let t = try #require(e.metrics["latency_us_h100_sxm"])
        #expect(TestPlans.close(t, 8_667_136 / 3.35e12 * 1e6))
        #expect(abs(t - 2.6) < 0.05)
        #expect(e.metrics["memory_bound_share_h100_sxm"] == 1)
        #expect(e.layers.first?.metrics["bytes"] == 8_667_136)
        #expect(TestPlans.close(e.layers.first?.metrics["compute_us"], (2 * 16_777_216 + 131_072) / 989.4e12 * 1e6))
        #expect(e.notes.isEmpty)
        let fp16 = try model.estimate(TestPlans.plan([try TestPlans.layer(k: 4096, n: 4096, weights: nil)]))
        let speedup = try #require(fp16.metrics["latency_us_h100_sxm"]) / t
        #expect(TestPlans.close(speedup, 33_570_816.0 / 8_667_136))
        #expect(abs(speedup - 3.9) < 0.05)
    }

    /// W8A8 per-channel/per-tensor at M = 4096 (batch 4096 of one row), K = N = 4096 on H100:
    /// FLOPs 2·4096³ + 4096³/4096 = 137,455,730,688 at 1979e12 → 69.4572 µs; bytes 4096²
    /// (weights) + 4096·4 (scales) + 4096² (int8 input) + 2·4096² (fp16 output) → 20.04 µs;
    /// compute-bound. The metric name carries the workload.
    @Test func computeBoundInt8() throws {
        let a = try TestPlans.encoding("int8", granuleSize: 4096 * 4096)
        let layer = try TestPlans.layer(k: 4096, n: 4096, weights: "int8", granuleSize: 4096, granules: 4096, activations: a)
        let e = try roofline("roofline(chip=h100-sxm, batch=4096)").estimate(TestPlans.plan([layer]))
        #expect(TestPlans.close(e.metrics["latency_us_h100_sxm_b4096_t128"], 137_455_730_688 / 1979e12 * 1e6))
        #expect(e.metrics["memory_bound_share_h100_sxm_b4096_t128"] == 0)
        // η and launch: 0.5 of peak doubles the compute time, plus 3 µs.
        let slow = try roofline("roofline(chip=h100-sxm, batch=4096, eta-compute=0.5, launch-us=3)").estimate(TestPlans.plan([layer]))
        #expect(TestPlans.close(slow.metrics["latency_us_h100_sxm_b4096_t128_eff0p5x1_launch3"], 2 * 137_455_730_688 / 1979e12 * 1e6 + 3))
    }

    /// W4A4 integer on H100 (no int4 peak) runs at int8; fp8 × fp8 on A100 (no fp8) at fp16.
    /// The bytes are unchanged, and the notes name the layer count and both precisions.
    @Test func fallbacksAreNamedInTheNotes() throws {
        let a4 = try TestPlans.encoding("int4", granuleSize: 4096)
        let w4a4 = try TestPlans.layer(k: 4096, n: 4096, weights: "int4", granuleSize: 4096, granules: 4096, activations: a4)
        let h100 = try roofline("roofline(h100-sxm)").estimate(TestPlans.plan([w4a4, w4a4]))
        #expect(h100.notes == ["2 layer(s) need int4, which h100-sxm does not list natively: costed at int8, the next wider precision it lists."])
        let a100 = try roofline("roofline(chip=a100-sxm-80gb)").estimate(TestPlans.plan([w4a4]))
        #expect(a100.notes.isEmpty)  // the A100 lists int4 (1248 TOPS)
        let a8 = try TestPlans.encoding("fp8-e4m3", granuleSize: 4096)
        let fp8 = try TestPlans.layer(k: 4096, n: 4096, weights: "fp8-e4m3", granuleSize: 4096, granules: 4096, activations: a8)
        let onA100 = try roofline("roofline(chip=a100-sxm-80gb)").estimate(TestPlans.plan([fp8]))
        #expect(onA100.notes.count == 1 && onA100.notes[0].contains("need fp8") && onA100.notes[0].contains("costed at fp16"))
    }

    /// MXFP4 × MXFP4 on H100: no native MX, emulated at fp8 with a rescale per block of 32 (1/32
    /// of the MACs); the H100 has fp8, so the note says mxfp4 → fp8 via the ladder (no mxfp6/8).
    @Test func emulatedBlockFormat() throws {
        let a = try TestPlans.encoding("mxfp4", granuleSize: 32)
        let layer = try TestPlans.layer(k: 4096, n: 4096, weights: "mxfp4", granuleSize: 32, granules: 4096 * 128, activations: a)
        let e = try roofline("roofline(chip=h100-sxm)").estimate(TestPlans.plan([layer]))
        #expect(e.notes.first?.contains("need mxfp4") == true && e.notes.first?.contains("costed at fp8") == true)
        #expect(e.layers.first?.metrics["flops"] == Double(2 * 16_777_216 + 16_777_216 / 32))
    }

    @Test func unknownChipListsTheKnownOnes() throws {
        #expect {
            try roofline("roofline(chip=h200)")
        } throws: { error in
            guard case let CostModelError.unknownChip(id, known) = error else { return false }
            return id == "h200" && known.contains("h100-sxm") && known.contains("edge-tpu") && "\(error)".contains("h100-sxm")
        }
    }

    /// The Edge TPU lists int8 only: a weight-only fp16 layer has nowhere to fall back to.
    @Test func edgeTPUCannotRunFloatLayers() throws {
        let w4 = try TestPlans.layer(k: 64, n: 64, weights: "int4", granuleSize: 64, granules: 64)
        #expect {
            try roofline("roofline(chip=edge-tpu)").estimate(TestPlans.plan([w4, w4]))
        } throws: { error in
            guard case let CostModelError.unsupportedPrecision(chip, precision, layers, supported) = error else { return false }
            return chip == "edge-tpu" && precision == "fp16" && layers == 2 && supported == ["int8"]
        }
    }
}
