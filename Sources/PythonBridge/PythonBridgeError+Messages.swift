extension PythonBridgeError {
    /// Messages of the plotting cases (checked before any Python runs).
    var plotDescription: String {
        switch self {
        case let .unsupportedPlotFormat(path):
            let known = PlotFileFormat.allCases.map { ".\($0.rawValue)" }.joined(separator: " or ")
            return "cannot write a plot to '\(path)': the file name must end in \(known), which chooses the format"
        case let .missingPlotDirectory(path):
            return "cannot write a plot to '\(path)': its directory does not exist; create it first or choose another path"
        case let .invalidPlotData(reason):
            return "cannot draw the plot: \(reason)"
        default:
            return ""
        }
    }

    /// Messages of the cases about tensor files read through Python.
    var fileDescription: String {
        switch self {
        case let .notAStateDict(path, found):
            return "\(path) is not a state dict: torch.load returned \(found). QuantBench reads a dict of tensors "
                + "(optionally under 'state_dict', 'model' or 'module'), or one tensor; save one with "
                + "torch.save(model.state_dict(), path)."
        case let .refusedUnsafe(path, reason):
            return "\(path): torch.load(weights_only=True) refused the file because unpickling it would run code "
                + "from it (\(reason)). QuantBench never falls back to unsafe unpickling; in a trusted environment "
                + "load it and re-save only the tensors with torch.save(model.state_dict(), path)."
        case let .unreadable(path, format, reason):
            return "\(path) cannot be read as a \(format): \(reason). The file is damaged or is another format; "
                + "re-export it."
        case let .noArrays(path, found):
            return "\(path) holds \(found), not a numpy array or a dict of numpy arrays; pickle a dict such as "
                + "{'weight': array} instead."
        case let .tensorNotFound(path, name, available):
            let shown = available.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            let more = available.count > 8 ? ", … (\(available.count) in all)" : ""
            return "\(path) has no tensor named '\(name)'; it holds \(shown)\(more). "
                + "List them with `quantbench inspect \(path)`."
        default:
            return ""
        }
    }
}
