import Foundation
import QuantCore

/// The kinds of executable cell in an experiment notebook, named by the fence's info string.
public enum CellKind: String, Sendable, CaseIterable, Hashable, Codable {
    /// A TOML grid of runs (``GridSpec``).
    case grid
    /// A pivot or export of the results; kept as text for now.
    case table
    /// A figure drawn through the Python bridge; kept as text for now.
    case plot
    /// Diagnostics of tensors or activations; kept as text for now.
    case inspect
    /// Python code that receives the results table; kept as text for now.
    case python
}

/// One fenced cell of an experiment notebook.
public struct ExperimentCell: Sendable, Hashable {
    /// What the cell does.
    public var kind: CellKind
    /// The text between the fences, verbatim (no trailing newline).
    public var text: String
    /// The 1-based index of the cell among the file's cells.
    public var index: Int
    /// The 1-based line in the file of the cell's first text line (the line after the fence).
    public var line: Int

    /// A cell of `kind` whose `text` starts at file line `line`, the `index`-th cell (from 1).
    public init(kind: CellKind, text: String, index: Int, line: Int) {
        self.kind = kind
        self.text = text
        self.index = index
        self.line = line
    }

    /// The location of line `cellLine` (1-based) of the cell's text within the file.
    public func location(file: String, cellLine: Int = 1) -> ExperimentLocation {
        ExperimentLocation(file: file, line: line + max(cellLine, 1) - 1, cellIndex: index, cellKind: kind)
    }
}

/// An experiment: a Markdown notebook of prose and fenced cells, or a bare `.toml` grid.
///
/// Fences are lines starting with three or more backticks or tildes. A fence whose info string
/// is a ``CellKind`` (```` ```grid ````) opens a cell; any other fence (```` ```swift ````, a
/// bare ```` ``` ````) is prose, kept verbatim, except that an info string within a small edit
/// distance of a cell kind (```` ```gird ````) is reported as a typo. A bare `.toml` file is
/// one grid cell starting at line 1.
public struct ExperimentFile: Sendable {
    /// A stretch of the notebook: prose or a cell, in file order.
    public enum Block: Sendable, Hashable {
        /// Lines outside any cell, verbatim, joined with newlines (fences of other languages included).
        case prose(String)
        /// A fenced cell.
        case cell(ExperimentCell)
    }

    /// The file name as given (used in messages).
    public var file: String
    /// Prose and cells in file order.
    public var blocks: [Block]

    /// The cells in file order.
    public var cells: [ExperimentCell] {
        blocks.compactMap { if case let .cell(cell) = $0 { cell } else { nil } }
    }

    /// Parses `text` as the content of `file`: a notebook, or one grid cell when `file` ends in `.toml`.
    ///
    /// - Throws: ``ExperimentError`` for unclosed fences and misspelt cell kinds, all of them at once.
    public init(file: String, text: String) throws {
        self.file = file
        if file.lowercased().hasSuffix(".toml") {
            blocks = [.cell(ExperimentCell(kind: .grid, text: text, index: 1, line: 1))]
            return
        }
        blocks = try Self.parseNotebook(file: file, lines: Self.lines(of: text))
    }

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: ``ExperimentError/unreadable(file:reason:)`` and the parsing errors.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ExperimentError.unreadable(file: path, reason: exists ? "permission denied or a folder" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExperimentError.unreadable(file: path, reason: "not UTF-8 text")
        }
        try self.init(file: path, text: text)
    }

    static func lines(of text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The fence marker (run of backticks or tildes) and info string of `line`, if it is a fence.
    static func fence(_ line: String) -> (marker: String, info: String)? {
        let body = line.drop { $0 == " " }
        guard line.count - body.count <= 3, let first = body.first, first == "`" || first == "~" else { return nil }
        let marker = body.prefix { $0 == first }
        guard marker.count >= 3 else { return nil }
        let info = body.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
        return (String(marker), info)
    }

    private static func parseNotebook(file: String, lines: [String]) throws -> [Block] {
        var blocks: [Block] = [], prose: [String] = [], errors: [ExperimentError] = []
        var cellCount = 0, i = 0
        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: "\n"))) }
            prose = []
        }
        while i < lines.count {
            guard let (marker, info) = fence(lines[i]) else {
                prose.append(lines[i]); i += 1; continue
            }
            let word = String(info.split(separator: " ").first ?? "")
            let close = lines[(i + 1)...].firstIndex { l in
                guard let f = fence(l) else { return false }
                return f.info.isEmpty && f.marker.first == marker.first && f.marker.count >= marker.count
            }
            let kind = CellKind(rawValue: word.lowercased())
            guard let close else {
                errors.append(.unclosedFence(
                    ExperimentLocation(file: file, line: i + 1, cellIndex: kind.map { _ in cellCount + 1 }, cellKind: kind),
                    fence: marker + info))
                break
            }
            if let kind {
                flushProse()
                cellCount += 1
                let text = lines[(i + 1)..<close].joined(separator: "\n")
                blocks.append(.cell(ExperimentCell(kind: kind, text: text, index: cellCount, line: i + 2)))
            } else {
                let suggestions = word.isEmpty ? [] : closeMatches(word, in: CellKind.allCases.map(\.rawValue), limit: 2)
                if !suggestions.isEmpty, word.count >= 3 {
                    errors.append(.unknownCellKind(ExperimentLocation(file: file, line: i + 1), kind: word, suggestions: suggestions))
                }
                prose.append(contentsOf: lines[i...close])
            }
            i = close + 1
        }
        flushProse()
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ExperimentError.many(errors) }
        return blocks
    }
}
