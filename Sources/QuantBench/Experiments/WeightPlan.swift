import QuantCore

/// How a cell assigns weight formats to layers: the grid's `plan` axis.
///
/// - `uniform` (the default): every quantizable weight takes the cell's `weights` format.
/// - `mixed(budget_bits=B, high=int8, search=exact)`: a mixed-precision plan. Each layer takes
///   either the cell's `weights` format (the low one) or `high`, both with the cell's granularity
///   and calibrator, chosen from a one-layer-at-a-time sensitivity profile so that the plan's
///   average storage bits per weight (scales included) stay within `B`, minimising the predicted
///   output noise (the sum of the layers' output noise powers). `budget_mib=M` bounds the
///   quantized weights' storage in MiB instead. `search=greedy` takes the greedy plan instead of
///   the exact one.
public enum WeightPlan: Sendable, Hashable, CustomStringConvertible {
    case uniform
    case mixed(MixedPlan)

    /// A parsed `mixed(…)` plan.
    public struct MixedPlan: Sendable, Hashable {
        public enum Budget: Sendable, Hashable {
            /// Average storage bits per quantized weight, scales included.
            case bitsPerWeight(Double)
            /// Storage of the quantized weights, MiB (2^20 bytes).
            case mebibytes(Double)
        }

        public enum Search: String, Sendable, Hashable, CaseIterable {
            case exact, greedy
        }

        public var budget: Budget
        /// The format a layer is raised to.
        public var high: String
        public var search: Search
    }

    /// The parameters `mixed(…)` takes.
    static let mixedParameters = ["budget_bits", "budget_mib", "high", "search"]

    /// Parses `uniform` or `mixed(…)`.
    ///
    /// - Throws: ``QuantCoreError/incompatible(_:)`` saying what is wrong and what is allowed.
    public init(parsing text: String) throws {
        let spec = try PluginSpec(parsing: text)
        switch spec.id {
        case "uniform" where spec.positional.isEmpty && spec.named.isEmpty:
            self = .uniform
        case "mixed":
            self = .mixed(try Self.mixed(spec))
        default:
            throw QuantCoreError.incompatible(
                "plan '\(text)' is not uniform or mixed(budget_bits=B | budget_mib=M, high=int8, search=exact|greedy)")
        }
    }

    private static func mixed(_ spec: PluginSpec) throws -> MixedPlan {
        guard spec.positional.isEmpty else {
            throw QuantCoreError.incompatible("mixed(…) takes named parameters only: \(mixedParameters.joined(separator: ", "))")
        }
        var named: [String: String] = [:]
        for (key, value) in spec.named {
            guard mixedParameters.contains(key) else {
                throw QuantCoreError.incompatible(
                    "mixed(…) has no parameter '\(key)'\(didYouMean(closeMatches(key, in: mixedParameters))); it takes \(mixedParameters.joined(separator: ", "))")
            }
            named[key] = value
        }
        let budget: MixedPlan.Budget
        switch (named["budget_bits"].map(Double.init), named["budget_mib"].map(Double.init)) {
        case let (bits??, nil) where bits > 0 && bits.isFinite: budget = .bitsPerWeight(bits)
        case let (nil, mib??) where mib > 0 && mib.isFinite: budget = .mebibytes(mib)
        default:
            throw QuantCoreError.incompatible("mixed(…) needs exactly one positive budget: budget_bits=B (bits per weight) or budget_mib=M")
        }
        let searchText = named["search"] ?? "exact"
        guard let search = MixedPlan.Search(rawValue: searchText) else {
            throw QuantCoreError.incompatible("mixed(…) search '\(searchText)' is not exact or greedy")
        }
        return MixedPlan(budget: budget, high: named["high"] ?? "int8", search: search)
    }

    private static func didYouMean(_ names: [String]) -> String {
        names.isEmpty ? "" : " (did you mean \(names.joined(separator: " or "))?)"
    }

    public var description: String {
        switch self {
        case .uniform: return "uniform"
        case let .mixed(plan):
            let budget: String
            switch plan.budget {
            case let .bitsPerWeight(bits): budget = "budget_bits=\(bits)"
            case let .mebibytes(mib): budget = "budget_mib=\(mib)"
            }
            return "mixed(\(budget), high=\(plan.high), search=\(plan.search.rawValue))"
        }
    }
}
