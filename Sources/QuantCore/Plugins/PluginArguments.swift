/// A plug-in's parameters after validation: every declared parameter has a value.
///
/// Built by ``PluginDescriptor/arguments(for:)`` from a ``PluginSpec``; factories read typed
/// values from it. A getter for an undeclared name or the wrong type is a programming error.
public struct PluginArguments: Sendable, Hashable {
    /// The plug-in's id as written (e.g. `int8`).
    public let pluginID: String
    /// Values in declaration order.
    public let values: [(name: String, value: PluginValue)]
    /// Which parameters differ from their defaults, for the canonical name.
    let explicit: Set<String>

    init(pluginID: String, values: [(name: String, value: PluginValue)], explicit: Set<String>) {
        self.pluginID = pluginID
        self.values = values
        self.explicit = explicit
    }

    private func value(_ name: String) -> PluginValue {
        guard let entry = values.first(where: { $0.name == name }) else {
            preconditionFailure("plug-in \(pluginID) reads undeclared parameter '\(name)'")
        }
        return entry.value
    }

    public func integer(_ name: String) -> Int {
        guard case let .integer(v) = value(name) else { preconditionFailure("\(name) is not an integer") }
        return v
    }

    public func real(_ name: String) -> Double {
        switch value(name) {
        case let .real(v): return v
        case let .integer(v): return Double(v)
        default: preconditionFailure("\(name) is not a number")
        }
    }

    public func boolean(_ name: String) -> Bool {
        guard case let .boolean(v) = value(name) else { preconditionFailure("\(name) is not a boolean") }
        return v
    }

    public func text(_ name: String) -> String {
        guard case let .text(v) = value(name) else { preconditionFailure("\(name) is not text") }
        return v
    }

    public func choice(_ name: String) -> String {
        guard case let .choice(v) = value(name) else { preconditionFailure("\(name) is not a choice") }
        return v
    }

    /// The canonical name: the id, then the parameters that differ from their defaults.
    public var canonicalName: String {
        let args = values.filter { explicit.contains($0.name) }.map { "\($0.name)=\($0.value)" }
        return args.isEmpty ? pluginID : "\(pluginID)(\(args.joined(separator: ", ")))"
    }

    /// Every parameter with its value, defaults included: `percentile(percentile=99.99)`.
    public var fullName: String {
        let args = values.map { "\($0.name)=\($0.value)" }
        return args.isEmpty ? pluginID : "\(pluginID)(\(args.joined(separator: ", ")))"
    }

    public static func == (lhs: PluginArguments, rhs: PluginArguments) -> Bool { lhs.fullName == rhs.fullName }
    public func hash(into hasher: inout Hasher) { hasher.combine(fullName) }
}
