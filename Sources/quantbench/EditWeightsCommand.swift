import ArgumentParser
import QuantBench
import QuantCore
import QuantModels

struct EditWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit-weights",
        abstract: "Write a full checkpoint of a model with named tensors multiplied by factors (a planted shift).",
        discussion: """
            Every tensor of the model's checkpoint is written (float32), the named ones multiplied element-wise,
            so that MODEL@OUT loads as a replacement checkpoint in drift, coverage and outliers.

            Example:
              quantbench edit-weights digits-cnn --scale conv_layers.3.weight=1.15 --out retrained.safetensors
            """)

    @Argument(help: "A model spec: a zoo model (\(ModelZoo.names.joined(separator: ", "))) or NAME@CHECKPOINT.")
    var model: String

    @Option(name: .customLong("scale"), help: "TENSOR=FACTOR (repeatable).")
    var scales: [String] = []

    @Option(help: "The checkpoint to write (.safetensors, or .npz).")
    var out: String

    func validate() throws {
        guard !scales.isEmpty else { throw ValidationError("give at least one --scale TENSOR=FACTOR, e.g. --scale conv_layers.3.weight=1.15") }
    }

    func run() throws {
        try runReportingErrors {
            let spec = try ModelSpec(parsing: model)
            let task = try spec.load()
            let edit = try WeightEdit(parsing: scales)
            let edited = try edit.apply(to: task.weights, model: spec.description)
            try TensorFiles.write(edited.keys.sorted().compactMap { edited[$0] }, to: out)
            let changed = edit.factors.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            print("wrote \(edited.count) tensors of \(spec) to \(out) (\(changed))")
        }
    }
}
