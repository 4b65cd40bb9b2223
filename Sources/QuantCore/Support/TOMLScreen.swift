/// Rejects TOML text that the bundled toml++ (TOMLKit) asserts on instead of reporting.
///
/// Every TOML file the workbench reads (experiment cells, user chip tables) passes through
/// ``check(_:)`` before TOMLKit sees it, so no input can stop the process.
public enum TOMLScreen {
    /// Where the text is unreadable: the 1-based line and why.
    public struct Failure: Error, Sendable {
        public var line: Int
        public var reason: String
    }

    /// Throws for what toml++ would assert on: a header `[[ [` or `[.a]`, and a `}` right after
    /// `[` or `,` (comments and blanks between).
    public static func check(_ text: String) throws(Failure) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var scanner = TOMLScanner(text)
        var depth = 0, lastLine = 0
        while let (character, line, previous) = scanner.next() {
            if character == "}", previous == "[" || previous == "," {
                throw Failure(line: line, reason: "'\(previous!)' followed by '}': a value or ']' is missing")
            }
            if line != lastLine, depth == 0, character == "[", line <= lines.count {
                try screenHeader(lines[line - 1], line: line)
            }
            lastLine = line
            switch character {
            case "[", "{": depth += 1
            case "]", "}": depth = max(depth - 1, 0)
            default: break
            }
        }
    }

    /// A table header line must name a table: `[name]`, `[[name]]`, `["quoted"]`.
    private static func screenHeader(_ text: String, line: Int) throws(Failure) {
        let body = text.drop { $0 == " " || $0 == "\t" }
        let key = body.dropFirst(body.hasPrefix("[[") ? 2 : 1).drop { $0 == " " || $0 == "\t" }
        guard let first = key.first else {
            throw Failure(line: line, reason: "a table header [name] must be on one line")
        }
        if !(first.isASCII && (first.isLetter || first.isNumber)), !"-_\"'".contains(first) {
            throw Failure(line: line, reason: "a table header is [name] or [[name]]; '\(first)' cannot start a name")
        }
    }
}

/// Walks TOML text outside strings and comments: each significant character with its line and
/// the significant character before it.
public struct TOMLScanner {
    private let characters: [Character]
    private var position = 0
    private var line = 1
    private var previous: Character?

    public init(_ text: String) { characters = Array(text) }

    public mutating func next() -> (Character, line: Int, previous: Character?)? {
        while position < characters.count {
            let c = characters[position]
            position += 1
            switch c {
            case "\n", "\r\n": line += 1
            case " ", "\t", "\r": continue
            case "#": while position < characters.count, characters[position] != "\n", characters[position] != "\r\n" { position += 1 }
            case "\"", "'": skipString(c); previous = c
            default:
                defer { previous = c }
                return (c, line, previous)
            }
        }
        return nil
    }

    /// Skips a string opened by `quote` (one or three), honoring backslash escapes in basic strings.
    private mutating func skipString(_ quote: Character) {
        let triple = position + 1 < characters.count && characters[position] == quote && characters[position + 1] == quote
        if triple { position += 2 }
        while position < characters.count {
            let c = characters[position]
            position += 1
            if c == "\n" || c == "\r\n" {
                line += 1
                if !triple { return }
            } else if c == "\\", quote == "\"" {
                position += 1
            } else if c == quote {
                if !triple { return }
                if position + 1 < characters.count, characters[position] == quote, characters[position + 1] == quote {
                    position += 2
                    return
                }
            }
        }
    }
}
