/// Estimates what a quantized model costs on some target: storage, latency, energy.
///
/// A cost model is a plug-in like a format or a calibrator: a stable id, typed parameters, and a
/// statement of what it assumes (shown by `quantbench list` and written into reports). It never
/// runs the model; it reads a ``CostPlan``.
public protocol CostModel: Sendable {
    /// The canonical plug-in name, e.g. `roofline(chip=h100-sxm)`.
    var name: String { get }
    /// What the estimate assumes, one sentence each.
    var assumptions: [String] { get }
    /// The whole-model metric names every estimate of this instance has (a stored cell lacking
    /// one of them is costed again).
    var metricNames: [String] { get }
    /// The estimate for `plan`.
    ///
    /// - Throws: ``QuantCoreError`` when the plan lacks what the model needs (a `measured` cost
    ///   for a plan that was never run).
    func estimate(_ plan: CostPlan) throws -> CostEstimate
}

/// What a cost model found for one plan.
public struct CostEstimate: Sendable, Hashable, Codable {
    /// One layer's share.
    public struct Layer: Sendable, Hashable, Codable {
        public var weight: String
        public var metrics: [String: Double]
        public init(weight: String, metrics: [String: Double]) {
            self.weight = weight
            self.metrics = metrics
        }
    }

    /// Whole-model figures under store metric names (`[a-z0-9_]`, unique to the model's
    /// instance, e.g. `size_bytes`, `latency_us_h100_sxm`).
    public var metrics: [String: Double]
    public var layers: [Layer]
    /// What the estimate had to decide for this plan: precision fallbacks, extrapolations.
    public var notes: [String]

    public init(metrics: [String: Double], layers: [Layer] = [], notes: [String] = []) {
        self.metrics = metrics
        self.layers = layers
        self.notes = notes
    }
}
