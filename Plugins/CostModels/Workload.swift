import QuantCore

/// The workload and deployment precision the latency and energy models cost a plan for.
public struct Workload: Sendable, Hashable {
    public static let defaultTokens = 128

    /// Items per forward pass.
    public var batch: Int
    /// Tokens per item, for layers with one row per token (ignored by per-item layers).
    public var tokens: Int
    /// The precision of every operand the plan leaves unquantized.
    public var unquantized: ComputePrecision

    public init(batch: Int = 1, tokens: Int = Workload.defaultTokens, unquantized: ComputePrecision) {
        self.batch = batch
        self.tokens = tokens
        self.unquantized = unquantized
    }

    init(arguments: PluginArguments) {
        batch = arguments.integer("batch")
        tokens = arguments.integer("tokens")
        unquantized = ComputePrecision(unquantized: arguments.choice("unquantized")) ?? .fp16
    }

    /// The parameters every workload-driven model shares.
    static func parameters(unquantized: String) -> [PluginParameter] {
        [
            PluginParameter("batch", .integer(1...1_000_000), default: "1", "items per forward pass"),
            PluginParameter(
                "tokens", .integer(1...1_000_000), default: String(defaultTokens),
                "tokens per item (layers with one row per token; per-item layers ignore it)"),
            PluginParameter(
                "unquantized", .choice(["fp32", "fp16", "bf16"]), default: unquantized,
                "precision of operands the plan leaves unquantized (activations of weight-only plans, outputs)"),
        ]
    }

    /// The metric-name suffix that keeps instances apart: `_b<batch>_t<tokens>` when either
    /// differs from 1 and 128, then `_<precision>` when `unquantized` differs from `standard`.
    func metricSuffix(standardUnquantized: ComputePrecision) -> String {
        var suffix = ""
        if batch != 1 || tokens != Self.defaultTokens { suffix += "_b\(batch)_t\(tokens)" }
        if unquantized != standardUnquantized { suffix += "_\(unquantized.name)" }
        return suffix
    }
}

/// `0.7` → `0p7`, `2` → `2`: a number inside a metric name.
func metricNumber(_ value: Double) -> String {
    let text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    return String(text.map { $0 == "." ? "p" : $0 == "-" ? "m" : $0 })
}
