import Foundation
import QuantModels
import Testing

/// `vocab.txt` files written here, good and malformed: each problem is an error naming the file
/// and line, never a crash. No assets needed.
@Suite("WordPiece vocabulary files")
struct WordPieceVocabularyTests {
    static let specials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n"

    private func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try body(try scratch.write(bytes, to: "vocab.txt"))
    }

    @Test("ids are line numbers from 0; LF, CRLF and CR line ends all work, a final one or not")
    func lineEnds() throws {
        for text in ["[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello",
                     "[PAD]\r[UNK]\r[CLS]\r[SEP]\rhello\r"] {
            var loaded: WordPieceVocabulary?
            try withFile(Array(text.utf8)) { loaded = try WordPieceVocabulary(contentsOf: $0) }
            let vocabulary = try #require(loaded)
            #expect(vocabulary.count == 5)
            #expect(vocabulary.id(of: "hello") == 4)
            #expect(vocabulary.token(for: 4) == "hello" && vocabulary.token(for: 5) == nil)
            let specialIDs: [Int] = [vocabulary.paddingID, vocabulary.unknownID, vocabulary.classifierID, vocabulary.separatorID]
            #expect(specialIDs == [0, 1, 2, 3])
        }
    }

    @Test("a duplicate token names both lines")
    func duplicate() throws {
        try withFile(Array((Self.specials + "dog\ncat\ndog\n").utf8)) { path in
            expectTextDataError(mentioning: [path + ":7", "duplicate token 'dog'", "line 5"]) {
                _ = try WordPieceVocabulary(contentsOf: path)
            }
        }
    }

    @Test("a missing special token is named", arguments: ["[CLS]", "[SEP]", "[UNK]", "[PAD]"])
    func missingSpecial(token: String) throws {
        let text = Self.specials.replacingOccurrences(of: token + "\n", with: "") + "word\n"
        try withFile(Array(text.utf8)) { path in
            expectTextDataError(mentioning: [path, "no \(token) token"]) { _ = try WordPieceVocabulary(contentsOf: path) }
        }
    }

    @Test("an empty line is reported with its number")
    func emptyLine() throws {
        try withFile(Array((Self.specials + "a\n\nb\n").utf8)) { path in
            expectTextDataError(mentioning: [path + ":6", "empty line"]) { _ = try WordPieceVocabulary(contentsOf: path) }
        }
    }

    @Test("invalid UTF-8 is reported with its line and byte")
    func invalidUTF8() throws {
        try withFile(Array(Self.specials.utf8) + [0x61, 0x62, 0xC3, 0x28, 0x0A]) { path in
            expectTextDataError(mentioning: [path + ":5", "invalid UTF-8 at byte 3"]) {
                _ = try WordPieceVocabulary(contentsOf: path)
            }
        }
    }

    @Test("a missing file says how to fetch the assets")
    func missingFile() {
        expectTextDataError(mentioning: ["/no/such/vocab.txt", "quantbench fetch-assets"]) {
            _ = try WordPieceVocabulary(contentsOf: "/no/such/vocab.txt")
        }
    }

    @Test("random bytes are read or rejected, never a crash")
    func randomBytes() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let noise = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            try withFile(Array(Self.specials.utf8) + noise) { path in
                do {
                    let vocabulary = try WordPieceVocabulary(contentsOf: path)
                    _ = try BertTokenizer(vocabulary: vocabulary).encode(String(decoding: noise, as: UTF8.self))
                } catch is TextDataError {
                    // A clear error is the other acceptable outcome.
                }
            }
        }
    }
}
