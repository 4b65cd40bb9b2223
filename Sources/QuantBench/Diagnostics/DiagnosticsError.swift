import QuantModels

/// Why a diagnostic (outliers, coverage, drift, edit-weights) could not run; each message names
/// the spec, tensor or site and what to do.
public enum DiagnosticsError: Error, CustomStringConvertible, Equatable {
    /// A model spec that is neither `NAME` nor `NAME@CHECKPOINT`.
    case badModelSpec(String, reason: String)
    /// `--scale TENSOR=FACTOR` naming no tensor of the model.
    case unknownTensor(String, model: String, suggestions: [String])
    /// A `--scale` entry that does not parse or has a non-finite factor.
    case badScale(String, reason: String)
    /// A calibration or production set that holds no item.
    case noData(String)
    /// Two tasks whose activation sites differ (they must be the same architecture).
    case sitesDiffer(old: String, new: String)

    public var description: String {
        switch self {
        case let .badModelSpec(text, reason):
            return "bad model spec '\(text)': \(reason). A spec is a zoo model (\(ModelZoo.names.joined(separator: ", "))) "
                + "or a zoo model with a replacement checkpoint, e.g. digits-cnn@retrained.safetensors"
        case let .unknownTensor(name, model, suggestions):
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "\(model) has no tensor '\(name)'.\(hint) Run 'quantbench outliers \(model) --weights-only' or inspect its checkpoint to list them"
        case let .badScale(text, reason):
            return "bad --scale '\(text)': \(reason); write TENSOR=FACTOR, e.g. conv_layers.3.weight=1.15"
        case let .noData(what):
            return "\(what) holds no item; use a count of at least 1"
        case let .sitesDiffer(old, new):
            return "\(old) and \(new) have different activation sites; drift compares two versions of the same architecture"
        }
    }
}
