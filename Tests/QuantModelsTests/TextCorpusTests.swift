import Foundation
import QuantModels
import Testing

/// The gensim corpus readers against make_text_fixtures.py's independent Python parsing of the
/// same files (which needs the assets), and on malformed files written here (which does not).
@Suite("gensim corpora")
struct TextCorpusTests {
    @Test("lee.cor: 50 documents, decoded as Windows-1252, each as Python decodes it",
          arguments: [("lee.cor", 50), ("lee_background.cor", 300)])
    func lineCorpus(file: String, count: Int) throws {
        let corpora = try TextFixture.load().corpora
        let expected = file == "lee.cor" ? corpora.lee : corpora.leeBackground
        let corpus = try LineCorpus(contentsOf: try TextAssets.gensim(file), expectedCount: count)
        #expect(expected.count == count && expected.sameAsLatin1)
        #expect(corpus.documents.map { FNV1a.hex($0.utf8) } == expected.fnv1a)
        #expect(corpus.documents.map(\.unicodeScalars.count) == expected.scalarCounts)
        #expect(corpus.documents.first?.hasPrefix(expected.first) == true)
        #expect(corpus.documents.last?.hasSuffix(expected.last) == true)
    }

    @Test("lee.cor's one non-ASCII byte is a pound sign")
    func poundSign() throws {
        let corpus = try LineCorpus(contentsOf: try TextAssets.gensim("lee.cor"))
        #expect(corpus.documents.contains { $0.contains("\u{A3}3,000 satelite tracking device") })
    }

    @Test("pang_lee_polarity.cor: 100 negative then 100 positive sentences, em dashes decoded")
    func polarity() throws {
        let expected = try TextFixture.load().corpora.polarity
        let corpus = try PolarityCorpus(contentsOf: try TextAssets.gensim("pang_lee_polarity.cor"))
        #expect(corpus.sentences.count == expected.count)
        #expect(corpus.sentences.map(\.polarity.rawValue) == expected.labels)
        #expect(corpus.count(of: .negative) == 100 && corpus.count(of: .positive) == 100)
        #expect(corpus.sentences.prefix(100).allSatisfy { $0.polarity == .negative })
        #expect(corpus.sentences.map { FNV1a.hex($0.text.utf8) } == expected.fnv1a)
        #expect(corpus.sentences.map { $0.text.filter { $0 == "\u{2014}" }.count }.reduce(0, +) == expected.emDashCount)
        #expect(corpus.sentences.first?.text == expected.first && corpus.sentences.last?.text == expected.last)
    }

    @Test("similarities0-1.txt: a 50×50 upper-triangular matrix of mean ratings / 5")
    func similarities() throws {
        let expected = try TextFixture.load().corpora.similarities
        let matrix = try DocumentSimilarityMatrix(contentsOf: try TextAssets.gensim("similarities0-1.txt"), expectedSize: 50)
        #expect(matrix.size == expected.size)
        // Both sides parse the same decimal text to the nearest double: exact equality is the claim.
        #expect(matrix.values == expected.values.flatMap { $0 })
        let upper = matrix.upperTriangle
        #expect(upper.count == expected.upperCount && upper.count == 1225)
        #expect(upper.first?.first == 0 && upper.first?.second == 1)
        #expect(upper.last?.first == 48 && upper.last?.second == 49)
        let sum = upper.map(\.score).reduce(0, +)
        #expect(abs(sum - expected.upperSum) <= 1e-9 * expected.upperSum)
        #expect(upper.map(\.score).min() == expected.upperMin && upper.map(\.score).max() == expected.upperMax)
        #expect((0..<50).allSatisfy { matrix[$0, $0] == 1 })
        #expect(matrix.score(7, 3) == matrix[3, 7])
    }

    @Test("word-pair files: comments, then WORD TAB WORD TAB SCORE",
          arguments: [("wordsim353.tsv", 353), ("simlex999.txt", 999)])
    func wordPairs(file: String, count: Int) throws {
        let corpora = try TextFixture.load().corpora
        let expected = file == "wordsim353.tsv" ? corpora.wordsim353 : corpora.simlex999
        let scores = try WordPairScores(contentsOf: try TextAssets.gensim(file), expectedCount: count)
        #expect(scores.pairs.count == expected.count)
        #expect(scores.comments == expected.comments)
        #expect(scores.pairs.map(\.first) == expected.pairs.map(\.first))
        #expect(scores.pairs.map(\.second) == expected.pairs.map(\.second))
        #expect(scores.pairs.map(\.score) == expected.pairs.map(\.score))
    }
}

/// Malformed corpus files written here: clear errors naming file and line. No assets needed.
@Suite("gensim corpora, bad input")
struct TextCorpusBadInputTests {
    private func withFile(_ text: String, _ body: (String) throws -> Void) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try body(try scratch.write(Array(text.utf8), to: "data.txt"))
    }

    @Test("Windows-1252: the 0x80–0x9F additions, undefined bytes as C1 controls, Latin-1 above")
    func windows1252() {
        #expect(Windows1252.decode([0x97, 0x92, 0x80, 0x85]) == "\u{2014}\u{2019}\u{20AC}\u{2026}")
        #expect(Windows1252.decode([0x81, 0x8D, 0x8F, 0x90, 0x9D]).unicodeScalars.map(\.value) == [0x81, 0x8D, 0x8F, 0x90, 0x9D])
        #expect(Windows1252.decode([0x41, 0xA3, 0xE9, 0xFF]) == "A\u{A3}\u{E9}\u{FF}")
        #expect((0...255).map { Windows1252.scalar(UInt8($0)) }.count == 256)
    }

    @Test("a blank line in a corpus is reported, as is a wrong document count")
    func lineCorpus() throws {
        try withFile("one\n\nthree\n") { path in
            expectTextDataError(mentioning: [path + ":2", "blank line"]) { _ = try LineCorpus(contentsOf: path) }
        }
        try withFile("one\ntwo") { path in
            expectTextDataError(mentioning: [path, "2 documents", "50"]) { _ = try LineCorpus(contentsOf: path, expectedCount: 50) }
            let documents = try LineCorpus(contentsOf: path).documents
            #expect(documents == ["one", "two"])
        }
    }

    @Test("a polarity line without a known label or without text names its line")
    func polarity() throws {
        try withFile("__label__pos good film \n__label__meh so so\n") { path in
            expectTextDataError(mentioning: [path + ":2", "__label__meh", "'__label__neg' or '__label__pos'"]) {
                _ = try PolarityCorpus(contentsOf: path)
            }
        }
        try withFile("__label__neg \n") { path in
            expectTextDataError(mentioning: [path + ":1", "no text"]) { _ = try PolarityCorpus(contentsOf: path) }
        }
        try withFile("__label__pos good film \n") { path in
            let sentences = try PolarityCorpus(contentsOf: path).sentences
            #expect(sentences == [.init(polarity: .positive, text: "good film ")])
        }
    }

    @Test("a similarity matrix must be square and numeric")
    func similarityMatrix() throws {
        try withFile("1\t0.5\n0\t1\t0.2\n") { path in
            expectTextDataError(mentioning: [path + ":2", "3 values", "square"]) { _ = try DocumentSimilarityMatrix(contentsOf: path) }
        }
        try withFile("1\tx\n0\t1\n") { path in
            expectTextDataError(mentioning: [path + ":1", "value 2", "'x'"]) { _ = try DocumentSimilarityMatrix(contentsOf: path) }
        }
        try withFile("1 nan\n0 1\n") { path in
            expectTextDataError(mentioning: [path + ":1", "finite"]) { _ = try DocumentSimilarityMatrix(contentsOf: path) }
        }
        try withFile("\n") { path in
            expectTextDataError(mentioning: [path, "no rows"]) { _ = try DocumentSimilarityMatrix(contentsOf: path) }
        }
        try withFile("1 0.25\n0 1\n") { path in
            let matrix = try DocumentSimilarityMatrix(contentsOf: path)
            #expect(matrix.upperTriangle == [.init(first: 0, second: 1, score: 0.25)])
        }
    }

    @Test("a word-pair line needs three fields and a numeric score")
    func wordPairs() throws {
        try withFile("# header\nlove\tsex\t6.77\ntiger cat 7.35\n") { path in
            expectTextDataError(mentioning: [path + ":3", "1 tab-separated fields"]) { _ = try WordPairScores(contentsOf: path) }
        }
        try withFile("love\tsex\tlots\n") { path in
            expectTextDataError(mentioning: [path + ":1", "'lots'"]) { _ = try WordPairScores(contentsOf: path) }
        }
        try withFile("\tsex\t1\n") { path in
            expectTextDataError(mentioning: [path + ":1", "empty word"]) { _ = try WordPairScores(contentsOf: path) }
        }
        try withFile("# a\n#b\n\nold\tnew\t1.58\r\n") { path in
            let scores = try WordPairScores(contentsOf: path)
            #expect(scores.comments == ["a", "b"] && scores.pairs == [.init(first: "old", second: "new", score: 1.58)])
        }
    }

    @Test("missing corpus files say how to fetch the assets")
    func missing() {
        expectTextDataError(mentioning: ["quantbench fetch-assets"]) { _ = try LineCorpus(contentsOf: "/no/lee.cor") }
        expectTextDataError(mentioning: ["quantbench fetch-assets"]) { _ = try WordPairScores(contentsOf: "/no/simlex999.txt") }
    }
}
