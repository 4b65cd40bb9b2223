import Foundation
import QuantModels
import Testing

/// The tokenizer against Hugging Face's, on the real all-MiniLM-L6-v2 vocabulary: the ids in
/// Fixtures/text/expected_text.json come from `BertTokenizerFast` (what sentence-transformers
/// runs) via make_text_fixtures.py. Needs the assets; a missing one fails the test.
@Suite("BERT tokenizer vs Hugging Face")
struct BertTokenizerOracleTests {
    /// Loaded once for the suite; a missing asset is rethrown by every test that needs it.
    private static let loaded = Result { try BertTokenizer(modelDirectory: try TextAssets.minilmDirectory()) }

    static func tokenizer() throws -> BertTokenizer { try loaded.get() }

    @Test("the vocabulary and settings are all-MiniLM-L6-v2's")
    func setup() throws {
        let fixture = try TextFixture.load().tokenizer
        let tokenizer = try Self.tokenizer()
        let vocabularyPath = try TextAssets.path("minilm", "vocab.txt")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: vocabularyPath))
        #expect(FNV1a.hex(bytes) == fixture.vocabulary.fnv1a, "vocab.txt differs from the one the fixture was made with")
        #expect(tokenizer.vocabulary.count == fixture.vocabulary.count)
        #expect(fixture.vocabulary.tokenizerJSONAgrees, "tokenizer.json and vocab.txt should hold the same vocabulary")
        for (token, id) in fixture.vocabulary.samples { #expect(tokenizer.vocabulary.id(of: token) == id, "\(token)") }
        #expect(tokenizer.configuration.maxLength == fixture.maxLength)
        #expect(tokenizer.configuration.lowercases && tokenizer.configuration.stripsAccents)
        #expect(tokenizer.configuration.isolatesCJK && tokenizer.configuration.maxCharactersPerWord == 100)
        #expect(fixture.sentenceTransformersChecked, "regenerate the fixture with --model to check sentence-transformers")
    }

    @Test("hand-written tricky strings give the fast tokenizer's ids", arguments: TextFixture.stringNames)
    func trickyString(name: String) throws {
        let fixture = try TextFixture.load().tokenizer
        let entry = try #require(fixture.strings.first { $0.name == name })
        let tokenizer = try Self.tokenizer()
        let encoding = tokenizer.encode(entry.text)
        #expect(encoding.ids == entry.ids, "\(name): \(tokenizer.tokenize(entry.text))")
        #expect(encoding.attentionMask == [Int](repeating: 1, count: entry.ids.count))
        #expect(tokenizer.pieceIDs(entry.text).count + 2 == entry.untruncatedCount)
        if let slow = entry.slowIDs {
            #expect(fixture.slowFastDisagreements.contains(name))
            #expect(encoding.ids != slow, "matches the slow tokenizer where it differs from the fast one")
        }
    }

    @Test("the strings where the slow and fast tokenizers differ are the documented corner cases")
    func disagreements() throws {
        let fixture = try TextFixture.load().tokenizer
        #expect(Set(fixture.slowFastDisagreements) == [
            "greek_final_sigma", "special_with_control", "cjk_extension_e", "unassigned", "new_punctuation",
        ])
        #expect(fixture.strings.contains { $0.untruncatedCount > fixture.maxLength }, "no string exercises truncation")
    }

    @Test("every lee.cor document gives the fast tokenizer's ids")
    func leeDocuments() throws {
        let fixture = try TextFixture.load().tokenizer.lee
        let corpus = try LineCorpus(contentsOf: try TextAssets.gensim("lee.cor"), expectedCount: 50)
        let tokenizer = try Self.tokenizer()
        #expect(fixture.slowAgrees)
        for (index, document) in corpus.documents.enumerated() {
            #expect(tokenizer.encode(document).ids == fixture.ids[index], "lee.cor document \(index + 1)")
        }
        let batch = tokenizer.encodePadded(corpus.documents)
        #expect(batch.lengths == fixture.ids.map(\.count))
        #expect(batch.sequenceLength == fixture.ids.map(\.count).max())
        #expect(batch.attentionMask.reduce(0, +) == fixture.ids.map(\.count).reduce(0, +))
    }

    @Test("every lee_background.cor document gives the fast tokenizer's pieces (count and checksums)")
    func leeBackground() throws {
        let fixture = try TextFixture.load().tokenizer.leeBackground
        let expected = try #require(fixture.pieces)
        let corpus = try LineCorpus(contentsOf: try TextAssets.gensim("lee_background.cor"), expectedCount: 300)
        let tokenizer = try Self.tokenizer()
        for (index, document) in corpus.documents.enumerated() {
            #expect(IDCheck(tokenizer.pieceIDs(document)) == expected[index], "lee_background.cor document \(index + 1)")
        }
    }

    @Test("every pang_lee_polarity.cor sentence gives the fast tokenizer's ids (count and checksums)")
    func polarity() throws {
        let expected = try #require(try TextFixture.load().tokenizer.polarity.ids)
        let corpus = try PolarityCorpus(contentsOf: try TextAssets.gensim("pang_lee_polarity.cor"))
        let tokenizer = try Self.tokenizer()
        #expect(corpus.sentences.count == expected.count)
        for (index, sentence) in corpus.sentences.enumerated() where index < expected.count {
            #expect(IDCheck(tokenizer.encode(sentence.text).ids) == expected[index], "sentence \(index + 1)")
        }
    }

    @Test("every code point of the tested ranges, alone and inside a word, as the fast tokenizer")
    func codePoints() throws {
        let fixture = try TextFixture.load().tokenizer.codePoints
        let tokenizer = try Self.tokenizer()
        var digests: [String: UInt64] = [:]
        var count = 0
        for range in fixture.ranges {
            for value in range[0]...range[1] {
                guard let scalar = Unicode.Scalar(value) else { continue }
                var text = String.UnicodeScalarView()
                text.append(contentsOf: [scalar, " ", "x", scalar, "y"])
                let ids = tokenizer.encode(String(text)).ids.map { UInt64($0) } + [0xFFFF_FFFF]
                let block = String(value / fixture.blockSize * fixture.blockSize, radix: 16, uppercase: true)
                let key = String(repeating: "0", count: max(0, 6 - block.count)) + block
                digests[key] = FNV1a.fold(digests[key] ?? FNV1a.offset, ids)
                count += 1
            }
        }
        #expect(count == fixture.count)
        let mismatched = fixture.digests.keys.sorted().filter { digests[$0].map(FNV1a.hex) != fixture.digests[$0] }
        #expect(mismatched.isEmpty, "blocks differing from the fast tokenizer (U+ block start): \(mismatched)")
    }

    @Test("throughput is measured on lee_background.cor")
    func throughput() throws {
        let corpus = try LineCorpus(contentsOf: try TextAssets.gensim("lee_background.cor"))
        let result = try Self.tokenizer().measureThroughput(on: corpus.documents)
        let expected = try TextFixture.load().tokenizer.leeBackground.pieces ?? []
        #expect(result.textCount == 300)
        #expect(result.tokenCount == expected.map(\.count).reduce(0, +))
        #expect(result.tokensPerSecond > 0 && result.description.contains("tokens/s"))
    }
}
