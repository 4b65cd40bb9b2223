import Foundation
import QuantCore
import QuantModels

/// Multiplies named weight tensors by factors: a planted shift (the way a retrain might move one
/// layer) for drift experiments (`quantbench edit-weights`, the drift cell's `scale`).
public struct WeightEdit: Sendable, Hashable {
    /// Tensor name → factor.
    public var factors: [String: Float]

    public init(factors: [String: Float]) {
        self.factors = factors
    }

    /// Parses `TENSOR=FACTOR` entries (a later entry for the same tensor wins).
    ///
    /// - Throws: ``DiagnosticsError/badScale(_:reason:)`` for a missing `=`, an empty name or a
    ///   factor that is not a finite number.
    public init(parsing entries: [String]) throws {
        var factors: [String: Float] = [:]
        for entry in entries {
            guard let cut = entry.lastIndex(of: "=") else { throw DiagnosticsError.badScale(entry, reason: "no '='") }
            let name = String(entry[..<cut]).trimmingCharacters(in: .whitespaces)
            let text = String(entry[entry.index(after: cut)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw DiagnosticsError.badScale(entry, reason: "the tensor name is empty") }
            guard let factor = Float(text), factor.isFinite else {
                throw DiagnosticsError.badScale(entry, reason: "'\(text)' is not a finite number")
            }
            factors[name] = factor
        }
        self.init(factors: factors)
    }

    /// `weights` with every named tensor multiplied element-wise by its factor (x·f in float32).
    ///
    /// - Throws: ``DiagnosticsError/unknownTensor(_:model:suggestions:)`` for a name `weights`
    ///   does not hold, with close matches.
    public func apply(to weights: [String: Tensor], model: String) throws -> [String: Tensor] {
        var result = weights
        for (name, factor) in factors.sorted(by: { $0.key < $1.key }) {
            guard var tensor = result[name] else {
                throw DiagnosticsError.unknownTensor(name, model: model, suggestions: closeMatches(name, in: weights.keys.sorted()))
            }
            tensor.values = tensor.values.map { $0 * factor }
            result[name] = tensor
        }
        return result
    }

    /// `task` with the edited weights in place.
    public func apply(to task: any ScenarioTask) throws -> any ScenarioTask {
        let edited = try apply(to: task.weights, model: task.modelName)
        let label = factors.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ",")
        return try ModelSpec.replacing(task, weights: edited, source: "\(task.modelName) with \(label)")
    }
}
