import Foundation
import PythonBridge

/// Runs a ```` ```python ```` cell through the bridge.
///
/// The cell sees `results` (the finished cells so far: a pandas DataFrame when pandas
/// imports, else a list of dicts with the axes, metrics, `status` and `hash`) and
/// `results_dir`. What it prints is captured; figures it leaves open are saved as
/// `python-<cell>-<n>.png` and `.pdf`; any file it writes into `results_dir` is listed.
struct PythonCellRunner {
    /// The results folder.
    let directory: String

    struct Output {
        var printed: String
        var files: [String]
    }

    /// Runs `cell` with `rows` as its results.
    ///
    /// - Throws: ``PythonBridgeError`` with the cell's traceback when the code raises.
    func run(_ cell: ExperimentCell, file: String, rows: [[String: JSONValue]]) throws -> Output {
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let stem = "\(directory)/.python-cell-\(cell.index)"
        let dataPath = stem + ".json", codePath = stem + ".py"
        try Data(try StoreJSON.encode(rows).utf8).write(to: URL(fileURLWithPath: dataPath))
        try Data(cell.text.utf8).write(to: URL(fileURLWithPath: codePath))
        defer {
            try? FileManager.default.removeItem(atPath: dataPath)
            try? FileManager.default.removeItem(atPath: codePath)
        }
        let namespace = try Python.run(Self.wrapper(dataPath: dataPath, codePath: codePath, directory: directory, cell: cell, file: file))
        let printed = try namespace.item("_qb_output").description
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let files = after.subtracting(before).filter { !$0.hasPrefix(".") }.sorted()
        return Output(printed: printed, files: files)
    }

    /// The Python that loads the results, runs the cell's code with its output captured and
    /// saves the figures it left open.
    static func wrapper(dataPath: String, codePath: String, directory: String, cell: ExperimentCell, file: String) -> String {
        func literal(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let origin = "\(file):\(cell.line) (cell \(cell.index), python)"
        return """
            import contextlib, io, json, os
            os.environ.setdefault("MPLBACKEND", "Agg")
            with open(\(literal(dataPath))) as _f:
                _rows = json.load(_f)
            try:
                import pandas
                _results = pandas.DataFrame(_rows)
            except ImportError:
                _results = _rows
            with open(\(literal(codePath))) as _f:
                _code = compile(_f.read(), \(literal(origin)), "exec")
            _buffer = io.StringIO()
            _namespace = {"__name__": "__cell__", "results": _results, "results_dir": \(literal(directory))}
            with contextlib.redirect_stdout(_buffer):
                exec(_code, _namespace)
            try:
                import sys
                if "matplotlib.pyplot" in sys.modules:
                    import matplotlib.pyplot as _plt
                    for _n, _num in enumerate(_plt.get_fignums(), 1):
                        _fig = _plt.figure(_num)
                        for _ext in ("png", "pdf"):
                            _fig.savefig(os.path.join(\(literal(directory)), f"python-\(cell.index)-{_n}.{_ext}"), dpi=150, bbox_inches="tight")
                    _plt.close("all")
            except ImportError:
                pass
            _qb_output = _buffer.getvalue()
            """
    }
}
