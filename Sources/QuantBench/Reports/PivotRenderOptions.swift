/// The text formats a pivot table is written in.
public enum TableFormat: String, Sendable, Codable, CaseIterable {
    /// booktabs LaTeX: a `table` environment around a `tabular`.
    case latex
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// Comma-separated values (RFC 4180), numbers unscaled and unrounded.
    case csv

    /// The usual file extension (`tex`, `md`, `csv`).
    public var fileExtension: String {
        switch self {
        case .latex: "tex"
        case .markdown: "md"
        case .csv: "csv"
        }
    }

    /// The format whose extension `fileExtension` is (`tex`/`latex`, `md`/`markdown`, `csv`), or `nil`.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "tex", "latex": self = .latex
        case "md", "markdown": self = .markdown
        case "csv": self = .csv
        default: return nil
        }
    }
}

/// How a pivot table is rendered: metric descriptions, precision, caption and label.
public struct PivotRenderOptions: Sendable, Equatable {
    /// Labels, units, directions, scales and default precisions of the metrics.
    public var catalog: MetricCatalog
    /// Decimals after scaling; `nil` uses the catalog's precision for the metric. CSV ignores it.
    public var precision: Int?
    /// The LaTeX `\caption` (and a caption line above a Markdown table), or `nil` for none.
    public var caption: String?
    /// The LaTeX `\label`, or `nil` for none. Markdown and CSV ignore it.
    public var label: String?
    /// Whether LaTeX and Markdown show "mean ± std" for replicated slots under the mean.
    public var showsStandardDeviation: Bool

    /// Creates options; the defaults are the standard catalog, its precision, no caption or label, ± shown.
    public init(
        catalog: MetricCatalog = .standard, precision: Int? = nil, caption: String? = nil, label: String? = nil,
        showsStandardDeviation: Bool = true
    ) {
        self.catalog = catalog
        self.precision = precision
        self.caption = caption
        self.label = label
        self.showsStandardDeviation = showsStandardDeviation
    }
}

extension PivotTable {
    /// The table as text in `format`.
    public func rendered(as format: TableFormat, options: PivotRenderOptions = PivotRenderOptions()) -> String {
        switch format {
        case .latex: latex(options)
        case .markdown: markdown(options)
        case .csv: csv(options)
        }
    }
}
