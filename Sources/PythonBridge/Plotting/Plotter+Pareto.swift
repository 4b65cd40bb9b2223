extension Plotter {
    /// The points no other point beats on both axes, in increasing `x`.
    ///
    /// Point `p` is dominated when some `q` is at least as good on both axes and better on one
    /// ("better" is lower `x` when `lowerXBetter`, higher `y` when `higherYBetter`). Points with a
    /// non-finite coordinate are never on the frontier; of exact duplicates, the first is kept.
    ///
    /// - Parameters:
    ///   - points: The candidates, e.g. (bits per element, SQNR) per configuration.
    ///   - lowerXBetter: Whether a smaller `x` (size, cost) is better.
    ///   - higherYBetter: Whether a larger `y` (accuracy) is better.
    /// - Returns: Indices into `points`.
    /// - Complexity: O(n log n).
    public static func paretoFrontier(_ points: [ScatterPoint], lowerXBetter: Bool = true, higherYBetter: Bool = true) -> [Int] {
        let cost = { (p: ScatterPoint) in lowerXBetter ? p.x : -p.x }
        let gain = { (p: ScatterPoint) in higherYBetter ? p.y : -p.y }
        let candidates = points.indices.filter { points[$0].x.isFinite && points[$0].y.isFinite }
        let ordered = candidates.sorted {
            let (a, b) = (points[$0], points[$1])
            if cost(a) != cost(b) { return cost(a) < cost(b) }
            if gain(a) != gain(b) { return gain(a) > gain(b) }
            return $0 < $1
        }
        var frontier: [Int] = []
        var best = -Double.infinity
        for index in ordered where gain(points[index]) > best {
            frontier.append(index)
            best = gain(points[index])
        }
        return frontier.sorted { points[$0].x < points[$1].x }
    }

    /// A scatter plot with its Pareto frontier drawn through the non-dominated points.
    ///
    /// Points are labelled when there are at most 40 of them; see ``paretoFrontier(_:lowerXBetter:higherYBetter:)``.
    ///
    /// - Parameters:
    ///   - points: One point per configuration, e.g. bits per element against SQNR.
    ///   - lowerXBetter: Whether a smaller `x` is better (size, cost).
    ///   - higherYBetter: Whether a larger `y` is better (accuracy).
    ///   - style: Title, axis labels, size and resolution.
    ///   - path: The output file, `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError`` for bad data or path, or when matplotlib is missing or raises.
    public static func paretoScatter(
        _ points: [ScatterPoint], lowerXBetter: Bool = true, higherYBetter: Bool = true, style: PlotStyle = PlotStyle(),
        to path: String
    ) throws {
        let frontier = paretoFrontier(points, lowerXBetter: lowerXBetter, higherYBetter: higherYBetter)
        guard !frontier.isEmpty else { throw PythonBridgeError.invalidPlotData("a scatter plot needs at least one point with finite x and y") }
        try draw(to: path, style: style) { _, axes in
            try axes.callMethod(
                "scatter", [points.map(\.x), points.map(\.y)],
                keywords: ["color": color(0), "alpha": 0.7, "label": "configurations", "zorder": 2])
            try axes.callMethod(
                "plot", [frontier.map { points[$0].x }, frontier.map { points[$0].y }],
                keywords: ["color": color(3), "marker": "D", "linewidth": 1.5, "label": "Pareto frontier", "zorder": 3])
            if points.count <= 40 {
                for point in points where point.x.isFinite && point.y.isFinite {
                    try axes.callMethod(
                        "annotate", [point.label, [point.x, point.y]],
                        keywords: ["xytext": [4, 4], "textcoords": "offset points", "fontsize": 7])
                }
            }
            try axes.callMethod("grid", [true], keywords: ["alpha": 0.3])
            try axes.callMethod("legend", keywords: ["fontsize": "small"])
        }
    }
}
