/// The pivot's layout: row and column keys in display order, and the cells of each slot, checked
/// to differ only in their seed.
struct SlotGrouping {
    var rowKeys: [[String]]
    var columnKeys: [[String]]
    var slots: [[SampleSummary?]]

    init(selection: PivotSelection, spec: PivotSpec) throws(ReportError) {
        let everyCell = selection.measured + selection.failed
        rowKeys = Self.sortedKeys(everyCell.map { Self.key($0, spec.rows) }, axes: spec.rows, order: selection.order)
        columnKeys = Self.sortedKeys(everyCell.map { Self.key($0, spec.columns) }, axes: spec.columns, order: selection.order)
        let rowIndex = Dictionary(uniqueKeysWithValues: rowKeys.enumerated().map { ($1, $0) })
        let columnIndex = Dictionary(uniqueKeysWithValues: columnKeys.enumerated().map { ($1, $0) })
        var cells = Array(repeating: Array(repeating: [CellRecord](), count: columnKeys.count), count: rowKeys.count)
        for cell in selection.measured {
            cells[rowIndex[Self.key(cell, spec.rows)]!][columnIndex[Self.key(cell, spec.columns)]!].append(cell)
        }
        var offending: [ReplicateCheck.Offence] = []
        for (r, row) in cells.enumerated() {
            for (c, group) in row.enumerated() where group.count > 1 {
                let slot = Self.describe(spec.rows, rowKeys[r]) + Self.describe(spec.columns, columnKeys[c])
                if let offence = try ReplicateCheck.check(group, slot: slot.joined(separator: ", ")) { offending.append(offence) }
            }
        }
        if let first = offending.first {
            throw .ambiguousSlot(slot: first.slot, differing: ReplicateCheck.merged(offending))
        }
        slots = cells.map { row in row.map { group in group.isEmpty ? nil : SampleSummary(group.map { $0.metrics[spec.metric]! }) } }
    }

    /// The cell's values on `axes` ("—" for an axis it lacks).
    static func key(_ cell: CellRecord, _ axes: [String]) -> [String] {
        axes.map { cell.axes[$0] ?? PivotTable.missingValue }
    }

    /// `["axis=value", …]` for a slot description.
    static func describe(_ axes: [String], _ key: [String]) -> [String] {
        zip(axes, key).map { "\($0)=\($1)" }
    }

    /// The distinct keys, ordered axis by axis (the first axis varies slowest) by `order`.
    static func sortedKeys(_ keys: [[String]], axes: [String], order: [String: [String]]) -> [[String]] {
        let ranks = axes.map { axis in Dictionary(uniqueKeysWithValues: (order[axis] ?? []).enumerated().map { ($1, $0) }) }
        var seen: Set<[String]> = []
        let unique = keys.filter { seen.insert($0).inserted }
        return unique.sorted { a, b in
            for (i, rank) in ranks.enumerated() where a[i] != b[i] {
                return (rank[a[i]] ?? Int.max) < (rank[b[i]] ?? Int.max)
            }
            return false
        }
    }
}

/// Whether the cells sharing a slot are seed replicates of one configuration.
enum ReplicateCheck {
    /// The axes in which one slot's cells differ beyond the seed.
    struct Offence {
        var slot: String
        var differing: [ReportError.AxisValues]
    }

    /// `nil` if `cells` differ only in their seed; the offending axes otherwise.
    ///
    /// - Throws: ``ReportError/duplicateCells(slot:hashes:experiments:)`` if two cells have identical axes.
    static func check(_ cells: [CellRecord], slot: String) throws(ReportError) -> Offence? {
        var byAxes: [[String: String]: [CellRecord]] = [:]
        for cell in cells { byAxes[cell.axes, default: []].append(cell) }
        if let duplicates = byAxes.values.first(where: { $0.count > 1 }) {
            let experiments = PivotSelection.appearanceOrder(duplicates.map(\.experiment))
            throw .duplicateCells(slot: slot, hashes: duplicates.map { String($0.hash.prefix(12)) }, experiments: experiments)
        }
        let axes = Set(cells.flatMap(\.axes.keys)).sorted()
        var differing: [ReportError.AxisValues] = []
        for axis in axes {
            let values = PivotSelection.appearanceOrder(cells.map { $0.axes[axis] ?? PivotTable.missingValue })
            if values.count > 1, !ReplicateAxes.isReplicateDifference(axis: axis, values: values) {
                differing.append(ReportError.AxisValues(axis: axis, values: values))
            }
        }
        return differing.isEmpty ? nil : Offence(slot: slot, differing: differing)
    }

    /// The offending axes over all slots, each with the union of its values.
    static func merged(_ offences: [Offence]) -> [ReportError.AxisValues] {
        var result: [ReportError.AxisValues] = []
        for entry in offences.flatMap(\.differing) {
            if let i = result.firstIndex(where: { $0.axis == entry.axis }) {
                result[i].values = PivotSelection.appearanceOrder(result[i].values + entry.values)
            } else {
                result.append(entry)
            }
        }
        return result.sorted { $0.axis < $1.axis }
    }
}
