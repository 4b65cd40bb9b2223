/// A Python literal as found in a `.npy` header: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// numpy writes the header with `repr()` and reads it with `ast.literal_eval`; this type covers
/// the subset `repr()` produces for headers (dicts, tuples, lists, strings, integers, booleans,
/// `None`), which is also what hand-written and Python 2 files use (`3L` integers).
indirect enum PythonLiteral: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dictionary([(key: PythonLiteral, value: PythonLiteral)])

    /// The literal written back as Python would print it, for messages.
    var description: String {
        switch self {
        case let .string(text): return "'" + text + "'"
        case let .integer(value): return String(value)
        case let .boolean(value): return value ? "True" : "False"
        case .none: return "None"
        case let .tuple(items):
            return "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case let .list(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .dictionary(pairs):
            return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// The value stored under string key `key` when this is a dictionary.
    subscript(key: String) -> PythonLiteral? {
        guard case let .dictionary(pairs) = self else { return nil }
        return pairs.last { $0.key == .string(key) }?.value
    }

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case (.none, .none): return true
        case let (.tuple(a), .tuple(b)), let (.list(a), .list(b)): return a == b
        case let (.dictionary(a), .dictionary(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// A recursive-descent parser for ``PythonLiteral``.
struct PythonLiteralParser {
    /// Why parsing stopped, with the character offset.
    struct Failure: Error, Sendable {
        var reason: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0
    /// Nesting deeper than this is rejected instead of recursing without bound.
    private static let maximumDepth = 32

    /// Parses `text` as exactly one literal, optionally surrounded by whitespace.
    static func parse(_ text: String) throws(Failure) -> PythonLiteral {
        var parser = PythonLiteralParser(scalars: Array(text.unicodeScalars))
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == parser.scalars.count else { throw parser.failure("unexpected text after the literal") }
        return value
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func failure(_ reason: String) -> Failure {
        let found = current.map { "'\($0)'" } ?? "the end"
        return Failure(reason: "\(reason) at character \(position) (found \(found))")
    }

    private mutating func skipWhitespace() {
        while let scalar = current, scalar.properties.isWhitespace { position += 1 }
    }

    private mutating func parseValue() throws(Failure) -> PythonLiteral {
        skipWhitespace()
        guard let scalar = current else { throw failure("expected a value") }
        switch scalar {
        case "{", "(", "[":
            try enterNested()
            defer { depth -= 1 }
            if scalar == "{" { return try parseDictionary() }
            let items = try parseSequence(closing: scalar == "(" ? ")" : "]")
            return scalar == "(" ? .tuple(items) : .list(items)
        case "'", "\"": return .string(try parseString())
        case "-", "+", "0"..."9": return .integer(try parseInteger())
        default: return try parseKeyword()
        }
    }

    /// Consumes an opening bracket, refusing to nest deeper than ``maximumDepth``.
    private mutating func enterNested() throws(Failure) {
        guard depth < Self.maximumDepth else { throw failure("literal nested too deeply") }
        depth += 1
        position += 1
    }

    /// Parses items up to `closing`, allowing a trailing comma; the opening bracket is consumed.
    private mutating func parseSequence(closing: Unicode.Scalar) throws(Failure) -> [PythonLiteral] {
        var items: [PythonLiteral] = []
        while true {
            skipWhitespace()
            if current == closing {
                position += 1
                return items
            }
            items.append(try parseValue())
            skipWhitespace()
            if current == "," {
                position += 1
            } else if current != closing {
                throw failure("expected ',' or '\(closing)'")
            }
        }
    }

    private mutating func parseDictionary() throws(Failure) -> PythonLiteral {
        var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if current == "}" {
                position += 1
                return .dictionary(pairs)
            }
            let key = try parseValue()
            skipWhitespace()
            guard current == ":" else { throw failure("expected ':' after a dictionary key") }
            position += 1
            pairs.append((key, try parseValue()))
            skipWhitespace()
            if current == "," {
                position += 1
            } else if current != "}" {
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        guard let quote = current else { throw failure("expected a string") }
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            if scalar == quote { return String(text) }
            if scalar == "\\" {
                guard let escaped = current else { break }
                position += 1
                text.append(Self.unescaped(escaped))
            } else {
                text.append(scalar)
            }
        }
        throw failure("unterminated string")
    }

    private static func unescaped(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "0": return "\0"
        default: return scalar
        }
    }

    private mutating func parseInteger() throws(Failure) -> Int {
        var negative = false
        if current == "-" || current == "+" {
            negative = current == "-"
            position += 1
        }
        var value = 0
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar) {
            let digit = Int(scalar.value - 48)
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? scaled.subtractingReportingOverflow(digit) : scaled.addingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { throw failure("integer too large") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw failure("expected digits") }
        if current == "L" || current == "l" { position += 1 }  // Python 2 long integers: (3L, 4L)
        if let scalar = current, scalar == "." || scalar == "e" || scalar == "E" || scalar == "j" {
            throw failure("expected an integer")
        }
        return value
    }

    private mutating func parseKeyword() throws(Failure) -> PythonLiteral {
        var word = ""
        while let scalar = current, scalar.properties.isAlphabetic || scalar == "_" {
            word.unicodeScalars.append(scalar)
            position += 1
        }
        switch word {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        default:
            throw failure(word.isEmpty ? "expected a value" : "unknown name '\(word)' (only literals are allowed)")
        }
    }
}
