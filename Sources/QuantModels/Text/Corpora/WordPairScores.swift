import Foundation

/// Word pairs with a human similarity score: gensim's `wordsim353.tsv` (WordSimilarity-353,
/// Finkelstein et al. 2002; 353 pairs scored 0–10) and `simlex999.txt` (SimLex-999, Hill,
/// Reichart & Korhonen 2015; 999 pairs scored 0–10).
///
/// The format is the one gensim's `KeyedVectors.evaluate_word_pairs` reads: UTF-8, lines
/// starting with `#` are comments (both files open with two, the second naming the columns
/// `Word 1`, `Word 2`, `Human (mean)`), empty lines are skipped, and every other line is
/// `WORD1<TAB>WORD2<TAB>SCORE`. Words keep their case as written (WordSim-353 capitalizes names
/// such as `Jerusalem`; gensim compares case-insensitively by default). Where gensim logs and
/// skips a malformed line, this reader reports it.
public struct WordPairScores: Sendable, Equatable {
    /// One scored pair.
    public struct Pair: Sendable, Equatable {
        public var first: String
        public var second: String
        public var score: Double

        /// A pair with its score.
        public init(first: String, second: String, score: Double) {
            self.first = first
            self.second = second
            self.score = score
        }
    }

    /// The file read, for messages.
    public let path: String
    /// The comment lines, without their `#` and the space after it.
    public let comments: [String]
    /// The pairs in file order.
    public let pairs: [Pair]

    /// Reads a word-pair file.
    ///
    /// - Parameters:
    ///   - path: The `.tsv` or `.txt` file.
    ///   - expectedCount: When given, the number of pairs the file must hold (353 for
    ///     `wordsim353.tsv`, 999 for `simlex999.txt`).
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`; `.malformedLine` for invalid
    ///   UTF-8, a line without exactly three tab-separated fields, an empty word, or a score that
    ///   is not a finite number; `.malformedFile` when the count differs from `expectedCount`.
    public init(contentsOf path: String, expectedCount: Int? = nil) throws {
        let lines = try TextLines(path: path)
        var comments: [String] = []
        var pairs: [Pair] = []
        for line in lines.lines where !line.bytes.isEmpty {
            let text = try lines.utf8(line)
            if text.hasPrefix("#") {
                comments.append(String(text.dropFirst().drop { $0 == " " }))
                continue
            }
            pairs.append(try Self.pair(text, path: path, line: line.number))
        }
        if let expectedCount, pairs.count != expectedCount {
            throw TextDataError.malformedFile(
                path: path, reason: "\(pairs.count) word pairs where \(expectedCount) are expected")
        }
        self.path = path
        self.comments = comments
        self.pairs = pairs
    }

    private static func pair(_ text: String, path: String, line: Int) throws -> Pair {
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3 else {
            throw TextDataError.malformedLine(
                path: path, line: line,
                reason: "\(fields.count) tab-separated fields where 3 (word, word, score) are expected")
        }
        guard !fields[0].isEmpty, !fields[1].isEmpty else {
            throw TextDataError.malformedLine(path: path, line: line, reason: "an empty word")
        }
        guard let score = Double(fields[2].trimmingCharacters(in: .whitespaces)), score.isFinite else {
            throw TextDataError.malformedLine(
                path: path, line: line, reason: "the score '\(fields[2].prefix(40))' is not a finite number")
        }
        return Pair(first: String(fields[0]), second: String(fields[1]), score: score)
    }
}
