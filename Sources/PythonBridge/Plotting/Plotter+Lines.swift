extension Plotter {
    /// A line plot: one line with markers per series, e.g. a metric against bit-width, one line per calibrator.
    ///
    /// When every `x` is a whole number and there are at most 16 distinct ones (bit-widths), each
    /// gets a tick.
    ///
    /// - Parameters:
    ///   - series: The lines; each needs as many `x` as `y` values, at least one.
    ///   - style: Title, axis labels, size and resolution.
    ///   - path: The output file, `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError`` for bad data or path, or when matplotlib is missing or raises.
    public static func linePlot(_ series: [LineSeries], style: PlotStyle = PlotStyle(), to path: String) throws {
        guard !series.isEmpty else { throw PythonBridgeError.invalidPlotData("a line plot needs at least one series") }
        for line in series where line.x.count != line.y.count || line.x.isEmpty {
            throw PythonBridgeError.invalidPlotData(
                "series '\(line.label)' has \(line.x.count) x and \(line.y.count) y values; it needs the same number, at least one")
        }
        let xs = Set(series.flatMap(\.x))
        let wholeTicks = xs.count <= 16 && xs.allSatisfy { $0.isFinite && $0 == $0.rounded() }
        try draw(to: path, style: style) { _, axes in
            for (index, line) in series.enumerated() {
                try axes.callMethod(
                    "plot", [line.x, line.y], keywords: ["marker": "o", "label": line.label, "color": color(index)])
            }
            if wholeTicks { try axes.callMethod("set_xticks", [xs.sorted()]) }
            try axes.callMethod("grid", [true], keywords: ["alpha": 0.3])
            try axes.callMethod("legend", keywords: ["fontsize": "small"])
        }
    }

    /// Grouped bars: for each group (e.g. a layer) one bar per series (e.g. a calibrator), side by side.
    ///
    /// - Parameters:
    ///   - groups: The group names along the horizontal axis.
    ///   - series: The bar colours; each has one value per group.
    ///   - style: Title, axis labels, size and resolution.
    ///   - path: The output file, `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError`` for bad data or path, or when matplotlib is missing or raises.
    public static func groupedBars(groups: [String], series: [BarSeries], style: PlotStyle = PlotStyle(), to path: String) throws {
        guard !groups.isEmpty, !series.isEmpty else {
            throw PythonBridgeError.invalidPlotData("grouped bars need at least one group and one series (got \(groups.count) and \(series.count))")
        }
        for bars in series where bars.values.count != groups.count {
            throw PythonBridgeError.invalidPlotData("series '\(bars.label)' has \(bars.values.count) values for \(groups.count) groups")
        }
        let width = 0.8 / Double(series.count)
        try draw(to: path, style: style) { _, axes in
            for (index, bars) in series.enumerated() {
                let offset = (Double(index) - Double(series.count - 1) / 2) * width
                let positions = groups.indices.map { Double($0) + offset }
                try axes.callMethod(
                    "bar", [positions, bars.values], keywords: ["width": width, "label": bars.label, "color": color(index)])
            }
            let slant = slanted(groups)
            try axes.callMethod(
                "set_xticks", [Array(groups.indices)],
                keywords: ["labels": groups, "rotation": slant ? 30 : 0, "ha": slant ? "right" : "center"])
            try axes.callMethod("axhline", [0.0], keywords: ["color": "0.3", "linewidth": 0.8])
            try axes.callMethod("grid", [true], keywords: ["axis": "y", "alpha": 0.3])
            try axes.callMethod("legend", keywords: ["fontsize": "small"])
        }
    }
}
