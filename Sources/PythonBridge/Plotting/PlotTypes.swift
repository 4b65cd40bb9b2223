/// The file format of a plot, chosen from the output path's extension.
public enum PlotFileFormat: String, Sendable, CaseIterable {
    /// Raster image, `width × dpi` by `height × dpi` pixels.
    case png
    /// Vector document, one page of `width × height` inches.
    case pdf

    /// The format a path's extension names (case-insensitive).
    ///
    /// - Parameter path: Where the plot goes, e.g. `out/sweep.png`.
    /// - Returns: `.png` or `.pdf`.
    /// - Throws: ``PythonBridgeError/unsupportedPlotFormat(path:)`` for any other extension, or none.
    public init(path: String) throws {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), let format = PlotFileFormat(rawValue: name[name.index(after: dot)...].lowercased())
        else { throw PythonBridgeError.unsupportedPlotFormat(path: path) }
        self = format
    }
}

/// What every plot shares: its texts, its size and its resolution.
///
/// The saved page is exactly `width × height` inches (no tight bounding box), so a PNG is
/// `width × dpi` by `height × dpi` pixels; the defaults give 960 × 600.
public struct PlotStyle: Sendable, Equatable {
    /// The title above the axes; none when empty.
    public var title: String
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis.
    public var yLabel: String
    /// Figure width in inches.
    public var width: Double
    /// Figure height in inches.
    public var height: Double
    /// Dots per inch of a PNG (a PDF is vector; dpi only affects embedded images).
    public var dpi: Double

    public init(title: String = "", xLabel: String = "", yLabel: String = "", width: Double = 6.4, height: Double = 4.0, dpi: Double = 150) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
        self.dpi = dpi
    }
}

/// One line of a line plot, e.g. SQNR against bit-width for one calibrator.
public struct LineSeries: Sendable, Equatable {
    /// The legend entry.
    public var label: String
    /// Horizontal coordinates, e.g. bit-widths.
    public var x: [Double]
    /// Vertical coordinates, one per `x`.
    public var y: [Double]

    public init(label: String, x: [Double], y: [Double]) {
        self.label = label
        self.x = x
        self.y = y
    }
}

/// One colour of a grouped bar chart: a value per group.
public struct BarSeries: Sendable, Equatable {
    /// The legend entry.
    public var label: String
    /// One bar height per group, in the order of the groups.
    public var values: [Double]

    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

/// One point of a scatter plot, e.g. a configuration's size and accuracy.
public struct ScatterPoint: Sendable, Equatable {
    /// The name written beside the point.
    public var label: String
    /// The cost, e.g. bits per element or model size.
    public var x: Double
    /// The quality, e.g. accuracy or SQNR.
    public var y: Double

    public init(label: String, x: Double, y: Double) {
        self.label = label
        self.x = x
        self.y = y
    }
}

/// A calibrator's clipping range, drawn on a histogram as two dashed lines with the clipped tails shaded.
public struct ClipRangeMarker: Sendable, Equatable {
    /// The legend entry, e.g. `percentile(99.9) [-4.1, 4.2]`.
    public var label: String
    /// The lower clipping bound.
    public var lower: Double
    /// The upper clipping bound.
    public var upper: Double

    public init(label: String, lower: Double, upper: Double) {
        self.label = label
        self.lower = lower
        self.upper = upper
    }
}
