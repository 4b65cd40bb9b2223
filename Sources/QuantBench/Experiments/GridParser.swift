import QuantCore

/// Turns one grid cell's TOML into a ``GridSpec``, collecting every error rather than stopping
/// at the first.
struct GridParser {
    let file: String
    let cell: ExperimentCell
    let registry: PluginRegistry
    let locator: TOMLLocator
    var errors: [ExperimentError] = []
    var canonicalNames: [String: [String: String]] = [:]
    /// The zoo models of the grid's `model` axis, once parsed (transforms are checked against them).
    var models: [String] = []

    init(file: String, cell: ExperimentCell, registry: PluginRegistry) {
        self.file = file
        self.cell = cell
        self.registry = registry
        self.locator = TOMLLocator(cell.text)
    }

    func at(_ cellLine: Int) -> ExperimentLocation { cell.location(file: file, cellLine: cellLine) }

    func at(key: String, value: String? = nil, from start: Int = 1) -> ExperimentLocation {
        at(locator.line(key: key, value: value, from: start))
    }

    /// The spec, or nil when there were errors (then in ``errors``).
    mutating func parse() -> GridSpec? {
        let table: [String: GridValue]
        do {
            table = try GridValue.parseTOML(cell.text)
        } catch {
            errors.append(.badTOML(at(error.line), reason: error.reason))
            return nil
        }
        for key in table.keys.sorted() where !GridSpec.knownKeys.contains(key) {
            errors.append(.unknownKey(at(key: key), key: key, suggestions: closeMatches(key, in: GridSpec.knownKeys)))
        }
        var axes: [String: [GridValue]] = [:]
        for axis in GridSpec.axisNames {
            axes[axis] = parseAxis(axis, table[axis])
            if axis == "model" { models = (axes[axis] ?? []).compactMap(\.string).filter(GridSpec.zooModels.contains) }
        }
        if table["model"] == nil {
            errors.append(.badValue(at(1), key: "model", value: "(missing)", reason: "every grid needs a model, e.g. model = [\"digits-cnn\"]"))
        }
        let name = table["name"].flatMap { stringValue("name", $0) }
        let zips = parseZips(table["zip"], axes: axes)
        checkSize(axes: axes, zips: zips)
        let metrics = stringList("metrics", table["metrics"])
        let costModels = stringList("cost_models", table["cost_models"])
        for name in costModels {
            do {
                _ = try registry.costModel(name)
            } catch {
                errors.append(.badPlugin(at(key: "cost_models", value: name), axis: "cost_models", name: name, reason: String(describing: error)))
            }
        }
        let excludes = parseRules("exclude", table["exclude"])
        let includes = parseRules("include", table["include"]).map { rule in
            rule.merging(GridSpec.axisNames.compactMap { a in axes[a]?.first.map { (a, $0) } }) { given, _ in given }
        }
        guard errors.isEmpty else { return nil }
        return GridSpec(
            name: name, axes: axes, zips: zips, excludes: excludes, includes: includes, metrics: metrics,
            costModels: costModels, canonicalNames: canonicalNames, cell: cell)
    }

    /// The checked values of `axis`: a list, or a scalar as one value, or the default.
    mutating func parseAxis(_ axis: String, _ raw: GridValue?) -> [GridValue] {
        guard let raw else {
            let defaults = GridSpec.defaults[axis].map { [$0] } ?? []
            // A default plug-in is canonicalized as a written one, so leaving an axis out and
            // writing its default give the same cell hash.
            for text in defaults.compactMap(\.string) where GridSpec.pluginAxes[axis] != nil { _ = checkPlugin(axis, text, at: at(1)) }
            return defaults
        }
        let items: [GridValue]
        if case let .array(list) = raw {
            guard !list.isEmpty else {
                errors.append(.badValue(at(key: axis), key: axis, value: "[]", reason: "an axis needs at least one value"))
                return []
            }
            items = list
        } else {
            items = [raw]
        }
        return items.compactMap { checkValue(axis, $0) }
    }

    mutating func stringValue(_ key: String, _ value: GridValue) -> String? {
        guard let string = value.string else {
            errors.append(.wrongType(at(key: key), key: key, expected: "a string", found: "\(value.typeName) (\(value))"))
            return nil
        }
        return string
    }

    /// The largest product a grid may expand to before anything is allocated for it.
    static let maximumCells = 100_000

    /// Records an error when the product of the axes (zip groups counted once) is too large.
    mutating func checkSize(axes: [String: [GridValue]], zips: [[String]]) {
        let lone = GridSpec.axisNames.filter { axis in !zips.contains { $0.contains(axis) } }.map { [$0] }
        var count = 1
        for group in lone + zips {
            let length = group.map { axes[$0]?.count ?? 1 }.min() ?? 1
            let (product, overflow) = count.multipliedReportingOverflow(by: max(length, 1))
            count = overflow ? Int.max : product
        }
        if count > Self.maximumCells {
            errors.append(.badValue(at(1), key: "grid", value: "\(count == Int.max ? "too many" : String(count)) cells",
                reason: "a grid expands to at most \(Self.maximumCells) cells; split it or zip axes"))
        }
    }

    /// A list of strings (a single string counts as a list of one).
    mutating func stringList(_ key: String, _ raw: GridValue?) -> [String] {
        guard let raw else { return [] }
        let items: [GridValue]
        if case let .array(list) = raw { items = list } else { items = [raw] }
        var result: [String] = []
        for item in items {
            guard let s = item.string else {
                errors.append(.wrongType(at(key: key), key: key, expected: "a list of strings", found: "a list holding \(item.typeName)"))
                continue
            }
            result.append(s)
        }
        return result
    }

    /// `zip = [["a", "b"], …]`: known axes, each in one group, of equal lengths.
    mutating func parseZips(_ raw: GridValue?, axes: [String: [GridValue]]) -> [[String]] {
        guard let raw else { return [] }
        let location = at(key: "zip")
        guard case let .array(groups) = raw else {
            errors.append(.wrongType(location, key: "zip", expected: "a list of lists of axis names, e.g. [[\"weights\", \"granularity\"]]", found: raw.typeName))
            return []
        }
        var seen: Set<String> = [], result: [[String]] = []
        for group in groups {
            guard case let .array(names) = group, names.allSatisfy({ $0.string != nil }) else {
                errors.append(.wrongType(location, key: "zip", expected: "a list of lists of axis names", found: "an entry \(group)"))
                continue
            }
            let axisNames = names.compactMap(\.string)
            for name in axisNames where !GridSpec.axisNames.contains(name) {
                errors.append(.unknownKey(at(key: "zip", value: name), key: name, suggestions: closeMatches(name, in: GridSpec.axisNames)))
            }
            for name in axisNames where seen.contains(name) {
                errors.append(.badValue(location, key: "zip", value: "\"\(name)\"", reason: "an axis can be zipped in one group only"))
            }
            seen.formUnion(axisNames)
            let lengths = axisNames.map { axes[$0]?.count ?? 0 }
            if axisNames.allSatisfy(GridSpec.axisNames.contains), Set(lengths).count > 1 {
                errors.append(.zipLengthMismatch(location, axes: axisNames, lengths: lengths))
            }
            result.append(axisNames)
        }
        return result
    }

    /// `exclude` / `include`: a list of tables of axis values.
    mutating func parseRules(_ key: String, _ raw: GridValue?) -> [[String: GridValue]] {
        guard let raw else { return [] }
        let start = locator.keyLine(key) ?? 1
        let entries: [GridValue]
        if case let .array(list) = raw { entries = list } else { entries = [raw] }
        var result: [[String: GridValue]] = []
        for entry in entries {
            guard case let .table(rule) = entry else {
                errors.append(.wrongType(at(start), key: key, expected: "a list of tables of axis values, e.g. [{ weights = \"int4\" }]", found: "a list holding \(entry.typeName)"))
                continue
            }
            var checked: [String: GridValue] = [:]
            for (axis, value) in rule.sorted(by: { $0.key < $1.key }) {
                guard GridSpec.axisNames.contains(axis) else {
                    errors.append(.unknownKey(at(key: axis, from: start), key: axis, suggestions: closeMatches(axis, in: GridSpec.axisNames)))
                    continue
                }
                if let value = checkValue(axis, value, from: start) { checked[axis] = value }
            }
            result.append(checked)
        }
        return result
    }
}
