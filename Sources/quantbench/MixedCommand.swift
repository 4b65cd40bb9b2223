import ArgumentParser
import Foundation
import PythonBridge
import QuantBench
import QuantCore
import QuantModels

struct MixedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixed",
        abstract: "Assign a format per layer under a size budget from the per-layer sensitivity, and check the plans for real.",
        discussion: """
            Profiles every layer with every format (as `sensitivity` does), finds the exact Pareto frontier
            of (storage bits, predicted damage) by dynamic programming — damage is the output noise power
            10^(−SQNR/10) each layer adds alone, summed — then evaluates --points plans along it with all
            their layers quantized, and the exact and greedy plans at the budget. Writes pareto.csv,
            plans.md and a Pareto scatter of bits per weight against the real metric into --out.

            Examples:
              quantbench mixed digits-cnn --formats int8,int4 --granularity per-channel --budget-bits 6 --out mixed
              quantbench mixed minilm --formats int8,int4 --granularity per-channel --points 6
            """)

    @Argument(help: "digits-cnn or minilm.")
    var model: String

    @Option(help: "Comma-separated weight formats each layer may take, e.g. int8,int4.")
    var formats: String

    @OptionGroup var options: LayerRecipeOptions

    @Option(help: "Budget in average storage bits per weight over every quantizable weight (default 6).")
    var budgetBits: Double?

    @Option(help: "Budget in bytes of quantized weight storage (instead of --budget-bits).")
    var budgetBytes: Double?

    @Option(help: "Frontier points to evaluate for real, spread over the cost range.")
    var points: Int = 8

    @Option(help: "What the search minimizes: output-noise (default) or metric-drop.")
    var damage: String = SensitivityProfile.Damage.outputNoise.rawValue

    @Option(help: "Folder for pareto.csv, plans.md and the Pareto plot.")
    var out: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            if budgetBits != nil && budgetBytes != nil { throw ValidationError("give --budget-bits or --budget-bytes, not both") }
            guard let damageKind = SensitivityProfile.Damage(rawValue: damage) else {
                throw ValidationError("unknown damage '\(damage)'; use " + SensitivityProfile.Damage.allCases.map(\.rawValue).joined(separator: " or "))
            }
            let task = try ModelZoo.task(named: model)
            let registry = PluginRegistry.builtIn
            let names = formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let recipes = try options.recipes(names, registry: registry)
            if options.activations != nil { throw ValidationError("mixed plans quantize weights only; drop --activations") }
            let analysis = SensitivityAnalysis(recipes: recipes, jobs: options.jobs ?? BatchScheduler.cores)
            let reference = try task.evaluate(weights: task.weights, context: .plain)
            let profile = try analysis.profile(task: task, reference: reference)
            let elements = Double(profile.layers.compactMap { task.weights[$0]?.count }.reduce(0, +))
            let budget = budgetBytes.map { $0 * 8 } ?? (budgetBits ?? 6) * elements
            let study = try MixedPrecisionStudy.run(
                task: task, reference: reference, profile: profile, recipes: Dictionary(zip(analysis.labels, recipes)) { a, _ in a },
                count: points, budget: budget, damage: damageKind, jobs: options.jobs ?? BatchScheduler.cores)
            if json { try printJSON(study) } else { print(MixedRendering.render(study)) }
            if let out { try MixedRendering.write(study, to: out, quiet: json) }
        }
    }
}
