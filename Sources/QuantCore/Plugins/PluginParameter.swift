/// One typed parameter of a plug-in, with its default and its allowed values.
public struct PluginParameter: Sendable {
    /// The type and the allowed values of a parameter.
    public enum Kind: Sendable {
        case integer(ClosedRange<Int>)
        /// A real number in a range; `openLower`/`openUpper` exclude the bounds.
        case real(ClosedRange<Double>, openLower: Bool = false, openUpper: Bool = false)
        case boolean
        case choice([String])
        /// Free text (a module and function name, a path); must not be empty.
        case text
    }

    public var name: String
    public var kind: Kind
    /// The default as it would be written in a plug-in name; nil for a required parameter.
    public var defaultValue: String?
    public var summary: String

    public init(_ name: String, _ kind: Kind, default defaultValue: String, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// A parameter that must be given (a Python function, a file): no default.
    public init(required name: String, _ kind: Kind, _ summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = nil
        self.summary = summary
    }

    /// The allowed values in words, for `quantbench list` and for error messages.
    public var allowedDescription: String {
        switch kind {
        case let .integer(range): return "integer \(range.lowerBound)…\(range.upperBound)"
        case let .real(range, openLower, openUpper):
            return "number in \(openLower ? "(" : "[")\(range.lowerBound), \(range.upperBound)\(openUpper ? ")" : "]")"
        case .boolean: return "true or false"
        case let .choice(options): return "one of " + options.joined(separator: ", ")
        case .text: return "text"
        }
    }

    /// Checks a written value against the kind and returns it in canonical spelling.
    func validate(_ raw: String, plugin: String) throws -> PluginValue {
        let fail = { (why: String) in
            QuantCoreError.badParameter(plugin: plugin, parameter: name, reason: "is '\(raw)' but must be \(why)")
        }
        switch kind {
        case let .integer(range):
            guard let value = Int(raw) else { throw fail(allowedDescription) }
            guard range.contains(value) else { throw fail(allowedDescription) }
            return .integer(value)
        case let .real(range, openLower, openUpper):
            guard let value = Double(raw), value.isFinite else { throw fail(allowedDescription) }
            let ok = (openLower ? value > range.lowerBound : value >= range.lowerBound)
                && (openUpper ? value < range.upperBound : value <= range.upperBound)
            guard ok else { throw fail(allowedDescription) }
            return .real(value)
        case .boolean:
            switch raw.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: throw fail(allowedDescription)
            }
        case let .choice(options):
            guard options.contains(raw) else { throw fail(allowedDescription) }
            return .choice(raw)
        case .text:
            guard !raw.isEmpty else { throw fail("non-empty text") }
            return .text(raw)
        }
    }
}

/// A validated parameter value.
public enum PluginValue: Sendable, Hashable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case boolean(Bool)
    case choice(String)
    case text(String)

    public var description: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case let .boolean(v): return String(v)
        case let .choice(v): return v
        case let .text(v): return v
        }
    }
}
