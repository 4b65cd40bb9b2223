/// Human similarity judgements between documents: gensim's `similarities0-1.txt`, the ratings of
/// the 50 `lee.cor` documents from Lee, Pincombe & Welsh (2005), "An empirical evaluation of
/// models of text document similarity" (CogSci 2005).
///
/// The file is a square matrix, one row per line, values separated by tabs (any run of spaces
/// or tabs is accepted, as `numpy.loadtxt` does). Only the upper triangle carries data: the
/// diagonal is 1 and the lower triangle 0. Entry (i, j) is the mean rating of documents i and j
/// on the study's 1–5 scale divided by 5, so it lies in [0.2, 1]. gensim's `test_lee.py` reads
/// it with `numpy.loadtxt` and correlates a model's similarities with the 1225 = 50·49/2 values
/// `matrix[numpy.triu_indices(50, 1)]`, which ``upperTriangle`` lists in the same order.
public struct DocumentSimilarityMatrix: Sendable, Equatable {
    /// One rated pair of documents, `first < second`, both 0-based line indices of the corpus.
    public struct Pair: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var score: Double

        /// A pair with its score.
        public init(first: Int, second: Int, score: Double) {
            self.first = first
            self.second = second
            self.score = score
        }
    }

    /// The file read, for messages.
    public let path: String
    /// The number of documents (rows and columns).
    public let size: Int
    /// The matrix as written, row-major, `size × size`.
    public let values: [Double]

    /// Reads a square similarity matrix.
    ///
    /// - Parameters:
    ///   - path: The matrix file.
    ///   - expectedSize: When given, the number of rows the file must hold (50 for
    ///     `similarities0-1.txt`).
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`; `.malformedLine` for a value that
    ///   is not a finite number (naming the column) or a row whose length differs from the
    ///   number of rows; `.malformedFile` for an empty file or a size other than `expectedSize`.
    public init(contentsOf path: String, expectedSize: Int? = nil) throws {
        let lines = try TextLines(path: path)
        let rows = lines.lines.filter { $0.bytes.contains { $0 != 0x20 && $0 != 0x09 } }
        guard !rows.isEmpty else { throw TextDataError.malformedFile(path: path, reason: "the file holds no rows") }
        var values: [Double] = []
        for row in rows {
            let fields = try lines.utf8(row).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == rows.count else {
                throw TextDataError.malformedLine(
                    path: path, line: row.number,
                    reason: "\(fields.count) values in a matrix of \(rows.count) rows; the matrix must be square")
            }
            for (column, field) in fields.enumerated() {
                guard let value = Double(field), value.isFinite else {
                    throw TextDataError.malformedLine(
                        path: path, line: row.number,
                        reason: "value \(column + 1), '\(field.prefix(40))', is not a finite number")
                }
                values.append(value)
            }
        }
        if let expectedSize, rows.count != expectedSize {
            throw TextDataError.malformedFile(
                path: path, reason: "a \(rows.count)×\(rows.count) matrix where \(expectedSize)×\(expectedSize) is expected")
        }
        self.path = path
        self.size = rows.count
        self.values = values
    }

    /// The entry in row `row`, column `column`, as written.
    ///
    /// - Precondition: Both indices are in `0..<size`.
    public subscript(row: Int, column: Int) -> Double {
        values[row * size + column]
    }

    /// The rating of two different documents, read from the upper triangle whatever the order.
    ///
    /// - Precondition: Both indices are in `0..<size`.
    public func score(_ first: Int, _ second: Int) -> Double {
        self[min(first, second), max(first, second)]
    }

    /// The `size·(size−1)/2` pairs above the diagonal, row by row (`numpy.triu_indices(size, 1)`
    /// order).
    public var upperTriangle: [Pair] {
        (0..<size).flatMap { row in
            (row + 1..<size).map { column in Pair(first: row, second: column, score: self[row, column]) }
        }
    }
}
