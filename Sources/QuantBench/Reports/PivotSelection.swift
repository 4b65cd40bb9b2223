import QuantCore

/// The cells a pivot uses: the spec's axes, filters and metric checked against the records,
/// then the records filtered.
struct PivotSelection {
    /// Selected ok cells that record the metric, in record order.
    var measured: [CellRecord]
    /// Selected failed cells, in record order.
    var failed: [CellRecord]
    /// How many cells the filters selected.
    var selectedCount: Int
    /// Axis → display order of its values among the selected cells.
    var order: [String: [String]]

    init(records: [CellRecord], spec: PivotSpec) throws(ReportError) {
        try Self.checkAxes(spec, records: records)
        let selected = records.filter { Self.matches($0, spec.filters) }
        guard !selected.isEmpty else {
            let pairs = spec.filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: "|"))" }
            throw .emptySelection(detail: "no cell has all of \(pairs.joined(separator: ", ")) (each alone matches some cells)")
        }
        let ok = selected.filter { $0.status == .ok }
        failed = selected.filter { $0.status == .failed }
        selectedCount = selected.count
        guard !ok.isEmpty else {
            throw .allCellsFailed(count: failed.count, firstError: failed.first?.error ?? "no error message")
        }
        let metrics = Set(records.filter { $0.status == .ok }.flatMap(\.metrics.keys)).sorted()
        guard metrics.contains(spec.metric) else {
            throw .unknownMetric(spec.metric, known: metrics, suggestions: closeMatches(spec.metric, in: metrics))
        }
        measured = ok.filter { $0.metrics[spec.metric] != nil }
        guard !measured.isEmpty else {
            throw .emptySelection(
                detail: "none of the \(ok.count) selected ok cells records '\(spec.metric)' (only cells outside the --where selection do)")
        }
        order = Self.valueOrder(spec, cells: measured + failed)
    }

    /// Whether `cell` takes one of the accepted values on every filtered axis.
    static func matches(_ cell: CellRecord, _ filters: [String: [String]]) -> Bool {
        filters.allSatisfy { axis, values in cell.axes[axis].map(values.contains) ?? false }
    }

    /// Checks that rows are given, no axis is repeated, and every named axis and filter value exists.
    static func checkAxes(_ spec: PivotSpec, records: [CellRecord]) throws(ReportError) {
        guard !spec.rows.isEmpty else { throw .noRows }
        var seen: Set<String> = []
        for axis in spec.rows + spec.columns where !seen.insert(axis).inserted { throw .repeatedAxis(axis) }
        let known = Set(records.flatMap(\.axes.keys)).sorted()
        let named = spec.rows.map { ($0, "rows") } + spec.columns.map { ($0, "columns") }
            + spec.filters.keys.sorted().map { ($0, "where") }
        for (axis, role) in named where !known.contains(axis) {
            throw .unknownAxis(axis, role: role, known: known, suggestions: closeMatches(axis, in: known))
        }
        for (axis, accepted) in spec.filters.sorted(by: { $0.key < $1.key }) {
            let values = appearanceOrder(records.compactMap { $0.axes[axis] })
            for value in accepted where !values.contains(value) {
                throw .unknownValue(axis: axis, value: value, known: values, suggestions: closeMatches(value, in: values))
            }
        }
    }

    /// For each row and column axis: the spec's order for the values present, then the others
    /// in order of first appearance.
    static func valueOrder(_ spec: PivotSpec, cells: [CellRecord]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for axis in spec.rows + spec.columns {
            let present = appearanceOrder(cells.map { $0.axes[axis] ?? PivotTable.missingValue })
            let given = (spec.valueOrder[axis] ?? []).filter(present.contains)
            result[axis] = appearanceOrder(given + present)
        }
        return result
    }

    /// The distinct values in order of first appearance.
    static func appearanceOrder(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
