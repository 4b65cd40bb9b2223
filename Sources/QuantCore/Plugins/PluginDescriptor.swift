/// What a registry knows about one plug-in: its id, parameters, description, version and how
/// to build it.
///
/// `Value` is the plug-in protocol's existential (`any NumericFormat`, ...). An id may carry a
/// number, as in `int8` or `uint4`: such a descriptor has an ``idPrefix`` and names the
/// parameter that the number binds to.
public struct PluginDescriptor<Value>: Sendable {
    /// How the id is written: exactly, or a prefix followed by a number (`int` + `8`).
    public enum IDPattern: Sendable {
        case exact(String)
        case prefixed(String, numberParameter: String)
    }

    public var pattern: IDPattern
    public var parameters: [PluginParameter]
    public var summary: String
    /// Enters the cache key of every result computed with this plug-in; bump it when output changes.
    public var version: String
    public var make: @Sendable (PluginArguments) throws -> Value

    public init(
        _ pattern: IDPattern, parameters: [PluginParameter] = [], summary: String, version: String = "1",
        make: @escaping @Sendable (PluginArguments) throws -> Value
    ) {
        self.pattern = pattern
        self.parameters = parameters
        self.summary = summary
        self.version = version
        self.make = make
    }

    /// The id as shown in listings: `percentile`, `int<bits>`.
    public var displayID: String {
        switch pattern {
        case let .exact(id): return id
        case let .prefixed(prefix, parameter): return "\(prefix)<\(parameter)>"
        }
    }

    /// Whether `id` names this plug-in, and the number bound by a prefixed id.
    func match(_ id: String) -> (matched: Bool, number: String?) {
        switch pattern {
        case let .exact(exact): return (exact == id, nil)
        case let .prefixed(prefix, _):
            guard id.hasPrefix(prefix) else { return (false, nil) }
            let rest = id.dropFirst(prefix.count)
            guard !rest.isEmpty, rest.allSatisfy({ $0.isNumber || $0 == "-" }) else { return (false, nil) }
            return (true, String(rest))
        }
    }

    /// Validates a spec against the declared parameters, filling in defaults.
    public func arguments(for spec: PluginSpec) throws -> PluginArguments {
        var given: [String: String] = [:]
        var explicit: Set<String> = []
        var free = parameters.map(\.name)
        if case let .prefixed(_, parameter) = pattern, let number = match(spec.id).number {
            given[parameter] = number
            free.removeAll { $0 == parameter }
        }
        guard spec.positional.count <= free.count else {
            throw QuantCoreError.badParameter(
                plugin: spec.description, parameter: spec.positional[free.count],
                reason: "is one positional argument too many (\(displayID) takes \(free.count))")
        }
        for (name, value) in zip(free, spec.positional) {
            given[name] = value
            explicit.insert(name)
        }
        for (key, value) in spec.named {
            guard parameters.contains(where: { $0.name == key }) else {
                let known = parameters.map(\.name).joined(separator: ", ")
                throw QuantCoreError.badParameter(
                    plugin: spec.description, parameter: key,
                    reason: "is not a parameter of \(displayID) (parameters: \(known.isEmpty ? "none" : known))")
            }
            guard given[key] == nil else {
                throw QuantCoreError.badParameter(plugin: spec.description, parameter: key, reason: "is given twice")
            }
            given[key] = value
            explicit.insert(key)
        }
        var values: [(name: String, value: PluginValue)] = []
        for parameter in parameters {
            guard let raw = given[parameter.name] ?? parameter.defaultValue else {
                throw QuantCoreError.badParameter(
                    plugin: spec.description, parameter: parameter.name,
                    reason: "is required (\(parameter.summary)), e.g. \(displayID)(\(parameter.name)=...)")
            }
            values.append((parameter.name, try parameter.validate(raw, plugin: spec.description)))
        }
        var defaults: [String: PluginValue] = [:]
        for parameter in parameters {
            if let raw = parameter.defaultValue { defaults[parameter.name] = try parameter.validate(raw, plugin: displayID) }
        }
        let differing = Set(values.filter { explicit.contains($0.name) && defaults[$0.name] != $0.value }.map(\.name))
        return PluginArguments(pluginID: spec.id, values: values, explicit: differing)
    }
}
