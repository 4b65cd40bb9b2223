import CostModels
import QuantBench
import QuantCore
import Testing

@Suite("energy and measured cost models")
struct EnergyAndMeasuredTests {
    /// M = 1, K = N = 256, W8A8: int8 per-channel weights (fp32 scales), int8 per-tensor
    /// activations (one granule of 256). Horowitz 45 nm: 65,536 MACs · (0.2 + 0.03) pJ =
    /// 15,073.28; rescales 65,536/256 = 256 · 3.7 = 947.2; DRAM weights 65,536 + 256·4 = 66,560 B
    /// · 160 = 10,649,600; SRAM input 256 B + output 256·4 B (fp32) = 1280 B · 1.25 = 1600.
    /// Total 10,667,220.48 pJ = 10.66722048 µJ.
    @Test func int8LayerByHand() throws {
        let a = try TestPlans.encoding("int8", granuleSize: 256)
        let layer = try TestPlans.layer(k: 256, n: 256, weights: "int8", granuleSize: 256, granules: 256, activations: a)
        let e = try TestPlans.registry.costModel("energy").estimate(TestPlans.plan([layer]))
        #expect(TestPlans.close(e.metrics["energy_uj"], 10.66722048))
        #expect(TestPlans.close(e.metrics["energy_compute_uj"], (15_073.28 + 947.2) / 1e6))
        #expect(TestPlans.close(e.metrics["energy_dram_uj"], 10.6496))
        #expect(TestPlans.close(e.metrics["energy_sram_uj"], 0.0016))
        #expect(e.notes.isEmpty)
    }

    /// W4A8 integer: not in the table, so e_mult ≈ 0.2·(4/8)·(8/8) = 0.1 and e_add ≈ 0.03·(8/8)
    /// = 0.03 pJ per MAC; the note says which widths were extrapolated.
    @Test func extrapolatedWidthsAreNoted() throws {
        let table = EnergyTable.horowitz45
        let mac = table.mac(.int8, weightBits: 4, activationBits: 8)
        #expect(TestPlans.close(mac.picojoules, 0.13))
        #expect(table.mac(.fp16, weightBits: 16, activationBits: 16).picojoules == 1.5)
        #expect(TestPlans.close(table.mac(.fp32, weightBits: 32, activationBits: 32).picojoules, 4.6))
        // fp8 × fp8: 0.2·1² + 0.03·1 = 0.23 pJ by the heuristic at 8 bits.
        #expect(TestPlans.close(table.mac(.fp8, weightBits: 8, activationBits: 8).picojoules, 0.23))
        let a = try TestPlans.encoding("int8", granuleSize: 256)
        let layer = try TestPlans.layer(k: 256, n: 256, weights: "int4", granuleSize: 256, granules: 256, activations: a)
        let e = try TestPlans.registry.costModel("energy(dram-pj-per-byte=0, sram-pj-per-byte=0)").estimate(TestPlans.plan([layer]))
        #expect(e.notes.count == 1 && e.notes[0].contains("int4×int8"))
        #expect(TestPlans.close(e.metrics["energy_uj_dram0_sram0"], (65_536 * 0.13 + 256 * 3.7) / 1e6))
    }

    @Test func measuredIsPerItemSimulationTime() throws {
        let model = try TestPlans.registry.costModel("measured")
        let run = TestPlans.plan([], measurement: CostPlan.Measurement(seconds: 2.5, items: 1000, threads: 2))
        let e = try model.estimate(run)
        #expect(e.metrics["sim_ms_per_item"] == 2.5)
        #expect(e.notes.first?.contains("not deployment latency") == true)
        #expect(model.assumptions.first?.contains("SIMULATION COST, NOT DEPLOYMENT LATENCY") == true)
        #expect {
            try model.estimate(TestPlans.plan([]))
        } throws: { error in
            (error as? CostModelError) == .noMeasurement(model: "test-model") && "\(error)".contains("'test-model'")
        }
    }
}
