extension PivotTable {
    /// The table as GitHub-flavoured Markdown.
    ///
    /// The caption (if any) and, when there are column axes, a line naming the metric and the
    /// column axes come first; then the table, one column per row axis (left-aligned) and one per
    /// column key (right-aligned; two column axes read "int4 / per-channel"). Replicated slots
    /// under the mean read "0.884 ± 0.003", the best of each column is `**bold**`, empty slots "—".
    public func markdown(_ options: PivotRenderOptions = PivotRenderOptions()) -> String {
        let formatter = SlotFormatter(self, options: options)
        let metric = Self.plainMetricHeader(formatter.info)
        var lines: [String] = []
        if let caption = options.caption { lines += [Self.markdownEscaped(caption), ""] }
        let valueHeaders: [String]
        if spec.columns.isEmpty {
            valueHeaders = [metric]
        } else {
            lines += ["\(metric) by \(spec.columns.joined(separator: " / "))", ""]
            valueHeaders = columnKeys.map { $0.joined(separator: " / ") }
        }
        lines.append(Self.markdownRow(spec.rows + valueHeaders))
        lines.append(Self.markdownRow(spec.rows.map { _ in ":--" } + columnKeys.map { _ in "--:" }, escaping: false))
        for (r, key) in rowKeys.enumerated() {
            lines.append(Self.markdownRow(key, escaping: true, raw: formatter.texts[r].map(Self.markdownCell)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "Top-1 (%) ↑": the metric's label, unit and direction in plain Unicode.
    static func plainMetricHeader(_ info: MetricInfo) -> String {
        var header = info.label
        if let unit = info.unit { header += " (\(unit))" }
        switch info.direction {
        case .higherIsBetter: header += " ↑"
        case .lowerIsBetter: header += " ↓"
        case .unknown: break
        }
        return header
    }

    /// `| a | b |`, the cells escaped unless told otherwise, then the `raw` cells as they are.
    static func markdownRow(_ cells: [String], escaping: Bool = true, raw: [String] = []) -> String {
        "| " + ((escaping ? cells.map(markdownEscaped) : cells) + raw).joined(separator: " | ") + " |"
    }

    /// One slot: `0.884 ± 0.003`, `**88.40**`, `NaN`, `∞` or `—`.
    static func markdownCell(_ text: SlotText?) -> String {
        guard let text else { return "—" }
        var body: String
        switch text.value {
        case .nan: return "NaN"
        case let .infinity(negative): body = negative ? "-∞" : "∞"
        case let .finite(number): body = number
        }
        if let spread = text.spread { body += " ± " + spread }
        return text.isBest ? "**\(body)**" : body
    }

    /// `text` with the characters that would break a table cell or start emphasis escaped:
    /// `\ | * `` ` `` and `_` at the edge of a word.
    static func markdownEscaped(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        for (i, character) in characters.enumerated() {
            switch character {
            case "\\", "|", "*", "`":
                result += "\\" + String(character)
            case "_":
                let before = i > 0 ? characters[i - 1] : " ", after = i + 1 < characters.count ? characters[i + 1] : " "
                let intraword = (before.isLetter || before.isNumber) && (after.isLetter || after.isNumber)
                result += intraword ? "_" : "\\_"
            default:
                result.append(character)
            }
        }
        return result
    }
}
