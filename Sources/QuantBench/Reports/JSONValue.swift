import Foundation

/// Any JSON value, to carry the stored JSON texts (timings, provenance) into result files.
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// `text` parsed, or `nil` if it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? StoreJSON.decode(JSONValue.self, from: text)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .double(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// The value as a CSV field: numbers plain, strings as they are, anything else as compact JSON.
    var csvField: String {
        switch self {
        case .null: ""
        case let .bool(value): String(value)
        case let .int(value): String(value)
        case let .double(value): CSVText.number(value)
        case let .string(value): value
        case .array, .object: (try? StoreJSON.encode(self)) ?? ""
        }
    }
}
