import Foundation
import TOMLKit

/// A value in a grid cell's TOML, independent of the TOML library.
///
/// Tables keep their keys sorted, so two tables with the same entries are equal whatever order
/// the file wrote them in.
public indirect enum GridValue: Sendable, Hashable, CustomStringConvertible {
    /// A TOML string.
    case string(String)
    /// A TOML integer.
    case int(Int)
    /// A TOML float.
    case double(Double)
    /// A TOML boolean.
    case bool(Bool)
    /// A TOML array.
    case array([GridValue])
    /// A TOML table, inline or not.
    case table([String: GridValue])
    /// A date or time: carried as its text.
    case other(String)

    /// The TOML type's name for messages: "a string", "an integer", …
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .other: "a date or time"
        }
    }

    /// The value as TOML would write it (tables inline, keys sorted).
    public var description: String {
        switch self {
        case let .string(s): "\"\(s)\""
        case let .int(i): String(i)
        case let .double(d): String(d)
        case let .bool(b): String(b)
        case let .array(a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case let .table(t): "{ " + t.keys.sorted().map { "\($0) = \(t[$0]!)" }.joined(separator: ", ") + " }"
        case let .other(s): s
        }
    }

    /// The string inside, if this is a string.
    public var string: String? { if case let .string(s) = self { s } else { nil } }

    /// Parses TOML text into a table.
    ///
    /// - Throws: `(line, reason)` through ``TOMLFailure`` when the text is not TOML.
    static func parseTOML(_ text: String) throws(TOMLFailure) -> [String: GridValue] {
        try screen(text)
        do {
            let table = try TOMLTable(string: text)
            return convert(table)
        } catch let error as TOMLParseError {
            throw TOMLFailure(line: error.source.begin.line, reason: error.description)
        } catch {
            throw TOMLFailure(line: 1, reason: String(describing: error))
        }
    }

    /// Rejects what the bundled toml++ asserts on instead of reporting, so no input can stop
    /// the process: a header `[[ [` or `[.a]`, and a `}` right after `[` or `,` (comments and blanks between).
    private static func screen(_ text: String) throws(TOMLFailure) {
        let lines = ExperimentFile.lines(of: text)
        var scanner = TOMLScanner(text)
        var depth = 0, lastLine = 0
        while let (character, line, previous) = scanner.next() {
            if character == "}", previous == "[" || previous == "," {
                throw TOMLFailure(line: line, reason: "'\(previous!)' followed by '}': a value or ']' is missing")
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
    private static func screenHeader(_ text: String, line: Int) throws(TOMLFailure) {
        let body = text.drop { $0 == " " || $0 == "\t" }
        let key = body.dropFirst(body.hasPrefix("[[") ? 2 : 1).drop { $0 == " " || $0 == "\t" }
        guard let first = key.first else {
            throw TOMLFailure(line: line, reason: "a table header [name] must be on one line")
        }
        if !(first.isASCII && (first.isLetter || first.isNumber)), !"-_\"'".contains(first) {
            throw TOMLFailure(line: line, reason: "a table header is [name] or [[name]]; '\(first)' cannot start a name")
        }
    }

    private static func convert(_ table: TOMLTable) -> [String: GridValue] {
        var result: [String: GridValue] = [:]
        for key in table.keys {
            if let value = table[key] { result[key] = convert(value) }
        }
        return result
    }

    private static func convert(_ value: any TOMLValueConvertible) -> GridValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .table: return .table(value.table.map(convert) ?? [:])
        default: return .other(value.tomlValue.debugDescription)
        }
    }
}

/// A TOML syntax error: the 1-based line within the cell and the parser's reason.
struct TOMLFailure: Error {
    var line: Int
    var reason: String
}

extension GridValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(s): try container.encode(s)
        case let .int(i): try container.encode(i)
        case let .double(d): try container.encode(d)
        case let .bool(b): try container.encode(b)
        case let .array(a): try container.encode(a)
        case let .table(t): try container.encode(t)
        case let .other(s): try container.encode(s)
        }
    }
}

/// Walks TOML text outside strings and comments: each significant character with its line and
/// the significant character before it.
struct TOMLScanner {
    private let characters: [Character]
    private var position = 0
    private var line = 1
    private var previous: Character?

    init(_ text: String) { characters = Array(text) }

    mutating func next() -> (Character, line: Int, previous: Character?)? {
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
