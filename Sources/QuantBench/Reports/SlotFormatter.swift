import Foundation

/// A slot's value as a table shows it: scaled, rounded, with its spread and whether it is best.
struct SlotText: Equatable {
    /// A displayed number.
    enum Number: Equatable {
        /// A finite value rounded to the table's decimals ("88.40", "-1.20").
        case finite(String)
        /// Not a number.
        case nan
        /// Positive or negative infinity.
        case infinity(negative: Bool)
    }

    /// The aggregated value.
    var value: Number
    /// The sample standard deviation, rounded like the value, when the table shows "±".
    var spread: String?
    /// Whether the value is the best of its column.
    var isBest: Bool
}

/// Formats every slot of a pivot table once for the LaTeX and Markdown renderers.
struct SlotFormatter {
    /// What the catalog says of the metric.
    let info: MetricInfo
    /// Decimals after scaling.
    let decimals: Int
    /// `texts[row][column]`, `nil` for an empty slot.
    let texts: [[SlotText?]]

    init(_ table: PivotTable, options: PivotRenderOptions) {
        let info = options.catalog.info(for: table.spec.metric)
        let decimals = max(0, options.precision ?? info.precision)
        let showsSpread = options.showsStandardDeviation && table.spec.aggregation == .mean
        var texts: [[SlotText?]] = table.slots.map { row in
            row.map { slot in
                slot.map { summary in
                    let spread = showsSpread ? summary.standardDeviation.flatMap { $0.isFinite ? Self.fixed($0 * info.scale, decimals) : nil } : nil
                    return SlotText(value: Self.number(summary.aggregated(table.spec.aggregation) * info.scale, decimals),
                                    spread: spread, isBest: false)
                }
            }
        }
        Self.markBest(&texts, direction: info.direction)
        self.info = info
        self.decimals = decimals
        self.texts = texts
    }

    /// Marks, per column, every value equal (as displayed) to the best one; nothing when the
    /// direction is unknown or fewer than two finite values compete.
    static func markBest(_ texts: inout [[SlotText?]], direction: MetricDirection) {
        guard direction != .unknown, let columns = texts.first?.count else { return }
        for c in 0..<columns {
            let candidates = texts.indices.compactMap { r -> (Int, Double)? in
                guard case let .finite(text)? = texts[r][c]?.value, let value = Double(text) else { return nil }
                return (r, value)
            }
            guard candidates.count > 1 else { continue }
            var best = candidates[0].1
            for (_, value) in candidates where direction.prefers(value, over: best) { best = value }
            for (r, value) in candidates where value == best { texts[r][c]?.isBest = true }
        }
    }

    /// `x` as a displayed number.
    static func number(_ x: Double, _ decimals: Int) -> SlotText.Number {
        if x.isNaN { return .nan }
        if x.isInfinite { return .infinity(negative: x < 0) }
        return .finite(fixed(x, decimals))
    }

    /// `x` with `decimals` decimals; a negative value that rounds to zero loses its sign.
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", x)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }
}
