import Foundation

/// A Python function named as `module:function` or `path/to/file.py:function`.
///
/// Parsing only checks the syntax; nothing here starts Python. A module part that ends in
/// `.py` or contains a `/` is a file path (a relative path is resolved against the current
/// directory when the reference is made); anything else is a dotted module name found on the
/// embedded Python's `sys.path`.
public struct PythonFunctionReference: Sendable, Hashable, CustomStringConvertible {
    /// Where the module comes from.
    public enum Module: Sendable, Hashable {
        /// A dotted name imported with `import`, e.g. `mypackage.calibrators`.
        case named(String)
        /// An absolute path to a `.py` file, loaded with `importlib.util.spec_from_file_location`.
        case file(String)
    }

    /// The reference as written, e.g. `examples/percentile.py:clip`.
    public let text: String
    public let module: Module
    /// The function's name inside the module.
    public let function: String

    /// Parses `module:function`; the last `:` separates the two.
    ///
    /// - Parameter text: The reference as written.
    /// - Throws: ``PythonPluginError/malformedReference(_:reason:)`` when there is no `:`, either
    ///   part is empty, or the function is not a Python identifier.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":") else {
            throw PythonPluginError.malformedReference(text, reason: "there is no ':' between the module and the function")
        }
        let modulePart = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        let function = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        guard !modulePart.isEmpty else { throw PythonPluginError.malformedReference(text, reason: "the module is empty") }
        guard let first = function.first, first == "_" || first.isLetter,
            function.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber })
        else {
            throw PythonPluginError.malformedReference(text, reason: "'\(function)' is not a Python function name")
        }
        self.text = trimmed
        self.function = function
        if modulePart.hasSuffix(".py") || modulePart.contains("/") {
            let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            module = .file(URL(fileURLWithPath: modulePart, relativeTo: base).standardizedFileURL.path)
        } else {
            guard modulePart.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ part in
                part.first.map { $0 == "_" || $0.isLetter } == true && part.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
            }) else {
                throw PythonPluginError.malformedReference(text, reason: "'\(modulePart)' is neither a dotted module name nor a .py path")
            }
            module = .named(modulePart)
        }
    }

    /// The module as shown in messages: its dotted name or its path.
    public var moduleName: String {
        switch module {
        case let .named(name): return name
        case let .file(path): return path
        }
    }

    public var description: String { text }
}
