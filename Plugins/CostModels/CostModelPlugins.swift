import QuantCore

/// The built-in cost models, for the registry: `size`, `roofline(chip=...)`, `energy`, `measured`.
public enum CostModelPlugins {
    public static var descriptors: [PluginDescriptor<any CostModel>] {
        [
            PluginDescriptor(
                .exact("size"),
                parameters: [
                    PluginParameter(
                        "unquantized", .choice(["fp32", "fp16", "bf16"]), default: "fp32",
                        "precision of unquantized layers, biases, norms and embeddings")
                ],
                summary: "exact storage: elements plus scales and zero-points at storage precision (size_bytes, size_mib, weight_bits_per_weight, compression_vs_fp32)"
            ) { args in
                SizeCostModel(unquantized: ComputePrecision(unquantized: args.choice("unquantized")) ?? .fp32, name: args.canonicalName)
            },
            PluginDescriptor(
                .exact("roofline"), parameters: rooflineParameters,
                summary: "per-layer max(compute/peak, bytes/bandwidth) on a chip of the chips table, summed (latency_us_<chip>)",
                make: makeRoofline),
            PluginDescriptor(
                .exact("energy"),
                parameters: [
                    PluginParameter("table", .choice(EnergyTable.all.map(\.name)), default: "horowitz45", "operation energies (45 nm)"),
                    PluginParameter("dram-pj-per-byte", .real(0...1e6), default: "160", "DRAM energy per byte (weights)"),
                    PluginParameter("sram-pj-per-byte", .real(0...1e6), default: "1.25", "SRAM energy per byte (activations)"),
                ] + Workload.parameters(unquantized: "fp32"),
                summary: "MAC energy by operand widths plus DRAM and SRAM traffic (energy_uj)"
            ) { args in
                EnergyCostModel(
                    table: EnergyTable.all.first { $0.name == args.choice("table") } ?? .horowitz45,
                    workload: Workload(arguments: args), dramPicojoulesPerByte: args.real("dram-pj-per-byte"),
                    sramPicojoulesPerByte: args.real("sram-pj-per-byte"), name: args.canonicalName)
            },
            PluginDescriptor(
                .exact("measured"),
                summary: "wall-clock of our own fake-quant forward pass: simulation cost, not deployment latency (sim_ms_per_item)"
            ) { _ in MeasuredCostModel() },
        ]
    }

    /// Each built-in model's assumptions by id, for `quantbench list`.
    public static let assumptions: [String: [String]] = [
        "size": SizeCostModel.assumptions, "roofline": RooflineCostModel.assumptions,
        "energy": EnergyCostModel.assumptions, "measured": MeasuredCostModel.assumptions,
    ]

    static var rooflineParameters: [PluginParameter] {
        [
            PluginParameter(required: "chip", .text, "a chip of the chips table, e.g. h100-sxm, a100-sxm-80gb, this-cpu"),
        ] + Workload.parameters(unquantized: "fp16") + [
            PluginParameter("eta-compute", .real(0...1, openLower: true), default: "1", "achieved fraction of peak compute (0.6–0.8 typical)"),
            PluginParameter("eta-memory", .real(0...1, openLower: true), default: "1", "achieved fraction of peak bandwidth (0.7–0.9 typical)"),
            PluginParameter("launch-us", .real(0...1e6), default: "0", "fixed time added per layer (kernel launch), µs"),
            PluginParameter("chips", .text, default: "built-in", "a chips file (TOML) merged over the built-in table, or built-in"),
        ]
    }

    @Sendable static func makeRoofline(_ args: PluginArguments) throws -> any CostModel {
        let file = args.text("chips")
        let table = try ChipTable.builtIn(mergedWith: file == "built-in" ? nil : file)
        return RooflineCostModel(
            chip: try table.chip(args.text("chip")), workload: Workload(arguments: args), etaCompute: args.real("eta-compute"),
            etaMemory: args.real("eta-memory"), launchMicroseconds: args.real("launch-us"), name: args.canonicalName)
    }
}
