/// How the replicates that share a table slot (cells differing only in their seed) become one value.
public enum PivotAggregation: String, Sendable, Codable, CaseIterable {
    /// The arithmetic mean; tables show it as mean ± sample standard deviation.
    case mean
    /// The median (the mean of the two middle values for an even count).
    case median
    /// The largest value.
    case max
    /// The smallest value.
    case min
}

/// What to tabulate: which axes make the rows and columns, which metric fills the slots, how
/// seed replicates are combined, and which cells are selected.
public struct PivotSpec: Sendable, Equatable {
    /// The axes whose value combinations make the rows (at least one).
    public var rows: [String]
    /// The axes whose value combinations make the columns (none: one value column).
    public var columns: [String]
    /// The metric shown in the slots.
    public var metric: String
    /// How seed replicates in one slot are combined.
    public var aggregation: PivotAggregation
    /// Axis → accepted values; a cell is selected when each of its filtered axes has one of them.
    public var filters: [String: [String]]
    /// Axis → the order of its values (for example the grid's); values not listed follow in
    /// order of first appearance.
    public var valueOrder: [String: [String]]

    /// Creates a spec.
    public init(
        rows: [String], columns: [String] = [], metric: String, aggregation: PivotAggregation = .mean,
        filters: [String: [String]] = [:], valueOrder: [String: [String]] = [:]
    ) {
        self.rows = rows
        self.columns = columns
        self.metric = metric
        self.aggregation = aggregation
        self.filters = filters
        self.valueOrder = valueOrder
    }
}

/// Summary statistics of the values that share one table slot.
public struct SampleSummary: Sendable, Equatable {
    /// The values, in the order of the cells.
    public var values: [Double]

    /// Creates the summary of `values` (at least one).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a slot summary needs at least one value")
        self.values = values
    }

    /// How many values.
    public var count: Int { values.count }

    /// The arithmetic mean.
    public var mean: Double { values.reduce(0, +) / Double(values.count) }

    /// The sample standard deviation, √(Σ(x − x̄)² / (n − 1)); `nil` for a single value.
    public var standardDeviation: Double? {
        guard values.count > 1 else { return nil }
        let mean = self.mean
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// The median: the middle value, or the mean of the two middle values; NaN if any value is NaN.
    public var median: Double {
        if values.contains(where: \.isNaN) { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The value `aggregation` makes of the replicates (NaN if any value is NaN).
    public func aggregated(_ aggregation: PivotAggregation) -> Double {
        if values.contains(where: \.isNaN) { return .nan }
        switch aggregation {
        case .mean: return mean
        case .median: return median
        case .max: return values.max() ?? .nan
        case .min: return values.min() ?? .nan
        }
    }
}
