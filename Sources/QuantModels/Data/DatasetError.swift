/// Errors raised while reading a data set file (the digits CSV, gzip-compressed or not).
///
/// Every message names the file, and the line and column where there is one, and says what to do.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The gzip stream is damaged (bad header, bad deflate data, or a CRC or length that does not match).
    case corruptGzip(path: String, reason: String)
    /// The gzip stream ends before its end-of-stream marker.
    case truncatedGzip(path: String, decompressedBytes: Int)
    /// The file holds no rows.
    case empty(path: String)
    /// A row with another number of comma-separated values than the format has.
    case wrongColumnCount(path: String, line: Int, expected: Int, found: Int)
    /// A value that is not a number.
    case notANumber(path: String, line: Int, column: Int, text: String)
    /// A pixel that is not an integer in 0…16.
    case pixelOutOfRange(path: String, line: Int, column: Int, text: String)
    /// A label that is not an integer in 0…9.
    case invalidLabel(path: String, line: Int, text: String)
    /// A row index outside the data set.
    case indexOutOfRange(index: Int, count: Int)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read the file (\(reason)). Check that it exists and is readable; "
                + "if it is a pinned asset, run '\(AssetError.fetchCommand)'."
        case let .corruptGzip(path, reason):
            return "\(path): not a valid gzip stream (\(reason)). The file is damaged: delete it and re-run "
                + "'\(AssetError.fetchCommand)' (or re-create it with gzip)."
        case let .truncatedGzip(path, bytes):
            return "\(path): the gzip stream is cut short (it ends after \(bytes) decompressed bytes, before its "
                + "end marker). Delete it and re-run '\(AssetError.fetchCommand)' (or re-create it with gzip)."
        case let .empty(path):
            return "\(path): no rows. The file is empty or is not the digits CSV."
        case let .wrongColumnCount(path, line, expected, found):
            return "\(path):\(line): \(found) comma-separated values, expected \(expected) (64 pixels, then the "
                + "label). The file is not sklearn's digits.csv or is damaged."
        case let .notANumber(path, line, column, text):
            return "\(path):\(line): column \(column) is '\(text)', not a number. The file is damaged or is not "
                + "sklearn's digits.csv."
        case let .pixelOutOfRange(path, line, column, text):
            return "\(path):\(line): pixel in column \(column) is \(text); digits pixels are integers 0…16. "
                + "The file is damaged or is not sklearn's digits.csv."
        case let .invalidLabel(path, line, text):
            return "\(path):\(line): label (column 65) is '\(text)'; digits labels are integers 0…9. "
                + "The file is damaged or is not sklearn's digits.csv."
        case let .indexOutOfRange(index, count):
            return "image index \(index) is outside the data set (0..<\(count)). Use indices from its split."
        }
    }
}
