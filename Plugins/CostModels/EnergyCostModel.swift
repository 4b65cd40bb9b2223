import QuantCore

/// Energy of one forward pass from operation and memory-access energies (REFERENCE §6).
///
/// E = Σ_layers [MACs·e_MAC(b_w, b_a) + MACs·overhead·e_rescale + weight bytes·e_DRAM
/// + (input + output activation bytes)·e_SRAM], with e_MAC from ``EnergyTable/mac(_:weightBits:activationBits:)``
/// at the layer's compute precision, the dequantization overhead of
/// ``LayerTraffic/dequantizationOverhead(_:native:)`` and bytes from ``LayerTraffic``.
public struct EnergyCostModel: CostModel {
    public static let defaultDRAM = 160.0
    public static let defaultSRAM = 1.25

    public static let assumptions = [
        "MAC energy from the table at the layer's compute precision (int × int at the operand widths, fp at the wider width, mixed kinds dequantized to fp16/fp32); widths the table lacks use the labelled heuristic e_mult ≈ 0.2·(b_w/8)·(b_a/8), e_add ≈ 0.03·(b/8) pJ, and the notes list them.",
        "Each dequantization rescale costs one fp32 multiply (3.7 pJ); rescales per MAC: 1/K per-channel, 1/g group-wise, 1/block for MX/NVFP4.",
        "Weights stream from DRAM once per pass at their exact storage (scales included), at dram-pj-per-byte (160 pJ/B: 640 pJ per 32-bit DRAM read, Han et al.).",
        "Activations (inputs and outputs) stay on chip and cross SRAM once each, at sram-pj-per-byte (1.25 pJ/B: 5 pJ per 32-bit SRAM read, Han et al.; 10 pJ per 64 bits in an 8 KB SRAM, Horowitz).",
        "Figures are 45 nm (Horowitz 2014); newer processes are several times cheaper, so compare plans, not absolute joules. Biases, norms, attention's activation products and control are not costed.",
    ]

    public let name: String
    public let table: EnergyTable
    public let workload: Workload
    public let dramPicojoulesPerByte: Double
    public let sramPicojoulesPerByte: Double

    public init(
        table: EnergyTable = .horowitz45, workload: Workload = Workload(unquantized: .fp32),
        dramPicojoulesPerByte: Double = defaultDRAM, sramPicojoulesPerByte: Double = defaultSRAM, name: String? = nil
    ) {
        self.table = table
        self.workload = workload
        self.dramPicojoulesPerByte = dramPicojoulesPerByte
        self.sramPicojoulesPerByte = sramPicojoulesPerByte
        self.name = name ?? "energy"
    }

    public var assumptions: [String] { Self.assumptions }

    /// `energy_uj` plus the workload suffix, `_<table>` for a table other than horowitz45, and
    /// `_dram<v>`/`_sram<v>` when those energies differ from their defaults.
    public var metricNames: [String] {
        ["energy_uj", "energy_compute_uj", "energy_dram_uj", "energy_sram_uj"].map { $0 + metricSuffix }
    }

    public var metricSuffix: String {
        var suffix = workload.metricSuffix(standardUnquantized: .fp32)
        if table.name != EnergyTable.horowitz45.name { suffix += "_\(table.name)" }
        if dramPicojoulesPerByte != Self.defaultDRAM { suffix += "_dram\(metricNumber(dramPicojoulesPerByte))" }
        if sramPicojoulesPerByte != Self.defaultSRAM { suffix += "_sram\(metricNumber(sramPicojoulesPerByte))" }
        return suffix
    }

    /// One layer's energy in pJ, split into compute, DRAM and SRAM, and what was extrapolated.
    public func energy(_ layer: LayerPlan) -> (compute: Double, dram: Double, sram: Double, extrapolated: String?) {
        let precision = ComputePrecision(weights: layer.weights, activations: layer.activations, unquantized: workload.unquantized)
        let traffic = LayerTraffic(layer, batch: workload.batch, tokens: workload.tokens, unquantized: workload.unquantized)
        let weightBits = layer.weights.isQuantized ? layer.weights.elementBits : workload.unquantized.bits
        let activationBits = layer.activations.flatMap { $0.isQuantized ? $0.elementBits : nil } ?? workload.unquantized.bits
        let mac = table.mac(precision, weightBits: weightBits, activationBits: activationBits)
        let overhead = LayerTraffic.dequantizationOverhead(layer, native: precision.name)
        let compute = traffic.macs * mac.picojoules + traffic.macs * overhead * table.rescale
        return (
            compute, traffic.weightBytes * dramPicojoulesPerByte, (traffic.inputBytes + traffic.outputBytes) * sramPicojoulesPerByte,
            mac.extrapolated
        )
    }

    public func estimate(_ plan: CostPlan) throws -> CostEstimate {
        var compute = 0.0, dram = 0.0, sram = 0.0
        var extrapolated: [String: Int] = [:]
        var layers: [CostEstimate.Layer] = []
        for layer in plan.layers {
            let e = energy(layer)
            compute += e.compute
            dram += e.dram
            sram += e.sram
            if let what = e.extrapolated { extrapolated[what, default: 0] += 1 }
            layers.append(
                CostEstimate.Layer(
                    weight: layer.geometry.weight,
                    metrics: ["energy_pj": e.compute + e.dram + e.sram, "compute_pj": e.compute, "dram_pj": e.dram, "sram_pj": e.sram]))
        }
        let s = metricSuffix
        let metrics = [
            "energy_uj\(s)": (compute + dram + sram) / 1e6, "energy_compute_uj\(s)": compute / 1e6,
            "energy_dram_uj\(s)": dram / 1e6, "energy_sram_uj\(s)": sram / 1e6,
        ]
        let notes = extrapolated.sorted { $0.key < $1.key }.map { what, count in
            "\(count) layer(s): MAC energy not in \(table.name), extrapolated: \(what)."
        }
        return CostEstimate(metrics: metrics, layers: layers, notes: notes)
    }
}
