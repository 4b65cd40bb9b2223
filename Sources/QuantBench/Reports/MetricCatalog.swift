/// Which way a metric improves, so a table can mark the best value of a column.
public enum MetricDirection: String, Sendable, Codable, CaseIterable {
    /// Larger is better (accuracy, SQNR, correlation).
    case higherIsBetter = "higher"
    /// Smaller is better (KL divergence, bits per weight, seconds).
    case lowerIsBetter = "lower"
    /// Not known: no value is marked best.
    case unknown

    /// Whether `candidate` is strictly better than `incumbent`; always `false` for ``unknown``.
    func prefers(_ candidate: Double, over incumbent: Double) -> Bool {
        switch self {
        case .higherIsBetter: candidate > incumbent
        case .lowerIsBetter: candidate < incumbent
        case .unknown: false
        }
    }
}

/// How a metric is shown: its label, unit, direction, display scale and precision.
///
/// A stored value `x` is displayed as `x * scale` rounded to `precision` decimals; fractions
/// stored in [0, 1] and shown as percentages have `scale` 100 and unit `"%"`.
public struct MetricInfo: Sendable, Equatable, Codable {
    /// The metric's name in the results store (`top1`, `kl`, …).
    public var name: String
    /// The human label for table headers ("Top-1", "KL to FP32").
    public var label: String
    /// The unit after scaling ("%", "nats", "dB"), or `nil` for a pure number.
    public var unit: String?
    /// Which way the metric improves.
    public var direction: MetricDirection
    /// The factor applied to stored values before display (100 for fractions shown as %).
    public var scale: Double
    /// Decimals shown after scaling.
    public var precision: Int

    /// Creates a description; every field is stored as given.
    public init(name: String, label: String, unit: String? = nil, direction: MetricDirection, scale: Double = 1, precision: Int) {
        self.name = name
        self.label = label
        self.unit = unit
        self.direction = direction
        self.scale = scale
        self.precision = precision
    }
}

/// Metric name → ``MetricInfo``: what the table renderers know about each metric.
///
/// ``standard`` holds QuantBench's metrics. A name it does not hold is shown under its own name,
/// without unit, at ``defaultPrecision`` decimals and never in bold. `fp32_<metric>` (the FP32
/// baseline of a metric) takes the base metric's unit, scale, precision and direction, labelled
/// "FP32 <label>".
public struct MetricCatalog: Sendable, Equatable {
    /// The decimals of a metric the catalog does not know.
    public static let defaultPrecision = 3
    /// The prefix of a metric that holds the FP32 baseline of another.
    public static let baselinePrefix = "fp32_"

    /// The known metrics by name.
    public private(set) var entries: [String: MetricInfo]

    /// A catalog of `entries` (later entries win over earlier ones with the same name).
    public init(_ entries: [MetricInfo]) {
        self.entries = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }

    /// This catalog plus `info` (replacing an entry of the same name).
    public func adding(_ info: MetricInfo) -> MetricCatalog {
        var copy = self
        copy.entries[info.name] = info
        return copy
    }

    /// What is known about `name`: its entry, the base metric's for `fp32_<base>`, else a plain default.
    public func info(for name: String) -> MetricInfo {
        if let info = entries[name] { return info }
        if name.hasPrefix(Self.baselinePrefix), let base = entries[String(name.dropFirst(Self.baselinePrefix.count))] {
            return MetricInfo(
                name: name, label: "FP32 " + base.label, unit: base.unit, direction: base.direction, scale: base.scale,
                precision: base.precision)
        }
        if let family = Self.costFamilies.first(where: { name.hasPrefix($0.prefix) }) {
            let instance = String(name.dropFirst(family.prefix.count).drop { $0 == "_" }.map { $0 == "_" ? "-" : $0 })
            return MetricInfo(
                name: name, label: family.label + (instance.isEmpty ? "" : " (\(instance))"),
                unit: family.unit, direction: family.direction, precision: family.precision)
        }
        return MetricInfo(name: name, label: name, direction: .unknown, precision: Self.defaultPrecision)
    }

    /// Cost-model metrics, known by prefix because their names carry the instance
    /// (`latency_us_h100_sxm`, `size_bytes_fp16`).
    static let costFamilies: [(prefix: String, label: String, unit: String?, direction: MetricDirection, precision: Int)] = [
        ("latency_us_", "Roofline latency", "µs", .lowerIsBetter, 3),
        ("memory_bound_share_", "Memory-bound share", nil, .unknown, 3),
        ("energy_compute_uj", "Compute energy", "µJ", .lowerIsBetter, 3),
        ("energy_dram_uj", "DRAM energy", "µJ", .lowerIsBetter, 3),
        ("energy_sram_uj", "SRAM energy", "µJ", .lowerIsBetter, 3),
        ("energy_uj", "Energy", "µJ", .lowerIsBetter, 3),
        ("size_bytes", "Size", "B", .lowerIsBetter, 0),
        ("size_mib", "Size", "MiB", .lowerIsBetter, 3),
        ("compression_vs_fp32", "Compression vs FP32", "×", .higherIsBetter, 3),
        ("weight_bits_per_weight", "Bits per weight", "bits", .lowerIsBetter, 3),
        ("sim_ms_per_item", "Simulation time per item (not deployment latency)", "ms", .lowerIsBetter, 3),
    ]

    /// QuantBench's metrics: task accuracy, agreement and divergence from FP32, correlations,
    /// cosine similarity, SQNR, storage and time.
    public static let standard = MetricCatalog([
        MetricInfo(name: "top1", label: "Top-1", unit: "%", direction: .higherIsBetter, scale: 100, precision: 2),
        MetricInfo(name: "agreement", label: "Agreement with FP32", unit: "%", direction: .higherIsBetter, scale: 100, precision: 2),
        MetricInfo(name: "kl", label: "KL to FP32", unit: "nats", direction: .lowerIsBetter, precision: 4),
        MetricInfo(name: "lee_pearson", label: "Lee r", direction: .higherIsBetter, precision: 3),
        MetricInfo(name: "wordsim_spearman", label: "WordSim ρ", direction: .higherIsBetter, precision: 3),
        MetricInfo(name: "simlex_spearman", label: "SimLex ρ", direction: .higherIsBetter, precision: 3),
        MetricInfo(name: "polarity_accuracy", label: "Polarity accuracy", unit: "%", direction: .higherIsBetter, scale: 100, precision: 2),
        MetricInfo(name: "cosine_to_fp32", label: "Cosine to FP32", direction: .higherIsBetter, precision: 4),
        MetricInfo(name: "min_cosine_to_fp32", label: "Min cosine to FP32", direction: .higherIsBetter, precision: 4),
        MetricInfo(name: "weight_sqnr_db", label: "Weight SQNR", unit: "dB", direction: .higherIsBetter, precision: 2),
        MetricInfo(name: "activation_sqnr_db", label: "Activation SQNR", unit: "dB", direction: .higherIsBetter, precision: 2),
        MetricInfo(name: "weight_bits", label: "Weight bits", unit: "bits/weight", direction: .lowerIsBetter, precision: 2),
        MetricInfo(name: "seconds", label: "Time", unit: "s", direction: .lowerIsBetter, precision: 2),
        MetricInfo(name: "plan_bits", label: "Plan bits", unit: "bits/weight", direction: .lowerIsBetter, precision: 3),
        MetricInfo(name: "plan_predicted_sqnr_db", label: "Predicted output SQNR", unit: "dB", direction: .higherIsBetter, precision: 2),
        MetricInfo(name: "plan_high_layers", label: "Layers at the high format", direction: .unknown, precision: 0),
    ])
}
