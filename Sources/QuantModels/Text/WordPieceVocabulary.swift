/// A BERT WordPiece vocabulary: one token per line of `vocab.txt`, the id being the line number
/// counted from 0.
///
/// Tokens that start with `##` continue a word (`"un", "##aff", "##able"`); all others may begin
/// one. The file is read as UTF-8 with Python's universal newlines, as Hugging Face's
/// `load_vocab` reads it, but more strictly: an empty line, a duplicate token or a missing
/// special token is an error naming the file and line instead of a silently broken tokenizer.
public struct WordPieceVocabulary: Sendable {
    /// The special tokens every BERT vocabulary needs, and the optional mask token.
    public struct SpecialTokens: Sendable, Equatable {
        public var unknown = "[UNK]"
        public var classifier = "[CLS]"
        public var separator = "[SEP]"
        public var padding = "[PAD]"
        public var mask = "[MASK]"

        /// The standard BERT names `[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`.
        public init() {}

        /// The required tokens, in the order the messages list them.
        var required: [String] { [classifier, separator, unknown, padding] }
    }

    /// The prefix that marks a continuation piece.
    public static let continuationPrefix = "##"

    /// The tokens by id.
    public let tokens: [String]
    /// The id of `[UNK]`, given to words that cannot be split into known pieces.
    public let unknownID: Int
    /// The id of `[CLS]`, put first in every encoding.
    public let classifierID: Int
    /// The id of `[SEP]`, put last in every encoding.
    public let separatorID: Int
    /// The id of `[PAD]`, which fills the tail of shorter rows of a batch.
    public let paddingID: Int
    /// The special tokens that are recognised verbatim in input text (`[CLS]`, `[MASK]`, …), with
    /// their ids, longest first; Hugging Face's tokenizers do the same with their added tokens.
    let verbatimTokens: [(scalars: [Unicode.Scalar], id: Int32)]
    let trie: WordPieceTrie
    private let ids: [String: Int]

    /// Reads a `vocab.txt` file.
    ///
    /// - Parameters:
    ///   - path: The vocabulary file.
    ///   - specialTokens: The names of the special tokens; the defaults are BERT's.
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`; `.malformedLine` for invalid
    ///   UTF-8, an empty line or a duplicate token (naming both lines); `.malformedFile` when a
    ///   required special token is missing.
    public init(contentsOf path: String, specialTokens: SpecialTokens = .init()) throws {
        let lines = try TextLines(path: path)
        var tokens: [String] = []
        tokens.reserveCapacity(lines.lines.count)
        for line in lines.lines {
            let token = try lines.utf8(line)
            guard !token.isEmpty else {
                throw TextDataError.malformedLine(
                    path: path, line: line.number, reason: "empty line; vocab.txt holds one token per line")
            }
            tokens.append(token)
        }
        try self.init(tokens: tokens, specialTokens: specialTokens, path: path)
    }

    /// Builds a vocabulary from tokens in id order (for tests and hand-made vocabularies).
    ///
    /// - Parameters:
    ///   - tokens: The tokens; the id of each is its index.
    ///   - specialTokens: The names of the special tokens; the defaults are BERT's.
    ///   - path: The name used in messages, as if the tokens had been read from that file.
    /// - Throws: `TextDataError.malformedLine` for an empty or duplicate token (line = id + 1),
    ///   `.malformedFile` when a required special token is missing.
    public init(tokens: [String], specialTokens: SpecialTokens = .init(), path: String = "<vocabulary>") throws {
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            guard !token.isEmpty else {
                throw TextDataError.malformedLine(path: path, line: id + 1, reason: "empty token")
            }
            if let first = ids[token] {
                throw TextDataError.malformedLine(
                    path: path, line: id + 1,
                    reason: "duplicate token '\(token)', already on line \(first + 1); every token must be unique")
            }
            ids[token] = id
        }
        let missing = specialTokens.required.filter { ids[$0] == nil }
        guard missing.isEmpty else {
            throw TextDataError.malformedFile(
                path: path, reason: "the vocabulary has no \(missing.joined(separator: ", ")) token; a BERT "
                    + "vocabulary needs \(specialTokens.required.joined(separator: ", "))")
        }
        self.tokens = tokens
        self.ids = ids
        unknownID = ids[specialTokens.unknown] ?? 0
        classifierID = ids[specialTokens.classifier] ?? 0
        separatorID = ids[specialTokens.separator] ?? 0
        paddingID = ids[specialTokens.padding] ?? 0
        let verbatim = (specialTokens.required + [specialTokens.mask]).compactMap { name in
            ids[name].map { (scalars: Array(name.unicodeScalars), id: Int32($0)) }
        }
        verbatimTokens = verbatim.sorted { $0.scalars.count > $1.scalars.count }
        trie = WordPieceTrie(entries: tokens.enumerated().map { id, token in
            let scalars = Array(token.unicodeScalars)
            // Compared by scalars: as Characters, "##ा" is "#" + "#ा" and has no "##" prefix.
            let isContinuation = scalars.count > 2 && scalars[0] == "#" && scalars[1] == "#"
            return isContinuation
                ? (Array(scalars.dropFirst(2)), Int32(id), WordPieceTrie.continuation)
                : (scalars, Int32(id), WordPieceTrie.wordStart)
        })
    }

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// The id of a token, or `nil` when the vocabulary does not hold it.
    public func id(of token: String) -> Int? { ids[token] }

    /// The token with an id, or `nil` when the id is out of range.
    public func token(for id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }
}
