/// Errors in what was asked of ``Plotter``, before any Python runs.
///
/// Python-side failures (a missing matplotlib, an exception while drawing) stay
/// ``PythonBridgeError``s, which name the package and the command that installs it.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output path does not end in a supported extension.
    case unsupportedFormat(path: String)
    /// The directory the plot should go to does not exist.
    case missingDirectory(path: String)
    /// The data cannot be drawn (lengths disagree, nothing to draw, a bad size).
    case invalidData(String)

    public var description: String {
        switch self {
        case let .unsupportedFormat(path):
            let known = PlotFileFormat.allCases.map { ".\($0.rawValue)" }.joined(separator: " or ")
            return "cannot write a plot to '\(path)': the file name must end in \(known), which chooses the format"
        case let .missingDirectory(path):
            return "cannot write a plot to '\(path)': its directory does not exist; create it first or choose another path"
        case let .invalidData(reason):
            return "cannot draw the plot: \(reason)"
        }
    }
}
