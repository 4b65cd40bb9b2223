/// A plug-in name as written in an experiment file or on the command line: `id(arg, key=value)`.
///
/// This is the one shared parser of plug-in names; plug-ins never parse text themselves.
/// Positional arguments bind to the plug-in's parameters in declaration order.
public struct PluginSpec: Sendable, Hashable, CustomStringConvertible {
    /// The id before the parenthesis, e.g. `percentile` or `int8`.
    public var id: String
    /// Arguments given without a key, in order.
    public var positional: [String]
    /// Arguments given as `key=value`, in order.
    public var named: [(key: String, value: String)]

    public init(id: String, positional: [String] = [], named: [(key: String, value: String)] = []) {
        self.id = id
        self.positional = positional
        self.named = named
    }

    /// Parses `id`, `id()`, `id(1)`, `id(axis=0)`, `id(128, axis=-1)`.
    ///
    /// - Throws: ``QuantCoreError/malformedPluginSpec(_:reason:)`` naming what is wrong.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        guard let open = trimmed.firstIndex(of: "(") else {
            try Self.checkIdentifier(trimmed, in: text)
            self.init(id: trimmed)
            return
        }
        guard trimmed.hasSuffix(")") else {
            throw QuantCoreError.malformedPluginSpec(text, reason: "missing ')' at the end")
        }
        let id = String(trimmed[..<open]).trimmingWhitespace()
        try Self.checkIdentifier(id, in: text)
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        guard !inner.contains("("), !inner.contains(")") else {
            throw QuantCoreError.malformedPluginSpec(text, reason: "nested parentheses are not allowed")
        }
        var positional: [String] = []
        var named: [(key: String, value: String)] = []
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        if !(parts.count == 1 && parts[0].isEmpty) {
            for part in parts {
                guard !part.isEmpty else {
                    throw QuantCoreError.malformedPluginSpec(text, reason: "empty argument between commas")
                }
                if let eq = part.firstIndex(of: "=") {
                    let key = String(part[..<eq]).trimmingWhitespace()
                    let value = String(part[part.index(after: eq)...]).trimmingWhitespace()
                    guard !key.isEmpty, !value.isEmpty else {
                        throw QuantCoreError.malformedPluginSpec(text, reason: "'\(part)' needs both a key and a value")
                    }
                    guard named.allSatisfy({ $0.key != key }) else {
                        throw QuantCoreError.malformedPluginSpec(text, reason: "'\(key)' is given twice")
                    }
                    named.append((key, value))
                } else {
                    guard named.isEmpty else {
                        throw QuantCoreError.malformedPluginSpec(text, reason: "positional argument '\(part)' after a key=value argument")
                    }
                    positional.append(part)
                }
            }
        }
        self.init(id: id, positional: positional, named: named)
    }

    private static func checkIdentifier(_ id: String, in text: String) throws {
        guard let first = id.first, first.isLetter,
              id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else {
            throw QuantCoreError.malformedPluginSpec(text, reason: "'\(id)' is not a plug-in id (letters, digits, '-', '_')")
        }
    }

    public var description: String {
        let args = positional + named.map { "\($0.key)=\($0.value)" }
        return args.isEmpty ? id : "\(id)(\(args.joined(separator: ", ")))"
    }

    public static func == (lhs: PluginSpec, rhs: PluginSpec) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let c = slice.first, c.isWhitespace { slice.removeFirst() }
        while let c = slice.last, c.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
