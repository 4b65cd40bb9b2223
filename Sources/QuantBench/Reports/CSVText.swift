import Foundation

/// Comma-separated values as RFC 4180 writes them.
enum CSVText {
    /// The record separator RFC 4180 prescribes.
    static let lineEnd = "\r\n"

    /// A field, quoted (inner quotes doubled) if it holds a comma, a quote, CR or LF.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields quoted as needed, joined by commas, ended by CRLF.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnd
    }

    /// A number as plain text: the shortest decimal that reads back as the same `Double`;
    /// `nan`, `inf` and `-inf` for the non-finite values (Python's `float()` reads all of them).
    static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(x)
    }
}
