/// Pickle values written as Python writes them (`str`, `repr`, `type(v).__name__`), so that names
/// and skipped-entry notes match what the Python torch loader reports for the same file.
enum PythonRepr {
    /// `type(value).__name__`: `int`, `str`, `OrderedDict`, `Size`, `NoneType`, ...
    static func typeName(_ value: PickleValue, _ heap: PickleHeap) -> String {
        switch value {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case let .tuple(index): return heap.tuples[index].typeName
        case .list: return "list"
        case let .dict(index): return heap.dicts[index].typeName
        case let .set(index): return heap.sets[index].typeName
        case let .global(global): return global.typeName
        case .storage: return "TypedStorage"
        case .tensor: return "Tensor"
        case let .object(typeName): return typeName
        }
    }

    /// `module.qualname` of the value's type: `builtins.int`, `collections.OrderedDict`, `torch.Size`.
    static func qualifiedTypeName(_ value: PickleValue, _ heap: PickleHeap) -> String {
        let name = typeName(value, heap)
        switch name {
        case "OrderedDict", "Counter": return "collections." + name
        case "Size", "device", "dtype", "Tensor": return "torch." + name
        case "TypedStorage": return "torch.storage.TypedStorage"
        default: return "builtins." + name
        }
    }

    /// `str(value)`, as used for the parts of a flattened tensor name.
    static func str(_ value: PickleValue, _ heap: PickleHeap) -> String {
        if case let .string(text) = value { return text }
        return repr(value, heap)
    }

    /// `repr(value)`, shortened past four levels of nesting.
    static func repr(_ value: PickleValue, _ heap: PickleHeap, depth: Int = 0) -> String {
        guard depth < 4 else { return "..." }
        let items = { (values: [PickleValue]) in values.prefix(16).map { repr($0, heap, depth: depth + 1) } }
        switch value {
        case .none: return "None"
        case let .bool(flag): return flag ? "True" : "False"
        case let .int(number): return String(number)
        case .bigInt: return "<a large int>"
        case let .float(number): return number.description
        case let .string(text): return quoted(text)
        case let .bytes(bytes): return "b" + quoted(String(decoding: bytes, as: UTF8.self))
        case let .tuple(index):
            let parts = items(heap.tuples[index].items)
            if heap.tuples[index].typeName == "Size" { return "torch.Size([" + parts.joined(separator: ", ") + "])" }
            return "(" + parts.joined(separator: ", ") + (parts.count == 1 ? ",)" : ")")
        case let .list(index): return "[" + items(heap.lists[index]).joined(separator: ", ") + "]"
        case let .dict(index):
            let dict = heap.dicts[index]
            let pairs = zip(items(dict.keys), items(dict.values)).map { "\($0): \($1)" }
            return "{" + pairs.joined(separator: ", ") + "}"
        case let .set(index):
            let parts = items(heap.sets[index].items)
            return parts.isEmpty ? "\(heap.sets[index].typeName)()" : "{" + parts.joined(separator: ", ") + "}"
        case let .global(global): return "<\(global.qualifiedName)>"
        case .storage, .tensor, .object: return "<\(qualifiedTypeName(value, heap)) object>"
        }
    }

    /// A string value, or the text of a bytes value (Python 2 pickles store `'storage'` as bytes).
    static func text(_ value: PickleValue) -> String? {
        switch value {
        case let .string(text): return text
        case let .bytes(bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// What a REDUCE or NEWOBJ target is, for messages: the global's name, or the value's type.
    static func describeCallable(_ value: PickleValue, _ heap: PickleHeap) -> String {
        if case let .global(global) = value { return global.qualifiedName }
        return "a " + typeName(value, heap)
    }

    /// A string in Python's quotes: single unless it holds a single quote and no double quote.
    private static func quoted(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Character(scalar) == quote: result += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + String(quote)
    }
}
