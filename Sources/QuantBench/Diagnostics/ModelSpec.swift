import Foundation
import QuantCore
import QuantModels

/// A model as a command names it: a zoo model (`digits-cnn`), optionally with a replacement
/// checkpoint (`digits-cnn@runs/retrained.safetensors`) whose tensors take the place of the
/// zoo checkpoint's, with the zoo model's data and task.
///
/// The checkpoint is any file ``TensorFiles`` reads (.safetensors, .npz, .pth, …); its tensor
/// names and shapes must be the zoo checkpoint's: loading lists every missing, misshapen or
/// unexpected tensor.
public struct ModelSpec: Sendable, Hashable, CustomStringConvertible {
    /// The zoo name.
    public var model: String
    /// The replacement checkpoint, or nil for the zoo's own.
    public var checkpoint: String?

    public init(model: String, checkpoint: String? = nil) {
        self.model = model
        self.checkpoint = checkpoint
    }

    /// Parses `NAME` or `NAME@PATH` (the first `@` separates them).
    ///
    /// - Throws: ``DiagnosticsError/badModelSpec(_:reason:)`` for an unknown model name or an
    ///   empty path.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        guard ModelZoo.names.contains(name) else {
            let near = closeMatches(name, in: ModelZoo.names)
            let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"
            throw DiagnosticsError.badModelSpec(text, reason: "'\(name)' is not a zoo model\(hint)")
        }
        if parts.count == 2, parts[1].isEmpty {
            throw DiagnosticsError.badModelSpec(text, reason: "nothing follows '@'; give the checkpoint's path")
        }
        self.init(model: name, checkpoint: parts.count == 2 ? parts[1] : nil)
    }

    public var description: String { checkpoint.map { "\(model)@\($0)" } ?? model }

    /// The zoo task with this spec's checkpoint in place.
    ///
    /// - Throws: asset errors; tensor-file errors naming the checkpoint;
    ///   ``ModelError/weightsDoNotMatch(model:source:problems:)`` listing every mismatch.
    public func load(store: AssetStore = .default) throws -> any ScenarioTask {
        let task = try ModelZoo.task(named: model, store: store)
        guard let checkpoint else { return task }
        return try Self.replacing(task, weights: try ModelZoo.loadAll(checkpoint), source: checkpoint)
    }

    /// `task` with `weights` in place of its checkpoint (same data, calibration set and scenario).
    ///
    /// - Throws: ``ModelError/weightsDoNotMatch(model:source:problems:)``; ``badModelSpec`` for
    ///   a task type that cannot take other weights.
    public static func replacing(_ task: any ScenarioTask, weights: [String: Tensor], source: String) throws -> any ScenarioTask {
        guard let replaceable = task as? any WeightReplaceable else {
            throw DiagnosticsError.badModelSpec("\(task.modelName)@\(source)", reason: "\(task.modelName) cannot load another checkpoint")
        }
        return try replaceable.replacingWeights(weights, source: source)
    }
}
