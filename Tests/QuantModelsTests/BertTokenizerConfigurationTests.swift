import Foundation
import QuantModels
import Testing

/// Model folders written here: how `tokenizer_config.json` and `sentence_bert_config.json`
/// become a configuration. No assets needed.
@Suite("BERT tokenizer configuration files")
struct BertTokenizerConfigurationTests {
    private func withModel(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var all = files
        all["vocab.txt"] = all["vocab.txt"] ?? "[PAD]\n[UNK]\n[CLS]\n[SEP]\n<unk>\nhello\n"
        for (name, text) in all { try scratch.write(Array(text.utf8), to: name) }
        try body(scratch.url.path)
    }

    @Test("sentence_bert_config.json's max_seq_length wins over model_max_length")
    func lengths() throws {
        let tokenizerConfig = #"{"do_lower_case": true, "strip_accents": null, "model_max_length": 512}"#
        try withModel(["tokenizer_config.json": tokenizerConfig,
                       "sentence_bert_config.json": #"{"max_seq_length": 128, "do_lower_case": false}"#]) { path in
            let configuration = try BertTokenizer.Configuration(modelDirectory: path)
            #expect(configuration.maxLength == 128 && configuration.lowercases && configuration.stripsAccents)
        }
        try withModel(["tokenizer_config.json": tokenizerConfig]) { path in
            let configuration = try BertTokenizer.Configuration(modelDirectory: path)
            #expect(configuration.maxLength == 512)
        }
        try withModel(["tokenizer_config.json": #"{"model_max_length": 1000000000000000019884624838656}"#]) { path in
            let configuration = try BertTokenizer.Configuration(modelDirectory: path)
            #expect(configuration.maxLength == 1_000_000_000)
        }
    }

    @Test("cased settings, and special tokens written as AddedToken objects")
    func casedAndAddedTokens() throws {
        let config = #"{"do_lower_case": false, "strip_accents": false, "tokenize_chinese_chars": false, "#
            + #""unk_token": {"__type": "AddedToken", "content": "<unk>", "lstrip": false}}"#
        try withModel(["tokenizer_config.json": config]) { path in
            let tokenizer = try BertTokenizer(modelDirectory: path)
            #expect(!tokenizer.configuration.lowercases && !tokenizer.configuration.stripsAccents)
            #expect(!tokenizer.configuration.isolatesCJK)
            #expect(tokenizer.configuration.specialTokens.unknown == "<unk>")
            #expect(tokenizer.vocabulary.unknownID == 4)
            #expect(tokenizer.tokenize("hello Hello") == ["hello", "<unk>"])
        }
    }

    @Test("missing, malformed and out-of-range configuration files are reported")
    func errors() throws {
        try withModel([:]) { path in
            expectTextDataError(mentioning: ["tokenizer_config.json", "fetch-assets"]) {
                _ = try BertTokenizer(modelDirectory: path)
            }
        }
        try withModel(["tokenizer_config.json": "{not json"]) { path in
            expectTextDataError(mentioning: ["tokenizer_config.json", "not the expected JSON"]) {
                _ = try BertTokenizer(modelDirectory: path)
            }
        }
        try withModel(["tokenizer_config.json": "{}", "sentence_bert_config.json": #"{"max_seq_length": 1}"#]) { path in
            expectTextDataError(mentioning: [path, "maxLength is 1"]) { _ = try BertTokenizer(modelDirectory: path) }
        }
    }
}
