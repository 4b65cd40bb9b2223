import Foundation
import QuantCore
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
        do {
            try TOMLScreen.check(text)
        } catch {
            throw TOMLFailure(line: error.line, reason: error.reason)
        }
        do {
            let table = try TOMLTable(string: text)
            return convert(table)
        } catch let error as TOMLParseError {
            throw TOMLFailure(line: error.source.begin.line, reason: error.description)
        } catch {
            throw TOMLFailure(line: 1, reason: String(describing: error))
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
