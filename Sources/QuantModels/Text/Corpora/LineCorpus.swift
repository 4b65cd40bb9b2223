/// A corpus of one document per line: gensim's `lee.cor` (50 news documents, the ones
/// `similarities0-1.txt` rates) and `lee_background.cor` (300 documents).
///
/// Lines are decoded as Windows-1252 (see ``Windows1252``): the files are not UTF-8 (`lee.cor`
/// holds byte `0xA3`, the pound sign), and gensim's `test_lee.py` decodes them as Latin-1, which
/// gives the same text on both files. Line ends are `\n`, `\r\n` or `\r`; the last line needs
/// none. The text of each document is the line as written, spaces included.
public struct LineCorpus: Sendable, Equatable {
    /// The file read, for messages.
    public let path: String
    /// The documents in file order.
    public let documents: [String]

    /// Reads a corpus file.
    ///
    /// - Parameters:
    ///   - path: The `.cor` file.
    ///   - expectedCount: When given, the number of documents the file must hold (50 for
    ///     `lee.cor`, 300 for `lee_background.cor`).
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`; `.malformedLine` for an empty or
    ///   blank line, which would shift every later document's index; `.malformedFile` when the
    ///   count differs from `expectedCount`.
    public init(contentsOf path: String, expectedCount: Int? = nil) throws {
        let lines = try TextLines(path: path)
        var documents: [String] = []
        documents.reserveCapacity(lines.lines.count)
        for line in lines.lines {
            guard line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
                throw TextDataError.malformedLine(
                    path: path, line: line.number, reason: "blank line; the corpus holds one document per line")
            }
            documents.append(lines.windows1252(line))
        }
        if let expectedCount, documents.count != expectedCount {
            throw TextDataError.malformedFile(
                path: path, reason: "\(documents.count) documents (lines) where \(expectedCount) are expected")
        }
        self.path = path
        self.documents = documents
    }
}
