import QuantModels
import Testing

/// The WordPiece algorithm on small vocabularies written here: no assets needed. Expected
/// pieces are derived by hand from the rules of Hugging Face's `BertTokenizer`.
@Suite("BERT tokenizer rules")
struct BertTokenizerUnitTests {
    /// Ids are the positions in this list.
    static let tokens = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "un", "##aff", "##able", "hello", "world", ",", "!", ".", "-", "'", "«", "»", "中",
        "a", "ab", "abc", "##b", "##bc", "##c", "x", "##x", "cafe", "naive", "i", "##i", "s", "##s",
        "the", "cat", "##d", "d", "e", "##e",
    ]

    static func tokenizer(maxLength: Int = 256, maxCharactersPerWord: Int = 100) throws -> BertTokenizer {
        var configuration = BertTokenizer.Configuration()
        configuration.maxLength = maxLength
        configuration.maxCharactersPerWord = maxCharactersPerWord
        return try BertTokenizer(vocabulary: WordPieceVocabulary(tokens: tokens), configuration: configuration)
    }

    @Test("greedy longest-match-first with ## continuations", arguments: [
        ("unaffable", ["un", "##aff", "##able"]),
        ("abcbc", ["abc", "##bc"]),
        ("abcc", ["abc", "##c"]),
        ("xxxx", ["x", "##x", "##x", "##x"]),
        ("cats", ["cat", "##s"]),
    ])
    func greedy(text: String, pieces: [String]) throws {
        #expect(try Self.tokenizer().tokenize(text) == pieces)
    }

    @Test("a word with an unmatchable part is one [UNK], even where a non-greedy split exists")
    func unknownWord() throws {
        let tokenizer = try Self.tokenizer()
        // Greedy takes "abc", then "##d" + "e" ... "abcde": abc, ##d, ##e — all known.
        #expect(tokenizer.tokenize("abcde") == ["abc", "##d", "##e"])
        // "abz": "ab" then "z" has no piece: the whole word is [UNK], no partial pieces.
        #expect(tokenizer.tokenize("abz hello") == ["[UNK]", "hello"])
        // "unaffx": un, ##aff, then "x" must be "##x", which exists; "unaffq" does not.
        #expect(tokenizer.tokenize("unaffx unaffq") == ["un", "##aff", "##x", "[UNK]"])
    }

    @Test("punctuation splits words, each mark its own piece")
    func punctuation() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize("hello,world!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.tokenize("«hello»...") == ["«", "hello", "»", ".", ".", "."])
        #expect(tokenizer.tokenize("the-cat's") == ["the", "-", "cat", "'", "s"])
        // ASCII symbols outside Unicode's P* are punctuation for BERT: $ + < = > ^ ` | ~.
        #expect(tokenizer.tokenize("a$b+c") == ["a", "[UNK]", "[UNK]", "[UNK]", "[UNK]"])
    }

    @Test("lowercasing and accent stripping: NFD, then nonspacing marks removed")
    func normalization() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize("CAFÉ Naïve") == ["cafe", "naive"])
        #expect(tokenizer.tokenize("cafe\u{301}") == ["cafe"])
        #expect(tokenizer.tokenize("İ") == ["i"])
    }

    @Test("controls are dropped inside words; whitespace of every kind breaks them")
    func cleaning() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize("hel\u{0}lo wor\u{200B}ld \u{FFFD}") == ["hello", "world"])
        #expect(tokenizer.tokenize("a\tb\nc\u{A0}d\u{3000}e\u{2028}x") == ["a", "[UNK]", "[UNK]", "d", "e", "x"])
    }

    @Test("each CJK ideograph is a word of its own, never a ## continuation")
    func cjk() throws {
        #expect(try Self.tokenizer().tokenize("中中a中") == ["中", "中", "a", "中"])
    }

    @Test("words longer than maxCharactersPerWord scalars are [UNK]")
    func longWords() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize(String(repeating: "x", count: 100)).count == 100)
        #expect(tokenizer.tokenize(String(repeating: "x", count: 101)) == ["[UNK]"])
        // The limit applies to pieces after punctuation splitting, not to whitespace words.
        let split = String(repeating: "x", count: 60) + "-" + String(repeating: "x", count: 60)
        #expect(tokenizer.tokenize(split).count == 121)
        let short = try Self.tokenizer(maxCharactersPerWord: 3)
        #expect(short.tokenize("abc abcd") == ["abc", "[UNK]"])
    }

    @Test("encodings are [CLS] … [SEP], truncated by dropping pieces before [SEP]")
    func truncation() throws {
        let text = "hello world hello world"
        #expect(try Self.tokenizer().encode(text).ids == [2, 8, 9, 8, 9, 3])
        #expect(try Self.tokenizer(maxLength: 6).encode(text).ids == [2, 8, 9, 8, 9, 3])
        #expect(try Self.tokenizer(maxLength: 5).encode(text).ids == [2, 8, 9, 8, 3])
        #expect(try Self.tokenizer(maxLength: 3).encode("unaffable").ids == [2, 5, 3])
        #expect(try Self.tokenizer(maxLength: 2).encode(text).ids == [2, 3])
        #expect(try Self.tokenizer().encode("").ids == [2, 3])
        #expect(try Self.tokenizer().encode(text).attentionMask == [1, 1, 1, 1, 1, 1])
    }

    @Test("a maxLength without room for [CLS] and [SEP] is a configuration error")
    func invalidLength() throws {
        expectTextDataError(mentioning: ["maxLength", "at least 2"]) { _ = try Self.tokenizer(maxLength: 1) }
        expectTextDataError(mentioning: ["maxCharactersPerWord"]) { _ = try Self.tokenizer(maxCharactersPerWord: 0) }
    }

    @Test("special tokens written in the text are matched verbatim and case-sensitively")
    func verbatimSpecialTokens() throws {
        let tokenizer = try Self.tokenizer()
        // After [MASK], "b" starts a word, and only "##b" is in the vocabulary.
        #expect(tokenizer.pieceIDs("[CLS] a[MASK]b [cls]") == [2, 18, 4, 1, 1, 1, 1])
        #expect(tokenizer.pieceIDs("[SEP") == [1, 1])
    }

    @Test("a batch is padded with [PAD] to its longest row, with a zero mask over the padding")
    func batch() throws {
        let batch = try Self.tokenizer().encodePadded(["hello world", "", "unaffable hello"])
        #expect(batch.rowCount == 3)
        #expect(batch.sequenceLength == 6)
        #expect(batch.lengths == [4, 2, 6])
        #expect(Array(batch.ids(ofRow: 0)) == [2, 8, 9, 3, 0, 0])
        #expect(Array(batch.ids(ofRow: 1)) == [2, 3, 0, 0, 0, 0])
        #expect(Array(batch.ids(ofRow: 2)) == [2, 5, 6, 7, 8, 3])
        #expect(Array(batch.attentionMask(ofRow: 1)) == [1, 1, 0, 0, 0, 0])
        #expect(batch.ids.count == 18 && batch.attentionMask.count == 18)
        let empty = try Self.tokenizer().encodePadded([String]())
        #expect(empty.rowCount == 0 && empty.sequenceLength == 0 && empty.ids.isEmpty)
    }

    @Test("arbitrary scalars never crash and always give valid, bounded encodings")
    func fuzz() throws {
        let tokenizer = try Self.tokenizer(maxLength: 16)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 24) {
                let pick = generator.next()
                let value = pick % 3 == 0 ? UInt32((pick >> 8) % 0x80) : UInt32((pick >> 8) % 0x110000)
                if let scalar = Unicode.Scalar(value) { text.append(scalar) }
            }
            let encoding = tokenizer.encode(String(text))
            #expect(encoding.ids.count <= 16 && encoding.ids.first == 2 && encoding.ids.last == 3)
            #expect(encoding.ids.allSatisfy { Self.tokens.indices.contains($0) })
        }
    }
}

/// A small deterministic generator for the fuzz test (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
