/// Errors of the inference engine and the model zoo.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A checkpoint's tensors do not fit the architecture.
    case weightsDoNotMatch(model: String, source: String, problems: [String])
    /// An input batch of the wrong shape or content.
    case badInput(model: String, reason: String)
    /// A model name the zoo does not know.
    case unknownModel(String, known: [String])

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
        }
    }
}
