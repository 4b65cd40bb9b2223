/// Errors raised by QuantCore and by the plug-ins built on it.
///
/// Every message says what was wrong, where, and what to do about it.
public enum QuantCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tensor's element count does not fill its shape.
    case shapeMismatch(tensor: String, shape: [Int], count: Int)
    /// A plug-in id that no registered plug-in has.
    case unknownPlugin(kind: String, id: String, suggestions: [String])
    /// A plug-in name that does not follow `id(arg, key=value)`.
    case malformedPluginSpec(String, reason: String)
    /// A parameter that is unknown, missing, of the wrong type or out of range.
    case badParameter(plugin: String, parameter: String, reason: String)
    /// A granularity that cannot cut this tensor.
    case granularityMismatch(granularity: String, tensor: String, reason: String)
    /// A format that cannot be combined with a granularity or calibrator.
    case incompatible(String)
    /// A tensor with no finite value to calibrate on.
    case noFiniteValues(tensor: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(tensor, shape, count):
            return "tensor '\(tensor)': shape \(shape) needs \(shape.reduce(1, *)) values but \(count) were given"
        case let .unknownPlugin(kind, id, suggestions):
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "unknown \(kind) '\(id)'.\(hint) Run 'quantbench list \(String(kind.map { $0 == " " ? "-" : $0 }))s' for every \(kind) and its parameters."
        case let .malformedPluginSpec(text, reason):
            return "cannot read plug-in name '\(text)': \(reason). Write it as id or id(arg, key=value), e.g. percentile(99.99) or int8(symmetric=false)."
        case let .badParameter(plugin, parameter, reason):
            return "\(plugin): parameter '\(parameter)' \(reason)"
        case let .granularityMismatch(granularity, tensor, reason):
            return "granularity \(granularity) cannot cut tensor '\(tensor)': \(reason)"
        case let .incompatible(reason):
            return reason
        case let .noFiniteValues(tensor):
            return "tensor '\(tensor)' has no finite value (all NaN or Inf): nothing to calibrate on"
        }
    }
}
