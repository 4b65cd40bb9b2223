/// Errors raised while reading tokenizer files and text corpora.
///
/// Every message names the file, the line where there is one, what is wrong and what to do. The
/// readers never trap on malformed input: any byte sequence ends up as one of these cases or as
/// a successfully parsed value.
public enum TextDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// One line of a line-oriented file is malformed. `line` counts from 1.
    case malformedLine(path: String, line: Int, reason: String)
    /// The file as a whole is malformed (too few lines, a missing entry, inconsistent rows).
    case malformedFile(path: String, reason: String)
    /// A configuration value is out of range or inconsistent with the vocabulary.
    case invalidConfiguration(path: String?, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such file. Model and corpus files live under $QUANTBENCH_ASSETS "
                + "(default .assets/ in the package root); run `quantbench fetch-assets` to download them."
        case let .unreadable(path, reason):
            return "\(path): cannot read the file (\(Self.sentence(reason))). Check that it is a readable "
                + "file, or run `quantbench fetch-assets` to download it again."
        case let .malformedLine(path, line, reason):
            return "\(path):\(line): \(reason). The file is damaged or not in the expected format; "
                + "fix that line, or run `quantbench fetch-assets` to download a fresh copy."
        case let .malformedFile(path, reason):
            return "\(path): \(reason). The file is damaged or not in the expected format; "
                + "run `quantbench fetch-assets` to download a fresh copy."
        case let .invalidConfiguration(path, reason):
            let location = path.map { "\($0): " } ?? ""
            return "\(location)invalid tokenizer configuration: \(reason)."
        }
    }

    /// A system message without its final period, to embed in a sentence.
    private static func sentence(_ reason: String) -> String {
        var text = Substring(reason)
        while text.last == "." { text = text.dropLast() }
        return String(text)
    }
}
