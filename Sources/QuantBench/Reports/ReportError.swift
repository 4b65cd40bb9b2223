/// What can go wrong when pivoting results or writing result files; each message says what to do.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An axis named in `role` (rows, columns, where, order) is not an axis of any selected cell.
    case unknownAxis(String, role: String, known: [String], suggestions: [String])
    /// The metric is not recorded by any selected cell.
    case unknownMetric(String, known: [String], suggestions: [String])
    /// A filter value is not a value of its axis in the store.
    case unknownValue(axis: String, value: String, known: [String], suggestions: [String])
    /// An axis appears twice among the rows and columns.
    case repeatedAxis(String)
    /// The pivot has no row axis.
    case noRows
    /// The filters select no cell; `detail` says which filter (or which combination) matched nothing.
    case emptySelection(detail: String)
    /// Every selected cell failed, so there is no value to show.
    case allCellsFailed(count: Int, firstError: String)
    /// Cells that differ in axes other than the seed land in the same table slot.
    case ambiguousSlot(slot: String, differing: [AxisValues])
    /// Cells with identical axes (hashes listed) land in the same slot: the store mixes runs.
    case duplicateCells(slot: String, hashes: [String], experiments: [String])
    /// No results store at the path.
    case missingStore(path: String)
    /// A result file could not be written.
    case cannotWrite(path: String, detail: String)

    /// An axis and the values it takes among the cells of one slot.
    public struct AxisValues: Sendable, Equatable {
        /// The axis name.
        public var axis: String
        /// Its distinct values, in order of appearance.
        public var values: [String]

        /// Creates the pair.
        public init(axis: String, values: [String]) {
            self.axis = axis
            self.values = values
        }
    }

    public var description: String {
        switch self {
        case let .unknownAxis(axis, role, known, suggestions):
            return "'\(axis)' (in \(role)) is not an axis of these results\(Self.didYouMean(suggestions)). "
                + "Axes: \(known.joined(separator: ", "))."
        case let .unknownMetric(metric, known, suggestions):
            return "'\(metric)' is not a metric of these results\(Self.didYouMean(suggestions)). "
                + "Metrics: \(known.joined(separator: ", "))."
        case let .unknownValue(axis, value, known, suggestions):
            return "--where \(axis)=\(value) matched nothing: '\(value)' is not a value of \(axis)\(Self.didYouMean(suggestions)). "
                + "Values of \(axis): \(known.map { "'\($0)'" }.joined(separator: ", "))."
        case let .repeatedAxis(axis):
            return "'\(axis)' is named twice among the rows and columns; name each axis once."
        case .noRows:
            return "A pivot table needs at least one row axis (--rows AXIS)."
        case let .emptySelection(detail):
            return "No cell is selected: \(detail). Loosen the --where filters."
        case let .allCellsFailed(count, firstError):
            return "All \(count) selected cells failed, so there is nothing to tabulate (first error: \(firstError))."
        case let .ambiguousSlot(slot, differing):
            let listed = differing.map { "\($0.axis) (\($0.values.joined(separator: ", ")))" }.joined(separator: "; ")
            let pins = differing.map { "--where \($0.axis)=\($0.values.first ?? "")" }.joined(separator: " ")
            return "Cells that differ in more than the seed land in one slot (\(slot)): they differ in \(listed). "
                + "Pin those axes with \(pins), or add them to the rows or columns."
        case let .duplicateCells(slot, hashes, experiments):
            let hint = experiments.count > 1
                ? "they come from experiments \(experiments.joined(separator: ", ")); select one with --experiment"
                : "the store holds the same configuration more than once; delete the stale cells"
            return "Cells \(hashes.joined(separator: ", ")) have the same axes and land in one slot (\(slot)): \(hint)."
        case let .missingStore(path):
            return "No results store at \(path). Give a results folder holding results.sqlite, or the .sqlite file itself."
        case let .cannotWrite(path, detail):
            return "Cannot write \(path): \(detail). Check that the folder exists and is writable."
        }
    }

    /// " (did you mean 'a' or 'b'?)", or "" without suggestions.
    static func didYouMean(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
    }
}
