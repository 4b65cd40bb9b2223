import QuantCore

/// REFERENCE.md §2.9's decision rule (a project heuristic, source not found) as the set of
/// calibrators it accepts for an outlier ratio r = max|x| / P99(|x|):
/// r < 3 → minmax; 3 ≤ r ≤ 10 → percentile(99.99) or mse; r > 10 → mse.
public enum OutlierRule {
    /// The calibrators the rule accepts for `ratio`, its first choice first.
    public static func accepted(ratio: Double) -> [String] {
        if ratio < 3 { return ["minmax"] }
        if ratio <= 10 { return ["percentile(99.99)", "mse"] }
        return ["mse"]
    }

    /// The rule's first choice (``OutlierDiagnostic/recommend(_:)``).
    public static func recommended(ratio: Double) -> String { OutlierDiagnostic.recommend(ratio) }
}

/// One tensor of the rule check: its outlier statistics, the rule's choice, and the measured
/// quantization SQNR of every candidate calibrator.
public struct OutlierRuleRow: Sendable, Codable, Equatable {
    /// `activation` or `weight`.
    public var kind: String
    public var tensor: String
    public var absMax: Double
    /// P99 of |x| (activations: from the 2048-bin histogram, exact to one bin; weights: exact).
    public var p99Abs: Double
    public var outlierRatio: Double
    /// Pearson kurtosis − 3 (0 for a Gaussian).
    public var excessKurtosis: Double
    /// The rule's first choice, and every calibrator it accepts.
    public var recommended: String
    public var accepted: [String]
    /// Calibrator name → SQNR (dB) of the tensor quantized with its range.
    public var sqnrDB: [String: Double]
    /// The calibrator with the highest SQNR (the first listed among ties).
    public var best: String
    /// Whether an accepted calibrator is within the tolerance of the best; nil when no accepted
    /// calibrator was measured.
    public var agrees: Bool?
    /// SQNR(best) − SQNR(recommended), dB: what following the rule's first choice costs; nil
    /// when it was not measured.
    public var lossDB: Double?

    enum CodingKeys: String, CodingKey {
        case kind, tensor, recommended, accepted, best, agrees
        case absMax = "abs_max"
        case p99Abs = "p99_abs"
        case outlierRatio = "outlier_ratio"
        case excessKurtosis = "excess_kurtosis"
        case sqnrDB = "sqnr_db"
        case lossDB = "loss_db"
    }

    /// The row of a tensor with `absMax` and `p99`, whose calibrators (in `order`) measured `sqnr`.
    ///
    /// - Parameter toleranceDB: How far below the best an accepted calibrator may be and still
    ///   count as agreeing (ties: minmax and percentile(99.99) give the same range when fewer
    ///   than 10⁴ values lie above the percentile).
    public init(
        kind: String, tensor: String, absMax: Double, p99: Double, kurtosis: Double, sqnr: [String: Double], order: [String],
        toleranceDB: Double
    ) {
        let diagnostic = OutlierDiagnostic(absMax: absMax, p99: p99)
        self.kind = kind
        self.tensor = tensor
        self.absMax = absMax
        p99Abs = p99
        outlierRatio = diagnostic.ratio
        excessKurtosis = kurtosis - 3
        recommended = diagnostic.recommendedCalibrator
        accepted = OutlierRule.accepted(ratio: diagnostic.ratio)
        sqnrDB = sqnr
        var top: (name: String, value: Double)?
        for name in order {
            guard let value = sqnr[name], !value.isNaN else { continue }
            if top.map({ value > $0.value }) ?? true { top = (name, value) }
        }
        best = top?.name ?? ""
        let bestValue = top?.value ?? .nan
        let acceptedBest = accepted.compactMap { sqnr[$0] }.filter { !$0.isNaN }.max()
        agrees = acceptedBest.map { Self.gap(bestValue, $0) <= toleranceDB }
        lossDB = sqnr[recommended].map { Self.gap(bestValue, $0) }
    }

    /// best − value in dB, 0 when both are +∞ (both exact).
    static func gap(_ best: Double, _ value: Double) -> Double {
        best == value ? 0 : best - value
    }
}
