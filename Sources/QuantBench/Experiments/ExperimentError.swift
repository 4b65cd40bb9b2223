/// Where in an experiment file something is: the file, the line, and the cell.
public struct ExperimentLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named (a path).
    public var file: String
    /// The 1-based line in the file.
    public var line: Int
    /// The 1-based index of the cell among the file's cells, nil outside any cell.
    public var cellIndex: Int?
    /// The cell's kind, nil outside any cell.
    public var cellKind: CellKind?

    /// A place in `file`; `cellIndex` and `cellKind` are given together or not at all.
    public init(file: String, line: Int, cellIndex: Int? = nil, cellKind: CellKind? = nil) {
        self.file = file
        self.line = line
        self.cellIndex = cellIndex
        self.cellKind = cellKind
    }

    /// `file:line` followed by `(cell N, kind)` when inside a cell.
    public var description: String {
        guard let cellIndex, let cellKind else { return "\(file):\(line)" }
        return "\(file):\(line) (cell \(cellIndex), \(cellKind.rawValue))"
    }
}

/// Everything that can be wrong with an experiment file, found before anything runs.
///
/// Each message starts with `file:line (cell N, kind)` and says how to fix it; unknown names
/// list close matches.
public enum ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, reason: String)
    /// A fence opened at this line is never closed.
    case unclosedFence(ExperimentLocation, fence: String)
    /// A fence names a cell kind that does not exist (but is close to one).
    case unknownCellKind(ExperimentLocation, kind: String, suggestions: [String])
    /// The cell's TOML does not parse.
    case badTOML(ExperimentLocation, reason: String)
    /// A key that the grid format does not know.
    case unknownKey(ExperimentLocation, key: String, suggestions: [String])
    /// A value of the wrong TOML type.
    case wrongType(ExperimentLocation, key: String, expected: String, found: String)
    /// A value of the right type that is not allowed.
    case badValue(ExperimentLocation, key: String, value: String, reason: String)
    /// A model name that is neither in the zoo nor `weights-only:PATH`.
    case unknownModel(ExperimentLocation, name: String, suggestions: [String])
    /// A plug-in name the registry rejected (unknown id, bad parameter): the registry's message.
    case badPlugin(ExperimentLocation, axis: String, name: String, reason: String)
    /// A format and a granularity that cannot work together.
    case incompatible(ExperimentLocation, reason: String)
    /// Zipped axes with different numbers of values.
    case zipLengthMismatch(ExperimentLocation, axes: [String], lengths: [Int])
    /// Several errors in one file, in file order.
    case many([ExperimentError])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the experiment file: \(reason)"
        case let .unclosedFence(at, fence):
            return "\(at): the fence '\(fence)' opened here is never closed; add a line '\(fence.prefix(3))' after the cell"
        case let .unknownCellKind(at, kind, suggestions):
            return "\(at): '\(kind)' is not a cell kind\(Self.didYouMean(suggestions)); "
                + "cells are \(CellKind.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .badTOML(at, reason):
            return "\(at): the grid is not valid TOML: \(reason)"
        case let .unknownKey(at, key, suggestions):
            return "\(at): '\(key)' is not a grid key\(Self.didYouMean(suggestions)); "
                + "keys are \(GridSpec.knownKeys.joined(separator: ", "))"
        case let .wrongType(at, key, expected, found):
            return "\(at): '\(key)' must be \(expected), not \(found)"
        case let .badValue(at, key, value, reason):
            return "\(at): '\(key)' = \(value): \(reason)"
        case let .unknownModel(at, name, suggestions):
            return "\(at): '\(name)' is not a model\(Self.didYouMean(suggestions)); "
                + "models are \(GridSpec.zooModels.joined(separator: ", ")) or weights-only:PATH"
        case let .badPlugin(at, axis, name, reason):
            return "\(at): \(axis) '\(name)': \(reason)"
        case let .incompatible(at, reason):
            return "\(at): \(reason)"
        case let .zipLengthMismatch(at, axes, lengths):
            let pairs = zip(axes, lengths).map { "\($0) has \($1)" }.joined(separator: ", ")
            return "\(at): zipped axes must have the same number of values, but \(pairs); "
                + "give them equal lengths or stop zipping them"
        case let .many(errors):
            return errors.map(\.description).joined(separator: "\n")
        }
    }

    /// The errors inside, flattened: one for a single error, all of them for ``many(_:)``.
    public var all: [ExperimentError] {
        if case let .many(errors) = self { return errors.flatMap(\.all) }
        return [self]
    }

    static func didYouMean(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
    }
}
