import Foundation

/// What a notebook cell produced, as it appears in `report.md`.
public enum CellOutput: Sendable {
    /// Markdown to show under the cell (a table, a summary, images).
    case markdown(String)
    /// The cell failed; the message says why. The rest of the notebook still renders.
    case failure(String)
}

/// `report.md`: the notebook's prose verbatim, each cell's source, and its output in place.
public struct NotebookReport: Sendable {
    public private(set) var markdown = ""
    /// Cells whose output is a failure: the cell index and the message.
    public private(set) var failures: [(cell: Int, message: String)] = []

    init(title: String) {
        markdown = "<!-- Written by `quantbench run`: the notebook with every cell's output in place. -->\n\n"
    }

    mutating func prose(_ text: String) {
        markdown += text + "\n"
    }

    mutating func cell(_ cell: ExperimentCell, output: CellOutput) {
        let fence = String(repeating: "`", count: max(3, Self.longestBacktickRun(cell.text) + 1))
        markdown += "\(fence)\(cell.kind.rawValue)\n\(cell.text)\n\(fence)\n\n"
        switch output {
        case let .markdown(text):
            markdown += text.trimmingCharacters(in: .newlines) + "\n"
        case let .failure(message):
            failures.append((cell.index, message))
            markdown += "> **This cell failed:**\n>\n" + Self.quoted(message) + "\n"
        }
    }

    /// `text` inside a Markdown quote, in a code block so tracebacks keep their layout.
    static func quoted(_ text: String) -> String {
        (["```text"] + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + ["```"])
            .map { "> " + $0 }.joined(separator: "\n")
    }

    /// A fenced block of plain text.
    static func textBlock(_ text: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
        return "\(fence)text\n\(text.trimmingCharacters(in: .newlines))\n\(fence)\n"
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
