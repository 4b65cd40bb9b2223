/// Errors of the inference engine and the model zoo.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A checkpoint's tensors do not fit the architecture.
    case weightsDoNotMatch(model: String, source: String, problems: [String])
    /// An input batch of the wrong shape or content.
    case badInput(model: String, reason: String)
    /// A model name the zoo does not know.
    case unknownModel(String, known: [String])
    /// A scenario transform this model does not have; `known` lists the ones it has.
    case unknownTransform(model: String, name: String, known: [String], suggestions: [String])
    /// A scenario transform this model has, written with a bad parameter or malformed.
    case badTransform(model: String, name: String, reason: String)
    /// A calibration set larger than the model's calibration pool.
    case calibrationSetTooLarge(model: String, pool: Int, requested: Int)

    public var description: String {
        switch self {
        case let .weightsDoNotMatch(model, source, problems):
            let shown = problems.prefix(20).map { "  - \($0)" }.joined(separator: "\n")
            let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
            return "\(source) does not match the \(model) architecture (\(problems.count) problem(s)):\n\(shown)\(more)\n"
                + "Check that the file is a \(model) checkpoint (tensor names and shapes as listed by 'quantbench inspect')."
        case let .badInput(model, reason):
            return "\(model): \(reason)"
        case let .unknownModel(name, known):
            return "unknown model '\(name)'; the zoo has \(known.joined(separator: ", ")), or use weights-only:PATH for any tensor file."
        case let .unknownTransform(model, name, known, suggestions):
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
            return "\(model) has no scenario transform '\(name)'\(hint); its transforms are \(known.joined(separator: ", "))."
        case let .badTransform(model, name, reason):
            return "\(model): scenario transform '\(name)': \(reason)"
        case let .calibrationSetTooLarge(model, pool, requested):
            return "\(model): a calibration set of \(requested) items was asked for, but its calibration pool holds \(pool); "
                + "use a size of at most \(pool), or leave the size out to take the whole pool."
        }
    }
}
