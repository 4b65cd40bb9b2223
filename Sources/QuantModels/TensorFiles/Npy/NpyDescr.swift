/// numpy type strings (`descr`): `<f4`, `>i8`, `|u1`, `|b1`, ...
///
/// A type string is an optional byte-order character (`<` little, `>` big, `|` not applicable,
/// `=` native), a kind character (`f` float, `i` signed, `u` unsigned, `b`/`?` bool, `c` complex,
/// `O` object, `U`/`S` strings, `V` void, `M`/`m` dates) and an item size in bytes.
enum NpyDescr {
    /// The element type and byte order a header's `descr` value names.
    ///
    /// - Throws: `TensorFileError.unsupportedDType` naming the dtype (complex, object, strings,
    ///   structured, datetime, long double), or `.malformedHeader` when `descr` is not a type at all.
    static func elementType(of descr: PythonLiteral, path: String,
                            tensor: String) throws -> (TensorElementType, ByteOrder) {
        let supported = TensorElementType.npyTypes.map(\.numpyName)
        switch descr {
        case let .string(text):
            if let parsed = parse(text) { return parsed }
            throw TensorFileError.unsupportedDType(path: path, tensor: tensor,
                                                   dtype: "\(text) (\(numpyName(of: text)))", supported: supported)
        case .list:
            throw TensorFileError.unsupportedDType(path: path, tensor: tensor,
                                                   dtype: "structured dtype \(descr)", supported: supported)
        default:
            throw TensorFileError.malformedHeader(path: path, tensor: tensor,
                                                  reason: "'descr' is \(descr), not a numpy type string such as '<f4'")
        }
    }

    /// The element type and byte order of a supported type string, or `nil`.
    static func parse(_ text: String) -> (TensorElementType, ByteOrder)? {
        let (order, kind, size) = split(text)
        guard let kind, let size, let type = TensorElementType(numpyKind: kind, size: size) else { return nil }
        switch order {
        case "<", "|": return (type, .little)
        case ">": return (type, .big)
        case "=", nil: return (type, .host)
        default: return nil
        }
    }

    /// The byte-order character, kind character and item size of a type string, where present.
    private static func split(_ text: String) -> (order: Character?, kind: Character?, size: Int?) {
        var rest = Substring(text)
        var order: Character?
        if let first = rest.first, "<>|=".contains(first) {
            order = first
            rest = rest.dropFirst()
        }
        let kind = rest.first
        let digits = rest.dropFirst()
        let size = digits.isEmpty && kind == "?" ? 1 : Int(digits)
        return (order, kind, size)
    }

    /// numpy's name for an unsupported type string, for messages (`<c8` → `complex64`).
    static func numpyName(of text: String) -> String {
        let (_, kind, size) = split(text)
        let bits = size.map { String($0 * 8) } ?? ""
        switch kind {
        case "c": return "complex" + bits
        case "f": return "float" + bits
        case "i": return "int" + bits
        case "u": return "uint" + bits
        case "O": return "object"
        case "U": return "str"
        case "S", "a": return "bytes"
        case "V": return "void"
        case "M": return "datetime64"
        case "m": return "timedelta64"
        default: return "unknown type"
        }
    }
}
