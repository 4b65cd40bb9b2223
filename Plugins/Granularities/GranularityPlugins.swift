import QuantCore

/// The built-in granularities, for the registry.
public enum GranularityPlugins {
    public static var descriptors: [PluginDescriptor<any Granularity>] {
        [
            PluginDescriptor(.exact("per-tensor"), summary: "one scale and zero-point for the whole tensor") { _ in
                PerTensor()
            },
            PluginDescriptor(
                .exact("per-channel"),
                parameters: [PluginParameter("axis", .integer(-8...7), default: "0", "the channel axis (0: Linear/Conv out; 1: ConvTranspose)")],
                summary: "one scale per index along an axis (per output channel for weights)"
            ) { args in PerChannel(axis: args.integer("axis")) },
            PluginDescriptor(
                .exact("per-group"),
                parameters: [
                    PluginParameter("size", .integer(1...(1 << 20)), default: "128", "elements per group"),
                    PluginParameter("axis", .integer(-8...7), default: "-1", "the axis cut into groups (-1: the input dimension of a Linear weight)"),
                    PluginParameter("ragged", .boolean, default: "true", "allow a shorter last group when size does not divide the axis"),
                ],
                summary: "one scale per group of consecutive elements along an axis (GPTQ/AWQ; MX blocks)"
            ) { args in PerGroup(size: args.integer("size"), axis: args.integer("axis"), ragged: args.boolean("ragged")) },
            PluginDescriptor(.exact("per-token"), summary: "one scale per row of [tokens, features] (dynamic activations)") { _ in
                PerToken()
            },
        ]
    }
}
