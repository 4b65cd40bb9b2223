/// A native BERT WordPiece tokenizer: text to the input ids and attention mask of a BERT model.
///
/// It reproduces Hugging Face's `BertTokenizerFast` (the Rust `tokenizers` library with
/// `BertNormalizer`, `BertPreTokenizer`, `WordPiece` and the `[CLS] … [SEP]` template), which is
/// the tokenizer sentence-transformers loads for `all-MiniLM-L6-v2`:
///
/// 1. special tokens written in the text (`[CLS]`, `[MASK]`, …, case-sensitive) become their ids;
/// 2. U+0000, U+FFFD and control/format characters are dropped, whitespace breaks words, and
///    each CJK ideograph becomes a word of its own;
/// 3. each word is put in NFD with its nonspacing marks (Mn) removed, then lowercased;
/// 4. words are split around punctuation (ASCII symbols and Unicode P*);
/// 5. each piece is matched greedily, longest first, against the vocabulary, later parts with
///    the `##` prefix; a piece that cannot be matched, or is longer than
///    ``Configuration/maxCharactersPerWord`` scalars, becomes `[UNK]`;
/// 6. the pieces are cut to `maxLength - 2` and framed as `[CLS] … [SEP]`.
///
/// The Python `BertTokenizer` (transformers' slow, reference tokenizer; `BertTokenizerLegacy` in
/// transformers 5) agrees on ordinary text, the whole Lee corpus included. It differs in four
/// corner cases, where this type follows the fast one: a final capital sigma (Python lowercases
/// `Σ` at the end of a word to `ς`, Rust to `σ`); code points unassigned, or assigned after
/// Unicode 8, which Python drops or classifies with Unicode 14 tables (see `BertUnicode`); CJK
/// Extension E ideographs U+2B820–U+2B91F, which only Python isolates; and a special token
/// with a control character inside (`"[C\u{0}LS]"`), which only Python turns into `[CLS]`.
///
/// The tokenizer is an immutable value; share it freely between tasks.
public struct BertTokenizer: Sendable {
    /// The vocabulary the ids index.
    public let vocabulary: WordPieceVocabulary
    /// How text is normalized and how long encodings may be.
    public let configuration: Configuration

    /// A tokenizer over a vocabulary.
    ///
    /// - Parameters:
    ///   - vocabulary: The WordPiece vocabulary.
    ///   - configuration: Normalization and length settings; the defaults are all-MiniLM-L6-v2's.
    /// - Throws: `TextDataError.invalidConfiguration` when `maxLength` is below 2 (no room for
    ///   `[CLS]` and `[SEP]`) or `maxCharactersPerWord` is below 1.
    public init(vocabulary: WordPieceVocabulary, configuration: Configuration = .init()) throws {
        try Self.validate(configuration, path: nil)
        self.vocabulary = vocabulary
        self.configuration = configuration
    }

    /// Loads the tokenizer of a sentence-transformers model folder: `vocab.txt`, with the settings
    /// of `tokenizer_config.json` and `sentence_bert_config.json` (see
    /// ``Configuration/init(modelDirectory:)``).
    ///
    /// - Parameter modelDirectory: The folder, for example `.assets/minilm`.
    /// - Throws: `TextDataError` for a missing or malformed file.
    public init(modelDirectory: String) throws {
        let configuration = try Configuration(modelDirectory: modelDirectory)
        try Self.validate(configuration, path: modelDirectory)
        let vocabulary = try WordPieceVocabulary(
            contentsOf: modelDirectory + "/vocab.txt", specialTokens: configuration.specialTokens)
        try self.init(vocabulary: vocabulary, configuration: configuration)
    }

    /// Encodes one text as `[CLS] pieces… [SEP]`, cut to ``Configuration/maxLength`` ids.
    ///
    /// Truncation drops word pieces from the end, before `[SEP]`, as Hugging Face's
    /// `truncation=True` does for a single sequence.
    ///
    /// - Parameter text: Any string; nothing in it can make the tokenizer fail.
    /// - Returns: The ids, and an attention mask of ones of the same length.
    /// - Complexity: O(n) in the length of the text, stopping early once `maxLength` is reached.
    public func encode(_ text: String) -> TokenizedText {
        var scratch = BertScratch()
        return encode(text, scratch: &scratch)
    }

    /// Encodes texts and pads each row with `[PAD]` to the longest encoding in the batch.
    ///
    /// - Parameter texts: The texts, one row each.
    /// - Returns: The padded ids and attention masks (zero over padding), row-major.
    public func encodePadded(_ texts: [String]) -> PaddedTokenBatch {
        var scratch = BertScratch()
        let rows = texts.map { encode($0, scratch: &scratch) }
        return PaddedTokenBatch(rows: rows, paddingID: vocabulary.paddingID)
    }

    /// The word pieces of a text, without `[CLS]`, `[SEP]` or truncation.
    ///
    /// - Parameter text: Any string.
    /// - Returns: The vocabulary tokens, `##` prefixes included (`["un", "##aff", "##able"]`).
    public func tokenize(_ text: String) -> [String] {
        pieceIDs(text).map { vocabulary.tokens[$0] }
    }

    /// The ids of a text's word pieces, without `[CLS]`, `[SEP]` or truncation.
    public func pieceIDs(_ text: String) -> [Int] {
        var scratch = BertScratch()
        var ids: [Int32] = []
        appendPieceIDs(of: text, to: &ids, limit: .max, scratch: &scratch)
        return ids.map(Int.init)
    }

    private static func validate(_ configuration: Configuration, path: String?) throws {
        guard configuration.maxLength >= 2 else {
            throw TextDataError.invalidConfiguration(
                path: path, reason: "maxLength is \(configuration.maxLength) but must be at least 2, for [CLS] and [SEP]")
        }
        guard configuration.maxCharactersPerWord >= 1 else {
            throw TextDataError.invalidConfiguration(
                path: path, reason: "maxCharactersPerWord is \(configuration.maxCharactersPerWord) but must be at least 1")
        }
    }

    func encode(_ text: String, scratch: inout BertScratch) -> TokenizedText {
        var ids: [Int32] = [Int32(vocabulary.classifierID)]
        appendPieceIDs(of: text, to: &ids, limit: configuration.maxLength - 1, scratch: &scratch)
        ids.append(Int32(vocabulary.separatorID))
        return TokenizedText(ids: ids.map(Int.init))
    }
}
