/// The plug-ins a run may use, passed down as a value; there is no global registry.
///
/// The workbench builds one with every built-in (`PluginRegistry.builtIn` in QuantBench) and
/// a researcher adds their own with ``register(format:)`` and its siblings before handing it on.
public struct PluginRegistry: Sendable {
    public private(set) var formats: [PluginDescriptor<any NumericFormat>] = []
    public private(set) var granularities: [PluginDescriptor<any Granularity>] = []
    public private(set) var calibrators: [PluginDescriptor<any Calibrator>] = []
    public private(set) var costModels: [PluginDescriptor<any CostModel>] = []

    public init() {}

    /// Adds a format. Registering an id twice is a programming error.
    public mutating func register(format descriptor: PluginDescriptor<any NumericFormat>) {
        Self.checkUnique(descriptor, among: formats)
        formats.append(descriptor)
    }

    public mutating func register(granularity descriptor: PluginDescriptor<any Granularity>) {
        Self.checkUnique(descriptor, among: granularities)
        granularities.append(descriptor)
    }

    public mutating func register(calibrator descriptor: PluginDescriptor<any Calibrator>) {
        Self.checkUnique(descriptor, among: calibrators)
        calibrators.append(descriptor)
    }

    public mutating func register(costModel descriptor: PluginDescriptor<any CostModel>) {
        Self.checkUnique(descriptor, among: costModels)
        costModels.append(descriptor)
    }

    /// Builds the format named by `text`, e.g. `int4(symmetric=false)` or `fp8-e4m3`.
    public func format(_ text: String) throws -> any NumericFormat {
        try resolve(text, in: formats, kind: "format")
    }

    public func granularity(_ text: String) throws -> any Granularity {
        try resolve(text, in: granularities, kind: "granularity")
    }

    public func calibrator(_ text: String) throws -> any Calibrator {
        try resolve(text, in: calibrators, kind: "calibrator")
    }

    /// Builds the cost model named by `text`, e.g. `roofline(chip=h100-sxm)`.
    public func costModel(_ text: String) throws -> any CostModel {
        try resolve(text, in: costModels, kind: "cost model")
    }

    /// The descriptor that `id` names, if any.
    public func descriptor<Value>(for id: String, in list: [PluginDescriptor<Value>]) -> PluginDescriptor<Value>? {
        list.first { $0.match(id).matched }
    }

    private func resolve<Value>(_ text: String, in list: [PluginDescriptor<Value>], kind: String) throws -> Value {
        let spec = try PluginSpec(parsing: text)
        guard let descriptor = descriptor(for: spec.id, in: list) else {
            let names = list.flatMap { d -> [String] in
                switch d.pattern {
                case let .exact(id): return [id]
                case let .prefixed(prefix, _): return [prefix + "8", prefix + "4"]
                }
            }
            throw QuantCoreError.unknownPlugin(kind: kind, id: spec.id, suggestions: closeMatches(spec.id, in: names))
        }
        return try descriptor.make(try descriptor.arguments(for: spec))
    }

    private static func checkUnique<Value>(_ new: PluginDescriptor<Value>, among list: [PluginDescriptor<Value>]) {
        precondition(
            !list.contains { $0.displayID == new.displayID },
            "plug-in id '\(new.displayID)' is registered twice")
    }
}

/// The names in `candidates` within a small edit distance of `word`, closest first.
public func closeMatches(_ word: String, in candidates: [String], limit: Int = 3) -> [String] {
    let lowered = word.lowercased()
    let scored = candidates.map { candidate -> (String, Int) in
        let c = candidate.lowercased()
        let distance = editDistance(lowered, c)
        let bonus = (c.hasPrefix(lowered) || lowered.hasPrefix(c)) ? -2 : 0
        return (candidate, distance + bonus)
    }
    let threshold = max(2, word.count / 2)
    return scored.filter { $0.1 <= threshold }.sorted { $0.1 < $1.1 }.prefix(limit).map(\.0)
}

/// Levenshtein distance between two strings.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
