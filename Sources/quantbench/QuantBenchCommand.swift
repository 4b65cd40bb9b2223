import ArgumentParser

@main
struct QuantBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantbench",
        abstract: "A workbench for post-training quantization research.",
        discussion: """
            Plug-in names use one syntax everywhere: id or id(arg, key=value), for example
            int8, int4(symmetric=false), fp8-e4m3, per-group(128), percentile(99.9).
            """,
        subcommands: [
            ListCommand.self, InspectCommand.self, QuantizeCommand.self, DemoCommand.self, BenchCommand.self, DoctorCommand.self, PlotHistogramCommand.self,
            FetchAssetsCommand.self, EvalCommand.self, BenchModelCommand.self, RunCommand.self, ExportCommand.self,
            ValidateCommand.self, OutliersCommand.self, CoverageCommand.self, DriftCommand.self, EditWeightsCommand.self,
            SensitivityCommand.self, MixedCommand.self, MergeCommand.self, StoreSelftestWriterCommand.self,
        ])
}
