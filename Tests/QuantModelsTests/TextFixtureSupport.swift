import Foundation
import QuantModels
import Testing

/// The downloaded model and corpus files, found as `quantbench fetch-assets` lays them out:
/// `$QUANTBENCH_ASSETS/<asset>/<file>`, with `.assets` in the current directory (the package
/// root under `swift test`) by default.
enum TextAssets {
    /// A required asset that is not on disk; the test fails with this message.
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "missing asset \(path): run `quantbench fetch-assets` (or set QUANTBENCH_ASSETS to the folder "
                + "that holds minilm/ and gensim-data/) before running these tests"
        }
    }

    static var root: String {
        let configured = ProcessInfo.processInfo.environment["QUANTBENCH_ASSETS"] ?? ".assets"
        if configured.hasPrefix("/") { return configured }
        return FileManager.default.currentDirectoryPath + "/" + configured
    }

    /// The path of an asset file, or a `Missing` error.
    static func path(_ asset: String, _ file: String) throws -> String {
        let path = root + "/" + asset + "/" + file
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// The all-MiniLM-L6-v2 folder, after checking the tokenizer's files are all there.
    static func minilmDirectory() throws -> String {
        for file in ["vocab.txt", "tokenizer_config.json", "sentence_bert_config.json"] {
            _ = try path("minilm", file)
        }
        return root + "/minilm"
    }

    static func gensim(_ file: String) throws -> String { try path("gensim-data", file) }
}

/// FNV-1a 64, the digest make_text_fixtures.py records.
enum FNV1a {
    static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x100_0000_01B3

    /// The digest of bytes, as 16 lower-case hex digits.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let value = bytes.reduce(offset) { ($0 ^ UInt64($1)) &* prime }
        return hex(value)
    }

    /// Folds whole 64-bit words, as the fixture script does for id lists.
    static func fold(_ hash: UInt64, _ words: some Sequence<UInt64>) -> UInt64 {
        words.reduce(hash) { ($0 ^ $1) &* prime }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Count, sum and 1-based position-weighted sum of an id list.
struct IDCheck: Decodable, Equatable, CustomStringConvertible {
    var count: Int
    var sum: Int
    var weighted: Int

    init(count: Int, sum: Int, weighted: Int) {
        self.count = count
        self.sum = sum
        self.weighted = weighted
    }

    init(_ ids: [Int]) {
        count = ids.count
        sum = ids.reduce(0, +)
        weighted = ids.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
    }

    var description: String { "count \(count), sum \(sum), weighted \(weighted)" }
}

/// The contents of Fixtures/text/expected_text.json, written by make_text_fixtures.py.
struct TextFixture: Decodable {
    struct Vocabulary: Decodable {
        var count: Int
        var fnv1a: String
        var tokenizerJSONAgrees: Bool
        var samples: [String: Int]
    }
    struct TrickyString: Decodable {
        var name: String
        var text: String
        var ids: [Int]
        var untruncatedCount: Int
        var slowIDs: [Int]?
    }
    struct Lee: Decodable {
        var ids: [[Int]]
        var untruncatedCounts: [Int]
        var slowAgrees: Bool
    }
    struct Checks: Decodable {
        var pieces: [IDCheck]?
        var ids: [IDCheck]?
        var slowAgrees: Bool
    }
    struct CodePoints: Decodable {
        var ranges: [[UInt32]]
        var blockSize: UInt32
        var count: Int
        var digests: [String: String]
    }
    struct Tokenizer: Decodable {
        var maxLength: Int
        var vocabulary: Vocabulary
        var strings: [TrickyString]
        var slowFastDisagreements: [String]
        var sentenceTransformersChecked: Bool
        var lee: Lee
        var leeBackground: Checks
        var polarity: Checks
        var codePoints: CodePoints
    }

    var tokenizer: Tokenizer
    var corpora: CorporaFixture

    /// The decoded fixture; a missing or unreadable file is a test failure.
    static func load() throws -> TextFixture { try decoded.get() }

    private static let decoded = Result {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text", "expected_text.json")))
        return try JSONDecoder().decode(TextFixture.self, from: data)
    }

    /// The names of the hand-written strings, for `@Test(arguments:)`; a placeholder that fails
    /// the test when the fixture cannot be read, so nothing is skipped silently.
    static var stringNames: [String] {
        (try? load().tokenizer.strings.map(\.name)) ?? ["<expected_text.json unreadable>"]
    }
}

/// The expected parsed contents of the gensim corpora.
struct CorporaFixture: Decodable {
    struct Documents: Decodable {
        var count: Int
        var fnv1a: [String]
        var scalarCounts: [Int]
        var first: String
        var last: String
        var sameAsLatin1: Bool
    }
    struct Polarity: Decodable {
        var count: Int
        var labels: [String]
        var fnv1a: [String]
        var emDashCount: Int
        var first: String
        var last: String
    }
    struct Similarities: Decodable {
        var size: Int
        var values: [[Double]]
        var upperCount: Int
        var upperSum: Double
        var upperMin: Double
        var upperMax: Double
    }
    /// A row `[word, word, score]`, decoded from a heterogeneous JSON array.
    struct Row: Decodable {
        var first: String
        var second: String
        var score: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            first = try container.decode(String.self)
            second = try container.decode(String.self)
            score = try container.decode(Double.self)
        }
    }
    struct WordPairs: Decodable {
        var count: Int
        var comments: [String]
        var pairs: [Row]
    }

    var lee: Documents
    var leeBackground: Documents
    var polarity: Polarity
    var similarities: Similarities
    var wordsim353: WordPairs
    var simlex999: WordPairs
}

/// Runs `body`, requires it to throw a `TextDataError`, and checks the message names `fragments`.
@discardableResult
func expectTextDataError(
    mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> TextDataError? {
    let error = #expect(throws: TextDataError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    for fragment in fragments {
        #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)", sourceLocation: sourceLocation)
    }
    return error
}
