import Foundation

/// How far the task's primary metric may fall below FP32 before validation fails.
///
/// A *relative* budget `b` allows a drop of `b·|fp32|` (the default: "1%" of an FP32 top-1 of
/// 0.8812 allows 0.0088); an *absolute* budget allows a drop of `b` in the metric's own units
/// ("1%" of a fraction-valued metric such as top-1 is one percentage point, 0.01). For a metric
/// where higher is better the drop is `fp32 − quantized`; for one where lower is better it is
/// `quantized − fp32`. A negative drop (the quantized model scores better) is always within budget.
public struct AccuracyBudget: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// A fraction of the FP32 value.
        case relative
        /// An amount in the metric's own units.
        case absolute
    }

    /// The budget as a fraction (0.01 for "1%").
    public var amount: Double
    public var mode: Mode

    public init(amount: Double, mode: Mode) {
        self.amount = amount
        self.mode = mode
    }

    /// The largest drop allowed from `fp32`: `amount·|fp32|` (relative) or `amount` (absolute).
    public func allowedDrop(fp32: Double) -> Double {
        mode == .relative ? amount * abs(fp32) : amount
    }

    public var description: String {
        let percent = amount * 100
        let text = percent == percent.rounded() ? String(Int(percent)) : String(format: "%g", percent)
        return mode == .relative ? "\(text)% of FP32 (relative)" : "\(text) points (absolute, \(String(format: "%g", amount)) in metric units)"
    }

    /// Parses a budget.
    ///
    /// Syntax: `1%` or `0.5%` (a percentage), `0.01` (a bare fraction, the same as `1%`), or
    /// `2 points` / `2pt` / `2pp` (percentage points: always absolute, 0.02 in metric units).
    /// `mode` applies to the first two forms; `nil` means relative. Points with an explicit
    /// relative mode are a contradiction and an error.
    ///
    /// - Throws: ``ValidationSetupError/badBudget(_:reason:)`` for text that is not one of these,
    ///   a negative, non-finite or zero-width-meaningless value, or a budget of 100 % or more.
    public static func parse(_ text: String, mode: Mode? = nil) throws -> AccuracyBudget {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = trimmed, scale = 1.0, forced: Mode?
        if trimmed.hasSuffix("%") {
            number = String(trimmed.dropLast())
            scale = 0.01
        } else if let suffix = ["points", "point", "pts", "pt", "pp"].first(where: { trimmed.hasSuffix($0) }) {
            number = String(trimmed.dropLast(suffix.count))
            scale = 0.01
            forced = .absolute
        }
        number = number.trimmingCharacters(in: .whitespaces)
        if number.hasPrefix("-") {
            throw ValidationSetupError.badBudget(text, reason: "a budget is the drop allowed, so it cannot be negative")
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) else {
            throw ValidationSetupError.badBudget(text, reason: "write a percentage (1%), a fraction (0.01) or percentage points (2 points)")
        }
        if forced == .absolute, mode == .relative {
            throw ValidationSetupError.badBudget(text, reason: "percentage points are an absolute budget; drop --relative or write a percentage")
        }
        let amount = value * scale
        guard amount.isFinite, amount < 1 else {
            throw ValidationSetupError.badBudget(text, reason: "a budget must be below 100% (a fraction below 1)")
        }
        return AccuracyBudget(amount: amount, mode: forced ?? mode ?? .relative)
    }
}
