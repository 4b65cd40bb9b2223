import Foundation

/// The scalar buffers one encoding works in, reused from text to text across a batch.
struct BertScratch {
    var text: [Unicode.Scalar] = []
    var word: [UInt32] = []
    var normalized: [UInt32] = []
}

extension BertTokenizer {
    /// Appends the word-piece ids of `text` (no `[CLS]`/`[SEP]`) to `ids`, stopping once `ids`
    /// holds `limit` ids.
    ///
    /// The pipeline is `tokenizers`' `BertNormalizer` + `BertPreTokenizer` + `WordPiece`:
    /// special tokens written verbatim are matched first on the raw text; then control
    /// characters are dropped, whitespace breaks words and CJK ideographs become words of their
    /// own (``BertUnicode``); each word is decomposed (NFD) with its nonspacing marks removed,
    /// lowercased, split around punctuation, and each piece is matched greedily against the
    /// vocabulary, longest first, with `##` pieces after the first.
    ///
    /// - Complexity: O(n) in the scalar count for ASCII text; nothing is allocated per scalar.
    func appendPieceIDs(of text: String, to ids: inout [Int32], limit: Int, scratch: inout BertScratch) {
        scratch.text.removeAll(keepingCapacity: true)
        scratch.text.append(contentsOf: text.unicodeScalars)
        scratch.word.removeAll(keepingCapacity: true)
        var index = 0
        let count = scratch.text.count
        while index < count, ids.count < limit {
            let scalar = scratch.text[index]
            if let (id, length) = verbatimToken(at: index, in: scratch.text) {
                flushWord(to: &ids, scratch: &scratch)
                ids.append(id)
                index += length
                continue
            }
            index += 1
            switch BertUnicode.classify(scalar) {
            case .removed:
                continue
            case .whitespace:
                flushWord(to: &ids, scratch: &scratch)
            case .cjk where configuration.isolatesCJK:
                flushWord(to: &ids, scratch: &scratch)
                scratch.word.append(scalar.value)
                flushWord(to: &ids, scratch: &scratch)
            case .cjk, .other:
                scratch.word.append(scalar.value)
            }
        }
        if ids.count < limit { flushWord(to: &ids, scratch: &scratch) }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
    }

    /// The special token written verbatim at `index`, with its length in scalars.
    @inline(__always)
    private func verbatimToken(at index: Int, in text: [Unicode.Scalar]) -> (Int32, Int)? {
        for token in vocabulary.verbatimTokens where token.scalars.first == text[index] {
            let end = index + token.scalars.count
            if end <= text.count, text[index..<end].elementsEqual(token.scalars) {
                return (token.id, token.scalars.count)
            }
        }
        return nil
    }

    /// Normalizes the pending word, splits it around punctuation and appends its pieces' ids.
    private func flushWord(to ids: inout [Int32], scratch: inout BertScratch) {
        guard !scratch.word.isEmpty else { return }
        normalize(scratch.word, into: &scratch.normalized)
        scratch.word.removeAll(keepingCapacity: true)
        scratch.normalized.withUnsafeBufferPointer { scalars in
            var start = 0
            for index in scalars.indices {
                guard let scalar = Unicode.Scalar(scalars[index]), BertUnicode.isPunctuation(scalar) else { continue }
                appendWordPieces(UnsafeBufferPointer(rebasing: scalars[start..<index]), to: &ids)
                appendWordPieces(UnsafeBufferPointer(rebasing: scalars[index..<index + 1]), to: &ids)
                start = index + 1
            }
            appendWordPieces(UnsafeBufferPointer(rebasing: scalars[start...]), to: &ids)
        }
    }

    /// Accent stripping (NFD, then nonspacing marks removed) and lowercasing of one word, in the
    /// order `tokenizers`' `BertNormalizer` applies them.
    private func normalize(_ word: [UInt32], into output: inout [UInt32]) {
        output.removeAll(keepingCapacity: true)
        if word.allSatisfy({ $0 < 0x80 }) {
            for value in word {
                output.append(configuration.lowercases && (0x41...0x5A).contains(value) ? value + 0x20 : value)
            }
            return
        }
        var scalars = String.UnicodeScalarView()
        for value in word { if let scalar = Unicode.Scalar(value) { scalars.append(scalar) } }
        var text = String(scalars)
        if configuration.stripsAccents { text = text.decomposedStringWithCanonicalMapping }
        for scalar in text.unicodeScalars {
            if configuration.stripsAccents, BertUnicode.isNonspacingMark(scalar) { continue }
            if configuration.lowercases, scalar.properties.changesWhenLowercased {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { output.append(lower.value) }
            } else {
                output.append(scalar.value)
            }
        }
    }

    /// Greedy longest-match-first WordPiece of one pre-token; `[UNK]` when any part is unknown or
    /// the piece is longer than `maxCharactersPerWord` scalars.
    private func appendWordPieces(_ piece: UnsafeBufferPointer<UInt32>, to ids: inout [Int32]) {
        guard !piece.isEmpty else { return }
        let unknown = Int32(vocabulary.unknownID)
        guard piece.count <= configuration.maxCharactersPerWord else { ids.append(unknown); return }
        let mark = ids.count
        var start = 0
        var root = WordPieceTrie.wordStart
        while start < piece.count {
            guard let match = vocabulary.trie.longestMatch(in: piece, from: start, root: root) else {
                ids.removeLast(ids.count - mark)
                ids.append(unknown)
                return
            }
            ids.append(match.id)
            start = match.end
            root = WordPieceTrie.continuation
        }
    }
}
