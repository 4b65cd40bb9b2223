extension PivotTable {
    /// The table as booktabs LaTeX that compiles as is (needs `\usepackage{booktabs}`).
    ///
    /// A `table` environment (with `\caption` and `\label` if given) around a `tabular`: one left
    /// column per row axis, one right column per column key; `\toprule`, a header naming the
    /// metric with its unit and `$\uparrow$`/`$\downarrow$`, one header line per column axis
    /// (outer axes as `\multicolumn` groups underlined by `\cmidrule`), `\midrule`, the rows,
    /// `\bottomrule`. Replicated slots under the mean read `$0.884 \pm 0.003$`; the best value of
    /// each column (by the metric's direction, as displayed, ties all) is in `\textbf{}`; empty
    /// slots read `---`. Axis values are escaped.
    public func latex(_ options: PivotRenderOptions = PivotRenderOptions()) -> String {
        let formatter = SlotFormatter(self, options: options)
        var lines = ["\\begin{table}[htbp]", "\\centering"]
        if let caption = options.caption { lines.append("\\caption{\(LaTeXText.escaped(caption))}") }
        if let label = options.label { lines.append("\\label{\(label)}") }
        let alignment = String(repeating: "l", count: spec.rows.count) + String(repeating: "r", count: columnKeys.count)
        lines.append("\\begin{tabular}{\(alignment)}")
        lines.append("\\toprule")
        lines += latexHeader(metric: Self.latexMetricHeader(formatter.info))
        lines.append("\\midrule")
        for (r, key) in rowKeys.enumerated() {
            let cells = key.map(LaTeXText.escaped) + formatter.texts[r].map(Self.latexCell)
            lines.append(cells.joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header lines between `\toprule` and `\midrule`.
    func latexHeader(metric: String) -> [String] {
        let stubNames = spec.rows.map(LaTeXText.escaped)
        guard !spec.columns.isEmpty else { return [(stubNames + [metric]).joined(separator: " & ") + " \\\\"] }
        let stub = spec.rows.count, count = columnKeys.count
        let emptyStub = Array(repeating: "", count: stub)
        var lines = [(emptyStub + ["\\multicolumn{\(count)}{c}{\(metric)}"]).joined(separator: " & ") + " \\\\"]
        lines.append("\\cmidrule(lr){\(stub + 1)-\(stub + count)}")
        for level in 0..<(spec.columns.count - 1) {
            let groups = columnGroups(level: level)
            let cells = groups.map { "\\multicolumn{\($0.span)}{c}{\(LaTeXText.escaped($0.value))}" }
            lines.append((emptyStub + cells).joined(separator: " & ") + " \\\\")
            var start = stub + 1
            var rules: [String] = []
            for group in groups {
                rules.append("\\cmidrule(lr){\(start)-\(start + group.span - 1)}")
                start += group.span
            }
            lines.append(rules.joined(separator: " "))
        }
        let innermost = columnKeys.map { LaTeXText.escaped($0.last ?? "") }
        lines.append((stubNames + innermost).joined(separator: " & ") + " \\\\")
        return lines
    }

    /// Runs of consecutive columns that share their keys up to `level`, with the value at `level`.
    func columnGroups(level: Int) -> [(value: String, span: Int)] {
        var groups: [(prefix: ArraySlice<String>, value: String, span: Int)] = []
        for key in columnKeys {
            let prefix = key[...level]
            if let last = groups.last, last.prefix == prefix {
                groups[groups.count - 1].span += 1
            } else {
                groups.append((prefix, key[level], 1))
            }
        }
        return groups.map { ($0.value, $0.span) }
    }

    /// "Top-1 (\%) $\uparrow$": the metric's label, unit and direction.
    static func latexMetricHeader(_ info: MetricInfo) -> String {
        var header = LaTeXText.escaped(info.label)
        if let unit = info.unit { header += " (\(LaTeXText.escaped(unit)))" }
        switch info.direction {
        case .higherIsBetter: header += " $\\uparrow$"
        case .lowerIsBetter: header += " $\\downarrow$"
        case .unknown: break
        }
        return header
    }

    /// One slot: `88.40`, `$-1.20$`, `$0.884 \pm 0.003$`, bold forms, `NaN`, `$\infty$` or `---`.
    static func latexCell(_ text: SlotText?) -> String {
        guard let text else { return "---" }
        let math: String
        switch text.value {
        case .nan: return "NaN"
        case let .infinity(negative): math = negative ? "-\\infty" : "\\infty"
        case let .finite(number): math = number
        }
        guard text.spread != nil || math.hasPrefix("-") || math.contains("infty") else {
            return text.isBest ? "\\textbf{\(math)}" : math
        }
        let body = "$" + math + (text.spread.map { " \\pm " + $0 } ?? "") + "$"
        return text.isBest ? "\\textbf{\\boldmath\(body)}" : body
    }
}
