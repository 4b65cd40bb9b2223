import QuantCore

/// `minilm` (all-MiniLM-L6-v2) on gensim's test corpora.
///
/// Calibration: the 300 documents of `lee_background.cor`. Evaluation embeds, in one list, the
/// 50 documents of `lee.cor`, the words of WordSim-353 and SimLex-999 and the 200 sentences of
/// `pang_lee_polarity.cor`, and reports:
/// - `lee_pearson`: Pearson r between the 1225 document-pair cosines and the human judgements
///   of `similarities0-1.txt` (FP32 reference ≈ 0.656);
/// - `wordsim_spearman`, `simlex_spearman`: Spearman ρ between word-pair cosines and human scores;
/// - `polarity_accuracy`: leave-one-out nearest-centroid accuracy of positive vs negative;
/// - `cosine_to_fp32` and `min_cosine_to_fp32`: how close each embedding stays to FP32's
///   (Pearson r alone is noisy).
public struct MiniLMTask: ModelTask {
    public let modelName = SentenceEmbedder.modelName
    public internal(set) var weights: [String: Tensor]
    var model: SentenceEmbedder
    var source: String
    /// The weights and tokenizer files.
    public internal(set) var sourceFiles: [String]
    /// Token ids of the calibration pool (the 300 documents of `lee_background.cor`, file order).
    let calibrationPool: [[Int]]
    /// The calibration set drawn from the pool (the whole pool at first).
    public internal(set) var calibrationSet = CalibrationSet()
    /// Token ids of the calibration set, in calibration order.
    var calibrationIDs: [[Int]]
    let evaluationIDs: [[Int]]
    let layout: EvaluationLayout
    /// Texts per packed forward batch.
    public var batchSize = 16

    /// Where each part of the evaluation list sits, and its gold scores.
    struct EvaluationLayout: Sendable {
        var documents: Range<Int>
        var documentPairs: [(Int, Int, Double)]
        var wordPairs: [(name: String, pairs: [(Int, Int, Double)])]
        var polarity: Range<Int>
        var positive: [Bool]
    }

    /// Takes the bound model, and tokenizes every text once (calibration: `lee_background.cor`).
    init(parts: MiniLMParts, corpora: MiniLMCorpora) {
        let tokenizer = parts.tokenizer
        weights = parts.weights
        source = parts.weightsPath
        sourceFiles = [parts.weightsPath] + parts.tokenizerFiles
        model = parts.embedder
        calibrationPool = parts.background.map { tokenizer.encode($0).ids }
        calibrationIDs = calibrationPool
        var texts = corpora.documents
        let documents = 0..<texts.count
        var wordPairs: [(name: String, pairs: [(Int, Int, Double)])] = []
        for (name, pairs) in corpora.wordPairs {
            var index: [String: Int] = [:]
            func row(_ word: String) -> Int {
                if let i = index[word] { return i }
                texts.append(word)
                index[word] = texts.count - 1
                return texts.count - 1
            }
            wordPairs.append((name, pairs.map { (row($0.0), row($0.1), $0.2) }))
        }
        let polarity = texts.count..<(texts.count + corpora.polarity.count)
        texts += corpora.polarity.map(\.text)
        evaluationIDs = texts.map { tokenizer.encode($0).ids }
        layout = EvaluationLayout(
            documents: documents, documentPairs: corpora.documentPairs, wordPairs: wordPairs, polarity: polarity,
            positive: corpora.polarity.map(\.positive))
    }

    public var quantizableWeights: [String] { model.encoder.linearWeightNames }
    public var activationSites: [ActivationSite] { model.encoder.activationSites }
    public var layerGeometry: [LayerGeometry] { model.encoder.layerGeometry }
    /// The checkpoint's tensors except the ones the encoder ignores (`embeddings.position_ids`,
    /// the unused `pooler.*`).
    public var parameterCount: Int {
        weights.filter { $0.key != "embeddings.position_ids" && !$0.key.hasPrefix("pooler.") }.values.reduce(0) { $0 + $1.count }
    }
    public var calibrationCount: Int { calibrationIDs.count }
    public var evaluationCount: Int { evaluationIDs.count }

    public func calibrate(count: Int, context: ForwardContext) throws {
        try BatchScheduler.sequential(count, batchSize: batchSize) { range in
            _ = try model.embed(TokenBatch(Array(calibrationIDs[range])), context: context)
        }
    }

    public func evaluate(weights: [String: Tensor], context: ForwardContext) throws -> EvaluationOutput {
        let model = try SentenceEmbedder(weights: weights, source: source)
        let ids = evaluationIDs
        let embeddings = try BatchScheduler.parallel(ids.count, batchSize: batchSize) { range in
            try model.embed(TokenBatch(Array(ids[range])), context: context)
        }
        return EvaluationOutput(rows: ids.count, width: model.encoder.configuration.hidden, values: embeddings.flatMap { $0 })
    }

    public func metrics(_ output: EvaluationOutput, reference: EvaluationOutput) -> [TaskMetric] {
        func cosine(_ a: Int, _ b: Int) -> Double { TaskStatistics.cosine(output, a, output, b) }
        let lee = layout.documentPairs
        var metrics = [
            TaskMetric(
                "lee_pearson", TaskStatistics.pearson(lee.map { cosine($0.0, $0.1) }, lee.map(\.2)),
                "Pearson r of document-pair cosines vs human similarity (lee.cor, 1225 pairs)"),
        ]
        for (name, pairs) in layout.wordPairs {
            metrics.append(TaskMetric(
                "\(name)_spearman", TaskStatistics.spearman(pairs.map { cosine($0.0, $0.1) }, pairs.map(\.2)),
                "Spearman ρ of word-pair cosines vs human scores (\(name))"))
        }
        metrics.append(TaskMetric("polarity_accuracy", polarityAccuracy(output), "leave-one-out nearest-centroid accuracy, positive vs negative (200 sentences)"))
        let fidelity = (0..<output.rows).map { TaskStatistics.cosine(output, $0, reference, $0) }
        metrics.append(TaskMetric("cosine_to_fp32", fidelity.reduce(0, +) / Double(max(1, fidelity.count)), "mean cosine between each embedding and its FP32 embedding"))
        metrics.append(TaskMetric("min_cosine_to_fp32", fidelity.min() ?? 0, "smallest cosine between an embedding and its FP32 embedding"))
        return metrics
    }

    /// Each polarity sentence goes to the closer of the two class centroids of the others.
    func polarityAccuracy(_ output: EvaluationOutput) -> Double {
        let rows = Array(layout.polarity), width = output.width
        var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: 2)
        for (k, r) in rows.enumerated() { for i in 0..<width { sums[layout.positive[k] ? 1 : 0][i] += Double(output.values[r * width + i]) } }
        var correct = 0
        for (k, r) in rows.enumerated() {
            let own = layout.positive[k] ? 1 : 0
            var best = (-Double.infinity, 0)
            for c in 0..<2 {
                var centroid = sums[c]
                if c == own { for i in 0..<width { centroid[i] -= Double(output.values[r * width + i]) } }
                var dot = 0.0, norm = 0.0
                for i in 0..<width { dot += centroid[i] * Double(output.values[r * width + i]); norm += centroid[i] * centroid[i] }
                let similarity = norm > 0 ? dot / norm.squareRoot() : -.infinity
                if similarity > best.0 { best = (similarity, c) }
            }
            if best.1 == own { correct += 1 }
        }
        return Double(correct) / Double(max(1, rows.count))
    }
}

/// The texts and gold scores of the MiniLM evaluation, read from gensim's test data.
struct MiniLMCorpora: Sendable {
    var documents: [String]
    var documentPairs: [(Int, Int, Double)]
    var wordPairs: [(String, [(String, String, Double)])]
    var polarity: [(text: String, positive: Bool)]
}
