import Foundation

extension BertTokenizer {
    /// How a ``BertTokenizer`` normalizes text and how long its encodings may be.
    ///
    /// The defaults are those of sentence-transformers' all-MiniLM-L6-v2: uncased with accents
    /// stripped, CJK ideographs isolated, at most 256 ids, words over 100 scalars unknown.
    public struct Configuration: Sendable, Equatable {
        /// The most ids an encoding holds, `[CLS]` and `[SEP]` included (`max_seq_length` in
        /// `sentence_bert_config.json`; 256 for all-MiniLM-L6-v2). At least 2.
        public var maxLength = 256
        /// Longer pieces become `[UNK]` (`max_input_chars_per_word`, 100 in BERT).
        public var maxCharactersPerWord = 100
        /// Whether text is lowercased (`do_lower_case`).
        public var lowercases = true
        /// Whether accents are stripped: NFD, then nonspacing marks removed (`strip_accents`;
        /// Hugging Face's `null` means "as `do_lower_case`").
        public var stripsAccents = true
        /// Whether each CJK ideograph becomes a word of its own (`tokenize_chinese_chars`).
        public var isolatesCJK = true
        /// The names of the special tokens.
        public var specialTokens = WordPieceVocabulary.SpecialTokens()

        /// all-MiniLM-L6-v2's settings.
        public init() {}

        /// The settings of a sentence-transformers or Hugging Face model folder.
        ///
        /// Reads `tokenizer_config.json` (required: `do_lower_case`, `strip_accents`,
        /// `tokenize_chinese_chars`, the special token names and `model_max_length`) and, when
        /// present, `sentence_bert_config.json`, whose `max_seq_length` is the length
        /// sentence-transformers truncates to. Without it the length is `model_max_length`,
        /// else 512. sentence-transformers' own `do_lower_case: true` turns lowercasing on.
        ///
        /// - Parameter modelDirectory: The folder holding the JSON files.
        /// - Throws: `TextDataError.fileNotFound` when `tokenizer_config.json` is missing,
        ///   `.malformedFile` when a file is not the JSON expected.
        public init(modelDirectory: String) throws {
            let tokenizerPath = modelDirectory + "/tokenizer_config.json"
            let tokenizer = try Self.decode(TokenizerConfigFile.self, at: tokenizerPath)
            let sentencePath = modelDirectory + "/sentence_bert_config.json"
            let sentence = FileManager.default.fileExists(atPath: sentencePath)
                ? try Self.decode(SentenceConfigFile.self, at: sentencePath) : nil
            lowercases = tokenizer.do_lower_case ?? true || sentence?.do_lower_case == true
            stripsAccents = tokenizer.strip_accents ?? lowercases
            isolatesCJK = tokenizer.tokenize_chinese_chars ?? true
            let modelLength = tokenizer.model_max_length.map { $0 >= 1e9 ? 1_000_000_000 : max(0, Int($0)) }
            maxLength = sentence?.max_seq_length ?? modelLength ?? 512
            specialTokens.unknown = tokenizer.unk_token?.content ?? specialTokens.unknown
            specialTokens.classifier = tokenizer.cls_token?.content ?? specialTokens.classifier
            specialTokens.separator = tokenizer.sep_token?.content ?? specialTokens.separator
            specialTokens.padding = tokenizer.pad_token?.content ?? specialTokens.padding
            specialTokens.mask = tokenizer.mask_token?.content ?? specialTokens.mask
        }

        private static func decode<Value: Decodable>(_ type: Value.Type, at path: String) throws -> Value {
            let bytes = try TextLines.contents(of: path)
            do {
                return try JSONDecoder().decode(type, from: Data(bytes))
            } catch {
                throw TextDataError.malformedFile(path: path, reason: "not the expected JSON (\(error))")
            }
        }
    }
}

/// The fields of `tokenizer_config.json` the tokenizer uses; Hugging Face's snake_case names.
private struct TokenizerConfigFile: Decodable {
    var do_lower_case: Bool?
    var strip_accents: Bool?
    var tokenize_chinese_chars: Bool?
    var model_max_length: Double?
    var unk_token: TokenName?
    var cls_token: TokenName?
    var sep_token: TokenName?
    var pad_token: TokenName?
    var mask_token: TokenName?
}

/// The fields of `sentence_bert_config.json`.
private struct SentenceConfigFile: Decodable {
    var max_seq_length: Int?
    var do_lower_case: Bool?
}

/// A special token's name, written either as a string or as a serialized `AddedToken` object.
private struct TokenName: Decodable {
    var content: String

    private enum Keys: String, CodingKey { case content }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            content = text
        } else {
            content = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .content)
        }
    }
}
