import Foundation
import QuantCore
import QuantModels
import Testing

/// all-MiniLM-L6-v2 with its real weights against the sentence-transformers model card.
@Suite("MiniLM oracle")
struct MiniLMOracleTests {
    /// The model card's example: cosine similarities 0.6660 (1 vs 2), 0.1046 (1 vs 3), 0.1411 (2 vs 3).
    /// Token ids are Hugging Face's BertTokenizerFast output for the three sentences.
    @Test("reproduces the model card's similarities to 3 decimals")
    func modelCardSimilarities() throws {
        let path = try AssetStore.default.require(asset: "minilm", file: "model.safetensors")
        let model = try SentenceEmbedder(weights: try ModelZoo.loadAll(path), source: path)
        let batch = TokenBatch([
            [101, 1996, 4633, 2003, 8403, 2651, 1012, 102],
            [101, 2009, 1005, 1055, 2061, 11559, 2648, 999, 102],
            [101, 2002, 5225, 2000, 1996, 3346, 1012, 102],
        ])
        let e = try model.embed(batch)
        func cosine(_ a: Int, _ b: Int) -> Double {
            (0..<384).reduce(0.0) { $0 + Double(e[a * 384 + $1]) * Double(e[b * 384 + $1]) }
        }
        #expect(abs(cosine(0, 1) - 0.6660) < 5e-4)
        #expect(abs(cosine(0, 2) - 0.1046) < 5e-4)
        #expect(abs(cosine(1, 2) - 0.1411) < 5e-4)
        #expect(abs(cosine(0, 0) - 1) < 1e-6)
    }
}
