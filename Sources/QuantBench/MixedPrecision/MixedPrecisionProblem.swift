/// A per-layer format assignment problem: each layer picks one option; the total cost must stay
/// within a budget; the total damage (additive over layers) is minimized.
///
/// The search is agnostic of what cost means (storage bits, bytes, roofline seconds) and of what
/// damage means (by default the output noise power 10^(−SQNR_out/10) a layer adds alone:
/// independent noise sources add in power, so the predicted output SQNR of a plan is
/// −10·log10(Σ damage)).
public struct MixedPrecisionProblem: Sendable {
    /// One choice for one layer.
    public struct Option: Sendable, Equatable {
        /// The format (or recipe) name, e.g. `int4`.
        public var name: String
        /// What the layer costs with this option (bits, bytes, seconds: the caller's unit).
        public var cost: Double
        /// What the option adds to the model's damage (additive over layers).
        public var damage: Double
        public init(name: String, cost: Double, damage: Double) {
            self.name = name
            self.cost = cost
            self.damage = damage
        }
    }

    /// One layer with its options.
    public struct Layer: Sendable, Equatable {
        public var name: String
        /// Elements of the layer's weight (for average bits per weight).
        public var elements: Int
        public var options: [Option]
        public init(name: String, elements: Int, options: [Option]) {
            self.name = name
            self.elements = elements
            self.options = options
        }
    }

    public var layers: [Layer]

    public init(layers: [Layer]) { self.layers = layers }

    /// Weight elements over every layer (the denominator of average bits per weight).
    public var totalElements: Int { layers.reduce(0) { $0 + $1.elements } }

    /// The cost budget for an average of `bits` storage bits per weight element, when costs are
    /// storage bits: `bits × Σ elements`.
    public func budget(averageBits bits: Double) -> Double { bits * Double(totalElements) }

    /// Throws when a layer has no option or a cost or damage is not finite.
    public func validate() throws {
        for layer in layers {
            guard !layer.options.isEmpty else { throw MixedPrecisionError.noOptions(layer: layer.name) }
            for option in layer.options where !option.cost.isFinite || !option.damage.isFinite {
                throw MixedPrecisionError.nonFinite(layer: layer.name, option: option.name, cost: option.cost, damage: option.damage)
            }
        }
    }

    /// The solution picking `choices[i]` for layer `i`.
    public func solution(_ choices: [Int]) -> MixedPrecisionSolution {
        var cost = 0.0, damage = 0.0
        for (layer, choice) in zip(layers, choices) {
            cost += layer.options[choice].cost
            damage += layer.options[choice].damage
        }
        let total = totalElements
        return MixedPrecisionSolution(
            choices: choices, assignment: zip(layers, choices).map { ($0.name, $0.options[$1].name) }.map { LayerChoice(layer: $0, option: $1) },
            cost: cost, damage: damage, averageBits: total > 0 ? cost / Double(total) : 0)
    }
}

/// The option chosen for one layer.
public struct LayerChoice: Sendable, Equatable, Codable {
    public var layer: String
    public var option: String
}

/// One assignment of an option to every layer, with its totals.
public struct MixedPrecisionSolution: Sendable, Equatable {
    /// Index of the chosen option per layer, in layer order.
    public var choices: [Int]
    /// Layer name → option name, in layer order.
    public var assignment: [LayerChoice]
    /// Σ cost.
    public var cost: Double
    /// Σ damage (predicted).
    public var damage: Double
    /// `cost / Σ elements`: average storage bits per weight when costs are storage bits.
    public var averageBits: Double

    /// Predicted output SQNR in dB when damages are noise powers: −10·log10(Σ damage).
    public var predictedSQNRDB: Double { damage > 0 ? -10 * log10Double(damage) : .infinity }

    /// The plan as layer → option name.
    public var plan: [String: String] { Dictionary(assignment.map { ($0.layer, $0.option) }, uniquingKeysWith: { a, _ in a }) }
}

/// Why a mixed-precision search could not run.
public enum MixedPrecisionError: Error, CustomStringConvertible, Equatable {
    case noOptions(layer: String)
    case nonFinite(layer: String, option: String, cost: Double, damage: Double)
    case infeasible(budget: Double, minimum: Double)

    public var description: String {
        switch self {
        case let .noOptions(layer):
            return "layer '\(layer)' has no format option; give it at least one format"
        case let .nonFinite(layer, option, cost, damage):
            return "layer '\(layer)', option '\(option)' has a non-finite cost (\(cost)) or damage (\(damage)); "
                + "a failed sensitivity measurement cannot enter the search — drop that format or fix the layer"
        case let .infeasible(budget, minimum):
            return "no assignment fits the budget \(budget): the cheapest one costs \(minimum); raise the budget or add a cheaper format"
        }
    }
}

import Foundation

@inline(__always) func log10Double(_ x: Double) -> Double { Foundation.log10(x) }
