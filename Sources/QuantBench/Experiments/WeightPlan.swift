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
            /// Roofline latency of the weight layers on `chip`, µs.
            case microseconds(Double, chip: String)
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
    static let mixedParameters = ["budget_bits", "budget_mib", "budget_us", "chip", "high", "search"]

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
                "plan '\(text)' is not uniform or mixed(budget_bits=B | budget_mib=M | budget_us=T with chip=ID, high=int8, search=exact|greedy)")
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
        let budget = try Self.budget(named)
        let searchText = named["search"] ?? "exact"
        guard let search = MixedPlan.Search(rawValue: searchText) else {
            throw QuantCoreError.incompatible("mixed(…) search '\(searchText)' is not exact or greedy")
        }
        return MixedPlan(budget: budget, high: named["high"] ?? "int8", search: search)
    }

    private static func budget(_ named: [String: String]) throws -> MixedPlan.Budget {
        let given = ["budget_bits", "budget_mib", "budget_us"].compactMap { key in named[key].map { (key, Double($0)) } }
        guard given.count == 1, let (key, parsed) = given.first, let value = parsed, value > 0, value.isFinite else {
            throw QuantCoreError.incompatible(
                "mixed(…) needs exactly one positive budget: budget_bits=B (bits per weight), budget_mib=M or budget_us=T with chip=ID")
        }
        if key != "budget_us", named["chip"] != nil {
            throw QuantCoreError.incompatible("mixed(…) takes chip=ID only with budget_us=T (a roofline latency budget)")
        }
        switch key {
        case "budget_bits": return .bitsPerWeight(value)
        case "budget_mib": return .mebibytes(value)
        default:
            guard let chip = named["chip"], !chip.isEmpty else {
                throw QuantCoreError.incompatible("mixed(budget_us=…) needs chip=ID, a chip of the chips table (quantbench list cost-models)")
            }
            return .microseconds(value, chip: chip)
        }
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
            case let .microseconds(us, chip): budget = "budget_us=\(us), chip=\(chip)"
            }
            return "mixed(\(budget), high=\(plan.high), search=\(plan.search.rawValue))"
        }
    }
}
