import QuantModels

/// The task metric a validation judges, and which way is better.
///
/// Defaults: `digits-cnn` → `top1` (top-1 accuracy on the 1541-image evaluation split);
/// `minilm` → `lee_pearson` (Pearson r of the 1225 Lee document-pair cosines against human
/// similarity, the model card's headline task and the only MiniLM metric that is a task score
/// over every document; the word-pair Spearman ρ are secondary, polarity accuracy moves in steps
/// of 1/200, and `cosine_to_fp32` is fidelity, not a task score). Any other model: its first metric.
public struct PrimaryMetric: Sendable, Hashable, Codable {
    public var name: String
    /// True for scores (accuracy, correlation); false for divergences such as `kl`.
    public var higherIsBetter: Bool

    public init(name: String, higherIsBetter: Bool) {
        self.name = name
        self.higherIsBetter = higherIsBetter
    }

    /// Metrics where a smaller value is better; every other metric is a score.
    public static let lowerIsBetter: Set<String> = ["kl"]

    /// The metric `name`, its direction from ``lowerIsBetter``.
    public init(name: String) {
        self.init(name: name, higherIsBetter: !Self.lowerIsBetter.contains(name))
    }

    /// The default primary metric of `model`, given the metrics its task reports.
    public static func standard(for model: String, reported: [TaskMetric]) -> PrimaryMetric? {
        switch model {
        case DigitsCNN.modelName: return PrimaryMetric(name: "top1")
        case SentenceEmbedder.modelName: return PrimaryMetric(name: "lee_pearson")
        default: return reported.first.map { PrimaryMetric(name: $0.name) }
        }
    }

    /// How much worse `quantized` is than `fp32`: `fp32 − quantized` for a score,
    /// `quantized − fp32` otherwise (negative when quantization helped).
    public func drop(fp32: Double, quantized: Double) -> Double {
        higherIsBetter ? fp32 - quantized : quantized - fp32
    }
}
