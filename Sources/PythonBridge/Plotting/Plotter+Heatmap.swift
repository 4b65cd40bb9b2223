import Foundation

extension Plotter {
    /// A heatmap of a table, e.g. a metric per layer (rows) and calibrator (columns), with a colour bar.
    ///
    /// Cells are annotated with their value (3 significant digits) when `annotate` is true, or,
    /// when it is nil, when the table has at most 120 cells. Non-finite cells are left blank.
    ///
    /// - Parameters:
    ///   - rows: Row names, top to bottom.
    ///   - columns: Column names, left to right.
    ///   - values: `values[row][column]`; `rows.count` rows of `columns.count` values.
    ///   - colorbarLabel: What the colours measure, e.g. `SQNR (dB)`.
    ///   - annotate: Whether to write each value in its cell; nil decides by size.
    ///   - style: Title, axis labels, size and resolution.
    ///   - path: The output file, `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError`` for bad data or path, or when matplotlib is missing or raises.
    public static func heatmap(
        rows: [String], columns: [String], values: [[Double]], colorbarLabel: String = "", annotate: Bool? = nil,
        style: PlotStyle = PlotStyle(), to path: String
    ) throws {
        guard !rows.isEmpty, !columns.isEmpty else {
            throw PythonBridgeError.invalidPlotData("a heatmap needs at least one row and one column (got \(rows.count) and \(columns.count))")
        }
        guard values.count == rows.count, values.allSatisfy({ $0.count == columns.count }) else {
            throw PythonBridgeError.invalidPlotData(
                "a heatmap of \(rows.count) rows × \(columns.count) columns needs that many values; got rows of "
                    + values.map { String($0.count) }.joined(separator: ", "))
        }
        let finite = values.joined().filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        let writeValues = annotate ?? (rows.count * columns.count <= 120)
        try draw(to: path, style: style) { figure, axes in
            let image = try axes.callMethod(
                "imshow", [values], keywords: ["aspect": "auto", "cmap": "viridis", "interpolation": "nearest"])
            try figure.callMethod("colorbar", [image], keywords: ["ax": axes, "label": colorbarLabel])
            let slant = slanted(columns)
            try axes.callMethod(
                "set_xticks", [Array(columns.indices)],
                keywords: ["labels": columns, "rotation": slant ? 30 : 0, "ha": slant ? "right" : "center"])
            try axes.callMethod("set_yticks", [Array(rows.indices)], keywords: ["labels": rows])
            guard writeValues else { return }
            for (r, row) in values.enumerated() {
                for (c, value) in row.enumerated() where value.isFinite {
                    let shade = high > low ? (value - low) / (high - low) : 0.5
                    try axes.callMethod(
                        "text", [c, r, String(format: "%.3g", value)],
                        keywords: ["ha": "center", "va": "center", "fontsize": 7, "color": shade < 0.6 ? "white" : "black"])
                }
            }
        }
    }
}
