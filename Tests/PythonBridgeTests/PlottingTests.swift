import Foundation
@testable import PythonBridge
import QuantCore
import Testing

/// Whether the embedded Python imports matplotlib and numpy (CI installs python3-matplotlib).
let matplotlibAvailable = (try? Plotter.checkAvailable()) != nil

/// Whether the embedded interpreter starts at all.
let pythonAvailable = (try? Python.start()) != nil

/// The plots ``Plotter`` draws, each with small fixed data.
enum PlotKind: String, CaseIterable, Sendable {
    case line, bars, heatmap, pareto, histogram

    /// Draws this kind of plot to `path` with `style`.
    func draw(to path: String, style: PlotStyle) throws {
        switch self {
        case .line:
            try Plotter.linePlot(
                [
                    LineSeries(label: "minmax", x: [2, 4, 8], y: [1.5, 13.2, 37.9]),
                    LineSeries(label: "mse", x: [2, 4, 8], y: [4.1, 16.0, 38.4]),
                ],
                style: style, to: path)
        case .bars:
            try Plotter.groupedBars(
                groups: ["q_proj", "k_proj", "mlp.down"],
                series: [BarSeries(label: "minmax", values: [30, 28, -2]), BarSeries(label: "kl", values: [33, 31, 12])],
                style: style, to: path)
        case .heatmap:
            try Plotter.heatmap(
                rows: ["layer0", "layer1"], columns: ["minmax", "percentile(99.9)", "mse"],
                values: [[30.1, 33.2, 34.0], [12.5, .nan, 25.9]],
                colorbarLabel: "SQNR (dB)", style: style, to: path)
        case .pareto:
            try Plotter.paretoScatter(
                [
                    ScatterPoint(label: "int8", x: 8, y: 0.99), ScatterPoint(label: "int4", x: 4.25, y: 0.95),
                    ScatterPoint(label: "bad", x: 8, y: 0.9),
                ],
                style: style, to: path)
        case .histogram:
            let values = (0..<5000).map { i in Float(sin(Double(i) * 0.37)) * Float(i % 97) / 10 }
            try Plotter.histogram(
                values, bins: 64,
                ranges: [ClipRangeMarker(label: "minmax", lower: -9.6, upper: 9.6), ClipRangeMarker(label: "p99", lower: -7, upper: 7)],
                logScale: true, style: style, to: path)
        }
    }
}

/// A fresh empty directory for one test's files.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plotting-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Width and height from a PNG's IHDR chunk, after checking the 8-byte signature; nil when it is not a PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        bytes[12..<16].elementsEqual(Array("IHDR".utf8))
    else { return nil }
    let bigEndian = { (range: Range<Int>) in bytes[range].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(16..<20), bigEndian(20..<24))
}

/// Whether `data` starts with `%PDF-` and ends with `%%EOF` (and at most a line ending).
func isPDF(_ data: Data) -> Bool {
    let tail = String(decoding: data.suffix(8), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return data.starts(with: Array("%PDF-".utf8)) && tail.hasSuffix("%%EOF")
}

@Suite("Plotting with matplotlib", .tags(.python), .enabled(if: matplotlibAvailable, "needs python3-matplotlib for /usr/bin/python3 (CI installs it)"))
struct PlottingTests {
    @Test("each plot kind writes a PNG of figsize × dpi pixels", arguments: PlotKind.allCases)
    func png(kind: PlotKind) throws {
        // QUANTBENCH_KEEP_PLOTS=DIR keeps these PNGs in DIR, to look at them.
        let kept = ProcessInfo.processInfo.environment["QUANTBENCH_KEEP_PLOTS"].map { URL(fileURLWithPath: $0) }
        let directory = try kept ?? makeTemporaryDirectory()
        defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }
        let path = directory.appendingPathComponent("\(kind.rawValue).png").path
        try kind.draw(to: path, style: PlotStyle(title: "\(kind.rawValue) plot", xLabel: "x", yLabel: "y"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let size = try #require(pngSize(data), "not a PNG: \(data.prefix(8).map { String($0, radix: 16) })")
        #expect(size.width == 960 && size.height == 600)
        #expect(data.count > 5_000)
    }

    @Test("each plot kind writes a complete PDF", arguments: PlotKind.allCases)
    func pdf(kind: PlotKind) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("\(kind.rawValue).PDF").path
        try kind.draw(to: path, style: PlotStyle(title: "\(kind.rawValue) plot"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(isPDF(data))
        #expect((2_000...2_000_000).contains(data.count), "PDF of \(data.count) bytes")
    }

    @Test("figure size and dpi set the PNG's pixels", arguments: [(4.0, 3.0, 100.0), (8.0, 2.5, 72.0), (3.2, 2.0, 300.0)])
    func customSize(width: Double, height: Double, dpi: Double) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sized.png").path
        try PlotKind.heatmap.draw(to: path, style: PlotStyle(width: width, height: height, dpi: dpi))
        let size = try #require(pngSize(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(size.width == Int((width * dpi).rounded()) && size.height == Int((height * dpi).rounded()))
    }

    @Test("a histogram of a tensor with non-finite values draws the finite ones")
    func tensorHistogram() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tensor.png").path
        let tensor = try Tensor(name: "w", shape: [2, 4], values: [1, -2, .nan, 3, .infinity, 0.5, -0.25, 2])
        try Plotter.histogram(tensor, bins: 8, ranges: [ClipRangeMarker(label: "minmax", lower: -2, upper: 3)], style: PlotStyle(), to: path)
        #expect(pngSize(try Data(contentsOf: URL(fileURLWithPath: path)))?.width == 960)
    }

    @Test("a Python error while drawing becomes a PythonBridgeError, and the next plot still works")
    func pythonErrorSurfaces() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.png").path
        // An unknown mathtext command only fails when the title is rendered, inside savefig.
        #expect {
            try PlotKind.line.draw(to: broken, style: PlotStyle(title: "$\\notacommand{x}$"))
        } throws: { error in
            guard case let PythonBridgeError.exception(type, _, traceback) = error else { return false }
            return type == "ValueError" && traceback.contains("Traceback")
        }
        let path = directory.appendingPathComponent("after.png").path
        try PlotKind.bars.draw(to: path, style: PlotStyle())
        #expect(pngSize(try Data(contentsOf: URL(fileURLWithPath: path))) != nil)
    }

    @Test("plots from parallel tasks all come out whole")
    func parallelPlots() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, kind) in (PlotKind.allCases + PlotKind.allCases).enumerated() {
                group.addTask { try kind.draw(to: directory.appendingPathComponent("\(index).png").path, style: PlotStyle()) }
            }
            try await group.waitForAll()
        }
        for index in 0..<(2 * PlotKind.allCases.count) {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(index).png"))
            #expect(pngSize(data)?.width == 960, "plot \(index)")
        }
    }
}

/// What ``Plotter`` rejects before any Python runs, and the frontier it computes in Swift.
@Suite("Plotting input checks")
struct PlottingInputTests {
    @Test("the extension chooses the format; anything else is a clear error")
    func formats() throws {
        #expect(try PlotFileFormat(path: "out/a.png") == .png)
        #expect(try PlotFileFormat(path: "B.PDF") == .pdf)
        #expect(try PlotFileFormat(path: "run.v2/c.pdf") == .pdf)
        for path in ["a.svg", "plot", "dir.png/plot", "a.png.jpg"] {
            #expect(throws: PythonBridgeError.unsupportedPlotFormat(path: path)) { try PlotFileFormat(path: path) }
        }
        let message = PythonBridgeError.unsupportedPlotFormat(path: "a.svg").description
        #expect(message.contains("a.svg") && message.contains(".png or .pdf"))
    }

    @Test("a plot to an unsupported extension or a missing directory fails before drawing")
    func badDestinations() throws {
        let series = [LineSeries(label: "a", x: [1], y: [2])]
        #expect(throws: PythonBridgeError.unsupportedPlotFormat(path: "/tmp/sweep.jpg")) { try Plotter.linePlot(series, to: "/tmp/sweep.jpg") }
        let missing = "/tmp/no-such-dir-\(UUID().uuidString)/sweep.png"
        #expect(throws: PythonBridgeError.missingPlotDirectory(path: missing)) { try Plotter.linePlot(series, to: missing) }
    }

    @Test("data that cannot be drawn is refused with the reason")
    func invalidData() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("never.png").path
        let checks: [() throws -> Void] = [
            { try Plotter.linePlot([LineSeries(label: "a", x: [1, 2], y: [1])], to: path) },
            { try Plotter.linePlot([], to: path) },
            { try Plotter.groupedBars(groups: ["g1", "g2"], series: [BarSeries(label: "a", values: [1])], to: path) },
            { try Plotter.heatmap(rows: ["r"], columns: ["c1", "c2"], values: [[1]], to: path) },
            { try Plotter.paretoScatter([ScatterPoint(label: "p", x: .nan, y: 1)], to: path) },
            { try Plotter.histogram([Float.nan, .infinity], to: path) },
            { try Plotter.histogram([1, 2], bins: 0, to: path) },
            { try Plotter.histogram([1, 2], ranges: [ClipRangeMarker(label: "r", lower: 2, upper: 1)], to: path) },
            { try Plotter.linePlot([LineSeries(label: "a", x: [1], y: [1])], style: PlotStyle(dpi: 0), to: path) },
        ]
        for (index, check) in checks.enumerated() {
            #expect("check \(index)") {
                try check()
            } throws: { error in
                guard case let PythonBridgeError.invalidPlotData(reason) = error else { return false }
                return !reason.isEmpty
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("the Pareto frontier keeps exactly the non-dominated points")
    func paretoFrontier() {
        let points = [
            ScatterPoint(label: "int8", x: 8, y: 0.99), ScatterPoint(label: "int8-worse", x: 8, y: 0.90),
            ScatterPoint(label: "int4", x: 4.25, y: 0.95), ScatterPoint(label: "int4-bad", x: 4.5, y: 0.93),
            ScatterPoint(label: "fp16", x: 16, y: 0.99), ScatterPoint(label: "int2", x: 2, y: 0.5),
            ScatterPoint(label: "nan", x: .nan, y: 1),
        ]
        #expect(Plotter.paretoFrontier(points) == [5, 2, 0])
        // Higher x better, lower y better: int8-worse (8, 0.90) now beats int4-bad (4.5, 0.93), fp16 beats int8.
        #expect(Plotter.paretoFrontier(points, lowerXBetter: false, higherYBetter: false) == [5, 1, 4])
        #expect(Plotter.paretoFrontier([]) == [])
    }
}

/// A missing plotting package surfaces as `.missingPackage` with the command that installs it.
@Suite("Plotting without its packages", .tags(.python), .enabled(if: pythonAvailable, "needs the embedded /usr/bin/python3"))
struct PlottingMissingPackageTests {
    @Test("importing an absent module through the plotting import gives missingPackage")
    func absentModule() throws {
        let name = "quantbench_absent_plotting_module"
        #expect(throws: PythonBridgeError.missingPackage(name: name, installCommand: PythonBridgeError.installCommand(forModule: name))) {
            try Plotter.importModule(name)
        }
    }

    @Test("the message for a missing matplotlib names it and the commands that install it")
    func matplotlibMessage() {
        let error = PythonBridgeError.missingPackage(name: "matplotlib", installCommand: PythonBridgeError.installCommand(forModule: "matplotlib"))
        let message = error.description
        #expect(message.contains("'matplotlib'"))
        #expect(message.contains("apt-get install python3-matplotlib"))
        #expect(message.contains("pip install matplotlib"))
        #expect(Plotter.requiredModules.contains("matplotlib"))
    }
}
