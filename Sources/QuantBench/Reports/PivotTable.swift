import QuantCore

/// One metric of a set of results laid out by axes: rows × columns of slots, each holding the
/// values of the cells that land there (one, or several seed replicates).
///
/// Only cells with status `ok` give values; failed cells that match the filters are kept in
/// ``failedCells`` so a report can list them, and their axis values still make rows and columns
/// (shown as "—" when nothing else fills the slot). Cells that land in one slot must differ only
/// in their seed (the `seed` axis, or the `seed` entry of an inline-table axis such as
/// `calibration`); any other difference is an error naming the axes, because averaging over it
/// would hide a variable.
public struct PivotTable: Sendable {
    /// What was asked for.
    public let spec: PivotSpec
    /// The rows' keys: each holds one value per ``PivotSpec/rows`` axis, in display order.
    public let rowKeys: [[String]]
    /// The columns' keys: each holds one value per ``PivotSpec/columns`` axis; a single empty key
    /// when there are no column axes.
    public let columnKeys: [[String]]
    /// `slots[row][column]`: the values of the cells in that slot, or `nil` for an empty slot.
    public let slots: [[SampleSummary?]]
    /// The failed cells among the selected ones, in store order.
    public let failedCells: [CellRecord]
    /// How many cells the filters selected (ok and failed).
    public let selectedCount: Int

    /// The value shown for an axis that a cell does not have.
    public static let missingValue = "—"

    /// Pivots `records` as `spec` says.
    ///
    /// - Parameters:
    ///   - records: the cells, for example ``ResultsStore/rows(experiment:where:)``; the order
    ///     gives the order of first appearance of axis values.
    ///   - spec: rows, columns, metric, aggregation, filters and value order.
    /// - Throws: ``ReportError``: an unknown axis, metric or filter value (with close matches), an
    ///   empty selection (naming the filter), every selected cell failed, or cells that differ in
    ///   more than their seed sharing a slot.
    public init(records: [CellRecord], spec: PivotSpec) throws(ReportError) {
        let selection = try PivotSelection(records: records, spec: spec)
        let grouping = try SlotGrouping(selection: selection, spec: spec)
        self.spec = spec
        self.rowKeys = grouping.rowKeys
        self.columnKeys = grouping.columnKeys
        self.slots = grouping.slots
        self.failedCells = selection.failed
        self.selectedCount = selection.selectedCount
    }

    /// The slot at the given row and column keys, or `nil` if it is empty or the keys are not in the table.
    public func slot(row: [String], column: [String] = []) -> SampleSummary? {
        guard let r = rowKeys.firstIndex(of: row), let c = columnKeys.firstIndex(of: column) else { return nil }
        return slots[r][c]
    }

    /// The aggregated value at the given keys (``PivotSpec/aggregation`` of the slot), or `nil`.
    public func value(row: [String], column: [String] = []) -> Double? {
        slot(row: row, column: column)?.aggregated(spec.aggregation)
    }

    /// Whether any slot holds more than one value (seed replicates).
    public var hasReplicates: Bool {
        slots.contains { row in row.contains { ($0?.count ?? 0) > 1 } }
    }

    /// A one-line note on the failed cells ("2 failed cells left out: …"), or `nil` if none failed.
    public var failureNote: String? {
        guard !failedCells.isEmpty else { return nil }
        let listed = failedCells.map { cell in
            let axes = (spec.rows + spec.columns).map { "\($0)=\(cell.axes[$0] ?? Self.missingValue)" }.joined(separator: " ")
            return "\(cell.hash.prefix(12)) (\(axes)): \(cell.error ?? "no error message")"
        }
        let noun = failedCells.count == 1 ? "failed cell" : "failed cells"
        return "\(failedCells.count) \(noun) left out: " + listed.joined(separator: "; ")
    }
}
