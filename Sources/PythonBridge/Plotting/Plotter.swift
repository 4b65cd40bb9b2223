import Foundation

/// Draws QuantBench's plots with matplotlib's Agg backend and writes them as PNG or PDF.
///
/// Every plot takes plain Swift values and a ``PlotStyle``; the data crosses into Python as
/// lists or numpy arrays built by the bridge, never as numbers formatted into source code. Each
/// call holds the GIL for the whole drawing, selects `matplotlib.use("Agg")` first, and draws on
/// its own `matplotlib.figure.Figure` (never pyplot's global figure registry, which is not
/// thread-safe), cleared whatever happens. The format comes from the path's extension.
///
/// ```swift
/// try Plotter.linePlot([LineSeries(label: "mse", x: [4, 6, 8], y: [14.1, 26.0, 38.2])],
///                      style: PlotStyle(title: "SQNR", xLabel: "bits", yLabel: "dB"), to: "sqnr.png")
/// ```
///
/// When the interpreter or matplotlib is absent, each plot throws
/// ``PythonBridgeError/interpreterUnavailable(reason:)`` or
/// ``PythonBridgeError/missingPackage(name:installCommand:)`` naming the command that installs it;
/// nothing else in QuantBench needs either.
public enum Plotter {
    /// The Python packages plotting imports, in import order.
    public static let requiredModules = ["matplotlib", "numpy"]

    /// Checks that the plotting packages import, without drawing anything.
    ///
    /// Lets a command fail at once, before long work whose result it could not plot.
    ///
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` for the first missing
    ///   package, or ``PythonBridgeError/interpreterUnavailable(reason:)``.
    public static func checkAvailable() throws {
        try Python.withGIL { _ = try figureClass() }
    }

    /// Imports one module that plotting needs.
    ///
    /// The single place plotting imports through, so a missing package always surfaces as
    /// ``PythonBridgeError/missingPackage(name:installCommand:)`` with its install command.
    ///
    /// - Parameter name: A module name, e.g. `matplotlib.pyplot`.
    /// - Returns: The module.
    /// - Throws: ``PythonBridgeError``.
    static func importModule(_ name: String) throws -> PythonObject {
        try Python.import(name)
    }

    /// `matplotlib.figure.Figure`, after switching matplotlib to the Agg backend; the caller holds the GIL.
    ///
    /// Figures are made from this class, not through `pyplot`: pyplot keeps every open figure in
    /// a global registry that is not thread-safe, while a bare `Figure` belongs to its caller
    /// alone (matplotlib's advice for servers). `matplotlib.use("Agg")` still comes first, so any
    /// later `pyplot` import in the process (a plug-in's) is headless too.
    static func figureClass() throws -> PythonObject {
        let matplotlib = try importModule("matplotlib")
        _ = try importModule("numpy")
        try matplotlib.callMethod("use", ["Agg"])
        _ = try importModule("matplotlib.backends.backend_agg")
        return try importModule("matplotlib.figure").attribute("Figure")
    }

    /// Makes a figure with one axes, lets `body` draw on it, labels it and saves it to `path`.
    ///
    /// The figure is `style.width × style.height` inches at `style.dpi`, saved with its own box
    /// (never a tight one) so its size is exact; it is cleared even when drawing throws, and nothing
    /// else refers to it.
    ///
    /// - Parameters:
    ///   - path: The output file; its extension chooses PNG or PDF.
    ///   - style: Texts, size and resolution.
    ///   - body: Draws on `(figure, axes)`; runs holding the GIL.
    /// - Throws: ``PythonBridgeError`` for a bad path or size, or from Python.
    static func draw(
        to path: String, style: PlotStyle, _ body: (_ figure: PythonObject, _ axes: PythonObject) throws -> Void
    ) throws {
        let format = try checkDestination(path)
        try checkSize(style)
        try Python.withGIL {
            let figure = try figureClass().call(
                keywords: ["figsize": [style.width, style.height], "dpi": style.dpi, "layout": "constrained"])
            defer { _ = try? figure.callMethod("clear") }  // drop the artists now, not at the next GC cycle
            let axes = try figure.callMethod("subplots")
            if !style.title.isEmpty { try axes.callMethod("set_title", [style.title]) }
            if !style.xLabel.isEmpty { try axes.callMethod("set_xlabel", [style.xLabel]) }
            if !style.yLabel.isEmpty { try axes.callMethod("set_ylabel", [style.yLabel]) }
            try body(figure, axes)
            // The figure's own box, not None: None means rcParams["savefig.bbox"], which a user's
            // matplotlibrc may set to "tight" (and then the size is no longer exact).
            try figure.callMethod(
                "savefig", [path],
                keywords: ["format": format.rawValue, "dpi": style.dpi, "bbox_inches": try figure.attribute("bbox_inches")])
        }
    }

    /// Checks that a plot can be written to `path`: a known extension in an existing directory.
    ///
    /// Every plot checks this first; a command may call it before long work.
    ///
    /// - Parameter path: The output file.
    /// - Returns: The format the extension names.
    /// - Throws: ``PythonBridgeError/unsupportedPlotFormat(path:)`` or ``PythonBridgeError/missingPlotDirectory(path:)``.
    @discardableResult
    public static func checkDestination(_ path: String) throws -> PlotFileFormat {
        let format = try PlotFileFormat(path: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PythonBridgeError.missingPlotDirectory(path: path)
        }
        return format
    }

    /// Rejects sizes matplotlib would fail on or that would make absurd files.
    private static func checkSize(_ style: PlotStyle) throws {
        let sizes = [style.width, style.height, style.dpi]
        guard sizes.allSatisfy({ $0.isFinite && $0 > 0 }), style.width * style.dpi <= 20_000, style.height * style.dpi <= 20_000 else {
            throw PythonBridgeError.invalidPlotData(
                "figure size \(style.width)×\(style.height) in at \(style.dpi) dpi: each must be positive and at most 20000 pixels a side")
        }
    }

    /// The colour matplotlib's default cycle gives the `index`th series (`C0`…`C9`).
    static func color(_ index: Int) -> String { "C\(index % 10)" }

    /// Tick-label keywords: slanted when the labels would crowd the axis.
    static func slanted(_ labels: [String]) -> Bool {
        labels.count > 6 || labels.map(\.count).reduce(0, +) > 48
    }
}
