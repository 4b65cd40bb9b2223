import QuantCore

/// The example plug-ins, for the registry: calibrators written as a user would write them.
///
/// Each descriptor gives the plug-in's id as written in experiment files, its typed parameters
/// (validated by the shared parser, so `ksigma(k=0)` is an error before anything runs), the
/// one-line summary `quantbench list` prints, and the version that enters every cached
/// result's key. Bump the version whenever the plug-in's output changes.
public enum ExamplePlugins {
    public static var descriptors: [PluginDescriptor<any Calibrator>] {
        [
            PluginDescriptor(
                .exact("ksigma"),
                parameters: [
                    PluginParameter("k", .real(0...1000, openLower: true), default: "4", "standard deviations kept each side of the mean")
                ],
                summary: "clip at mean ± k·σ within [min, max] (example plug-in, Plugins/Examples/KSigma.swift)",
                version: "1"
            ) { args in try KSigma(k: args.real("k")) },
        ]
    }
}
