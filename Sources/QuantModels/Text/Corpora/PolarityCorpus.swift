/// Sentences labelled positive or negative in fastText's format: gensim's
/// `pang_lee_polarity.cor`, 200 movie-review snippets from Pang & Lee's sentence polarity data
/// (lines 1–100 negative, 101–200 positive).
///
/// Each line is `__label__neg TEXT` or `__label__pos TEXT`: the label, one space, the sentence
/// (already lowercased and tokenized by spaces in this file, a trailing space included). Lines
/// are decoded as Windows-1252 (see ``Windows1252``): the file's byte `0x97` is an em dash
/// ("bender \u{2014} and i know"), which Latin-1 would turn into the C1 control U+0097.
public struct PolarityCorpus: Sendable, Equatable {
    /// The sentiment of a sentence.
    public enum Polarity: String, Sendable, CaseIterable {
        case negative = "neg"
        case positive = "pos"
    }

    /// One labelled sentence.
    public struct Sentence: Sendable, Equatable {
        public var polarity: Polarity
        /// The text after the label and its space.
        public var text: String

        /// A sentence with its label.
        public init(polarity: Polarity, text: String) {
            self.polarity = polarity
            self.text = text
        }
    }

    /// The label prefix fastText's supervised format uses.
    public static let labelPrefix = "__label__"

    /// The file read, for messages.
    public let path: String
    /// The sentences in file order.
    public let sentences: [Sentence]

    /// Reads a labelled corpus.
    ///
    /// - Parameter path: The `.cor` file.
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`; `.malformedLine` for a line that
    ///   does not start with `__label__neg ` or `__label__pos `, or has no text after the label.
    public init(contentsOf path: String) throws {
        let lines = try TextLines(path: path)
        var sentences: [Sentence] = []
        for line in lines.lines {
            let text = lines.windows1252(line)
            let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let label = parts[0]
            guard label.hasPrefix(Self.labelPrefix),
                  let polarity = Polarity(rawValue: String(label.dropFirst(Self.labelPrefix.count))) else {
                let labels = Polarity.allCases.map { "'\(Self.labelPrefix)\($0.rawValue)'" }.joined(separator: " or ")
                throw TextDataError.malformedLine(
                    path: path, line: line.number,
                    reason: "the line starts with '\(label.prefix(40))' where a label \(labels) and a space are expected")
            }
            guard parts.count == 2, parts[1].contains(where: { $0 != " " && $0 != "\t" }) else {
                throw TextDataError.malformedLine(path: path, line: line.number, reason: "no text after the label")
            }
            sentences.append(Sentence(polarity: polarity, text: String(parts[1])))
        }
        self.path = path
        self.sentences = sentences
    }

    /// The number of sentences with a polarity.
    public func count(of polarity: Polarity) -> Int {
        sentences.count { $0.polarity == polarity }
    }
}
