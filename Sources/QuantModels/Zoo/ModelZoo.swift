import Foundation
import QuantCore

/// The built-in models, each with its weights, data and task, read from the asset cache
/// (`quantbench fetch-assets` fills it; nothing is fetched at run time).
public enum ModelZoo {
    /// The zoo's model names.
    public static let names = [DigitsCNN.modelName, SentenceEmbedder.modelName]

    /// How many calibration items a run observes unless told otherwise.
    public static func defaultCalibrationCount(_ name: String) -> Int {
        name == SentenceEmbedder.modelName ? 64 : DigitsSplit.defaultCalibrationCount
    }

    /// The model `name` with its data and task, calibrating on its whole calibration pool and
    /// evaluating its evaluation split unchanged (``ScenarioTask`` narrows and shifts them).
    ///
    /// - Throws: ``ModelError/unknownModel(_:known:)``; asset errors naming a missing file and
    ///   the command that fetches it; checkpoint and data errors naming the file.
    public static func task(named name: String, store: AssetStore = .default) throws -> any ScenarioTask {
        switch name {
        case DigitsCNN.modelName: return try digits(store)
        case SentenceEmbedder.modelName: return try miniLM(store)
        default: throw ModelError.unknownModel(name, known: names)
        }
    }

    /// Every tensor of a native tensor file, by name.
    public static func loadAll(_ path: String) throws -> [String: Tensor] {
        let source = try TensorFiles.open(path: path)
        var weights: [String: Tensor] = [:]
        for info in source.tensors { weights[info.name] = try source.load(info.name) }
        return weights
    }

    /// `digits-cnn`: the checkpoint, and sklearn's digits split 256 / 1541 by seed 0.
    static func digits(_ store: AssetStore) throws -> DigitsTask {
        let path = try store.require(asset: "digits-cnn", file: "handwriting_model.pth")
        let dataset = try DigitsDataset.load(from: store)
        return try DigitsTask(weights: try loadAll(path), source: path, dataset: dataset, split: dataset.split(seed: 0))
    }

    /// `minilm`: the weights and tokenizer, and gensim's corpora.
    static func miniLM(_ store: AssetStore) throws -> MiniLMTask {
        let parts = try miniLMParts(store: store)
        func data(_ file: String) throws -> String { try store.require(asset: "gensim-data", file: file) }
        let similarities = try DocumentSimilarityMatrix(contentsOf: data("similarities0-1.txt"), expectedSize: parts.documents.count)
        let wordsim = try WordPairScores(contentsOf: data("wordsim353.tsv"))
        let simlex = try WordPairScores(contentsOf: data("simlex999.txt"))
        let polarity = try PolarityCorpus(contentsOf: data("pang_lee_polarity.cor"))
        let corpora = MiniLMCorpora(
            documents: parts.documents,
            documentPairs: similarities.upperTriangle.map { ($0.first, $0.second, $0.score) },
            wordPairs: [("wordsim", wordsim.pairs.map { ($0.first, $0.second, $0.score) }),
                        ("simlex", simlex.pairs.map { ($0.first, $0.second, $0.score) })],
            polarity: polarity.sentences.map { ($0.text, $0.polarity == .positive) })
        return MiniLMTask(parts: parts, corpora: corpora)
    }
}

/// MiniLM's model, tokenizer and Lee corpora (the task and the benchmarks start from these).
public struct MiniLMParts: Sendable {
    /// The checkpoint's tensors.
    public let weights: [String: Tensor]
    public let embedder: SentenceEmbedder
    public let tokenizer: BertTokenizer
    /// The `model.safetensors` path (the peers read the same file).
    public let weightsPath: String
    /// The files the tokenizer was read from: `vocab.txt`, `tokenizer_config.json` and, when
    /// present, `sentence_bert_config.json`.
    public let tokenizerFiles: [String]
    /// The 50 documents of `lee.cor`.
    public let documents: [String]
    /// The 300 documents of `lee_background.cor`.
    public let background: [String]
}

extension ModelZoo {
    /// MiniLM's model, tokenizer, weights file and corpora, from the asset cache.
    public static func miniLMParts(store: AssetStore = .default) throws -> MiniLMParts {
        let weightsPath = try store.require(asset: "minilm", file: "model.safetensors")
        let weights = try loadAll(weightsPath)
        let embedder = try SentenceEmbedder(weights: weights, source: weightsPath)
        let vocabulary = try store.require(asset: "minilm", file: "vocab.txt")
        let directory = store.directory(asset: "minilm")
        let tokenizer = try BertTokenizer(modelDirectory: directory)
        let settings = ["tokenizer_config.json", "sentence_bert_config.json"].map { directory + "/" + $0 }
        let tokenizerFiles = [vocabulary] + settings.filter { FileManager.default.fileExists(atPath: $0) }
        let lee = try LineCorpus(contentsOf: try store.require(asset: "gensim-data", file: "lee.cor"))
        let background = try LineCorpus(contentsOf: try store.require(asset: "gensim-data", file: "lee_background.cor"))
        return MiniLMParts(
            weights: weights, embedder: embedder, tokenizer: tokenizer, weightsPath: weightsPath, tokenizerFiles: tokenizerFiles,
            documents: lee.documents, background: background.documents)
    }
}
