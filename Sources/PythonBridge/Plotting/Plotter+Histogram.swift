import Foundation
import QuantCore

extension Plotter {
    /// The line styles that tell overlapping calibrators' bounds apart, in turn.
    private static let rangeLineStyles = ["--", "-.", ":", "-"]

    /// A histogram of a tensor's values with each calibrator's clipping range drawn on it.
    ///
    /// Each range is two vertical lines in its own colour and line style, with the tails it
    /// clips (below `lower`, above `upper`) lightly shaded, and one legend entry. Non-finite values
    /// are left out of the histogram. The horizontal axis spans the data and every range.
    ///
    /// - Parameters:
    ///   - tensor: The values (any shape; flattened).
    ///   - bins: Number of equal-width bins, 1…100000.
    ///   - ranges: The clipping ranges to draw, e.g. one per calibrator.
    ///   - logScale: Whether the counts axis is logarithmic (shows the tails).
    ///   - style: Title, axis labels (defaults `value` and `count`), size and resolution.
    ///   - path: The output file, `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError`` for bad data or path, or when matplotlib or numpy is missing or raises.
    public static func histogram(
        _ tensor: Tensor, bins: Int = 200, ranges: [ClipRangeMarker] = [], logScale: Bool = false,
        style: PlotStyle = PlotStyle(), to path: String
    ) throws {
        guard (1...100_000).contains(bins) else { throw PythonBridgeError.invalidPlotData("bins must be 1…100000, not \(bins)") }
        var low = Double.infinity, high = -Double.infinity
        for value in tensor.values where value.isFinite {
            low = Swift.min(low, Double(value))
            high = Swift.max(high, Double(value))
        }
        guard low <= high else { throw PythonBridgeError.invalidPlotData("tensor '\(tensor.name)' has no finite value to draw") }
        let dataSpan = [low, high]
        let finiteCount = tensor.values.reduce(into: 0) { count, value in if value.isFinite { count += 1 } }
        for range in ranges {
            guard range.lower.isFinite, range.upper.isFinite, range.lower <= range.upper else {
                throw PythonBridgeError.invalidPlotData("range '\(range.label)' [\(range.lower), \(range.upper)] must be finite with lower ≤ upper")
            }
            low = Swift.min(low, range.lower)
            high = Swift.max(high, range.upper)
        }
        let pad = high > low ? 0.03 * (high - low) : 1
        let span = (low - pad, high + pad)
        var labelled = style
        if labelled.xLabel.isEmpty { labelled.xLabel = "value" }
        if labelled.yLabel.isEmpty { labelled.yLabel = logScale ? "count (log scale)" : "count" }
        try draw(to: path, style: labelled) { _, axes in
            let numpy = try importModule("numpy")
            let array = try NumpyBridge.numpy(from: tensor).callMethod("ravel")
            let finite = try array.callMethod("__getitem__", [try numpy.callMethod("isfinite", [array])])
            try axes.callMethod(
                "hist", [finite],
                keywords: [
                    "bins": bins, "range": dataSpan, "color": "0.55", "log": logScale,
                    "label": "\(tensor.name) (\(finiteCount) values)",
                ])
            for (index, range) in ranges.enumerated() {
                try drawRange(range, index: index, span: span, on: axes)
            }
            try axes.callMethod("set_xlim", [span.0, span.1])
            try makeRoomForLegend(entries: ranges.count + 1, logScale: logScale, on: axes)
            try axes.callMethod("legend", keywords: ["fontsize": "small", "loc": "upper right"])
        }
    }

    /// A histogram of plain values; drawn as by the `Tensor` overload.
    ///
    /// - Throws: As the tensor version.
    public static func histogram(
        _ values: [Float], bins: Int = 200, ranges: [ClipRangeMarker] = [], logScale: Bool = false,
        style: PlotStyle = PlotStyle(), to path: String
    ) throws {
        let tensor = try Tensor(name: "values", shape: [values.count], values: values)
        try histogram(tensor, bins: bins, ranges: ranges, logScale: logScale, style: style, to: path)
    }

    /// Raises the top of the count axis so the legend (upper right) sits above the bars, not on them.
    ///
    /// The bars keep the lower `1 - f` of the axis, `f` growing with the legend's entries; on a
    /// log axis the fraction is of the decades shown.
    private static func makeRoomForLegend(entries: Int, logScale: Bool, on axes: PythonObject) throws {
        let limits = try axes.callMethod("get_ylim").asArray().map { try $0.asDouble() }
        guard limits.count == 2, limits[1] > limits[0] else { return }
        let fraction = Swift.min(0.6, 0.07 * Double(entries) + 0.05)
        let (bottom, top) = (limits[0], limits[1])
        if logScale, bottom > 0 {
            let decades = log10(top / bottom) / (1 - fraction)
            try axes.callMethod("set_ylim", [bottom, bottom * pow(10, decades)])
        } else {
            try axes.callMethod("set_ylim", [bottom, bottom + (top - bottom) / (1 - fraction)])
        }
    }

    /// Draws one range's bounds and shades what it clips; the caller holds the GIL.
    private static func drawRange(_ range: ClipRangeMarker, index: Int, span: (Double, Double), on axes: PythonObject) throws {
        let lineStyle = rangeLineStyles[(index / 10 + index) % rangeLineStyles.count]
        let colour = color(index)
        try axes.callMethod(
            "axvline", [range.lower], keywords: ["color": colour, "linestyle": lineStyle, "linewidth": 1.4, "label": range.label])
        try axes.callMethod("axvline", [range.upper], keywords: ["color": colour, "linestyle": lineStyle, "linewidth": 1.4])
        if range.lower > span.0 {
            try axes.callMethod("axvspan", [span.0, range.lower], keywords: ["color": colour, "alpha": 0.07, "linewidth": 0])
        }
        if range.upper < span.1 {
            try axes.callMethod("axvspan", [range.upper, span.1], keywords: ["color": colour, "alpha": 0.07, "linewidth": 0])
        }
    }
}
