import QuantModels

/// What `quantbench validate` found: FP32 baseline, every calibrator's result, the size check,
/// the verdict with its reasons, and the culprits and triage when accuracy failed.
public struct ValidationReport: Sendable, Codable {
    /// One calibrator's quantized model on the evaluation split.
    public struct CalibratorResult: Sendable, Codable {
        public var calibrator: String
        /// The task's metrics (nil when the calibrator failed).
        public var metrics: [TaskMetric]?
        /// The primary metric's value, its drop from FP32 and whether that is within budget.
        public var value: Double?
        public var drop: Double?
        public var withinBudget: Bool
        public var meanWeightSQNR: Double?
        public var meanActivationSQNR: Double?
        /// The error text when the calibrator failed on some tensor or site.
        public var error: String?
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case calibrator, metrics, value, drop, error, seconds
            case withinBudget = "within_budget"
            case meanWeightSQNR = "mean_weight_sqnr_db"
            case meanActivationSQNR = "mean_activation_sqnr_db"
        }
    }

    /// One quantized layer restored to FP32 (weights and, when activations are quantized, its
    /// input site) with everything else quantized by the best calibrator.
    public struct Culprit: Sendable, Codable {
        public var layer: String
        public var weight: String
        /// The input activation site restored with it (nil for weight-only validation).
        public var site: String?
        /// The primary metric with this layer restored.
        public var restoredValue: Double
        /// restored − quantized (for a score; the opposite sign for a divergence): positive helps.
        public var recovery: Double
        /// recovery / drop of the best calibrator: 1 means restoring this layer alone closes the gap.
        public var recoveredShare: Double
        public var weightSQNR: Double?
        public var activationSQNR: Double?
        /// max|w| / P99(|w|) of the FP32 weight (exact).
        public var weightOutlierRatio: Double
        /// max|x| / P99(|x|) of the input site over the calibration items (from the |x| histogram);
        /// the largest over channels for per-channel activations; nil when not observed.
        public var activationOutlierRatio: Double?

        enum CodingKeys: String, CodingKey {
            case layer, weight, site, recovery
            case restoredValue = "restored_value"
            case recoveredShare = "recovered_share"
            case weightSQNR = "weight_sqnr_db"
            case activationSQNR = "activation_sqnr_db"
            case weightOutlierRatio = "weight_outlier_ratio"
            case activationOutlierRatio = "activation_outlier_ratio"
        }
    }

    public enum Verdict: String, Sendable, Codable { case pass = "PASS", fail = "FAIL" }

    public var model: String
    public var configuration: [String: String]
    public var metric: PrimaryMetric
    public var budget: AccuracyBudget
    public var calibrationItems: Int
    public var evaluationItems: Int
    public var fp32: [TaskMetric]
    public var fp32Value: Double
    /// The largest drop the budget allows from ``fp32Value``.
    public var allowedDrop: Double
    public var calibrators: [CalibratorResult]
    /// The calibrator with the best primary metric (the first listed on ties).
    public var best: String
    public var size: SizeCheck
    public var accuracyPassed: Bool
    public var verdict: Verdict
    public var reasons: [String]
    /// Ranked by recovery, largest first; empty when accuracy passed.
    public var culprits: [Culprit]
    /// The best calibrator's weakest weights and activation sites, lowest SQNR first.
    public var worstWeights: [LayerError]
    public var worstActivations: [LayerError]
    public var triage: [String]
    public var latencyNote: String
    public var seconds: [String: Double]

    enum CodingKeys: String, CodingKey {
        case model, configuration, metric, budget, fp32, calibrators, best, size, verdict, reasons, culprits, triage, seconds
        case calibrationItems = "calibration_items"
        case evaluationItems = "evaluation_items"
        case fp32Value = "fp32_value"
        case allowedDrop = "allowed_drop"
        case accuracyPassed = "accuracy_passed"
        case worstWeights = "worst_weights"
        case worstActivations = "worst_activations"
        case latencyNote = "latency_note"
    }

    /// What the report says about speed, and why nothing more.
    public static let latencyStatement = "No latency claim: quantization here is simulated (fake-quantized FP32 arithmetic), "
        + "so it cannot show a speed-up; measure on a runtime with native INT8 kernels and check for silent upcasts."
}
