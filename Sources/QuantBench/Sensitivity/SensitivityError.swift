/// Why a sensitivity analysis or a mixed-precision run could not start.
public enum SensitivityError: Error, CustomStringConvertible, Equatable {
    case noRecipes
    case duplicateFormat(String)
    case unknownWeight(name: String, model: String, suggestions: [String])
    case unknownFormat(name: String, known: [String])
    case missingEntry(layer: String, format: String)

    public var description: String {
        switch self {
        case .noRecipes:
            return "a sensitivity analysis needs at least one weight format; pass --format FORMAT (e.g. --format int4)"
        case let .duplicateFormat(name):
            return "format '\(name)' is listed twice; list each format once"
        case let .unknownWeight(name, model, suggestions):
            let close = suggestions.filter { $0.contains(name) || name.contains($0) }.prefix(3)
            return "'\(name)' is not a quantizable weight of \(model)"
                + (close.isEmpty ? "; its weights are \(suggestions.prefix(6).joined(separator: ", "))…" : "; did you mean \(close.joined(separator: ", "))?")
        case let .unknownFormat(name, known):
            return "format '\(name)' is not in the sensitivity profile (it has \(known.joined(separator: ", "))); profile it first"
        case let .missingEntry(layer, format):
            return "the sensitivity profile has no measurement for layer '\(layer)' with format '\(format)'"
        }
    }
}
