import Foundation
import QuantCore

/// A comma-separated list of calibrator names, commas inside parentheses kept:
/// `minmax,percentile(99.99),mse,kl` or `percentile(99.9, bins=4096),mse`.
public enum CalibratorList {
    /// The names, trimmed, split at top-level commas.
    public static func names(_ text: String) -> [String] {
        var names: [String] = [], current = "", depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                names.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        names.append(current)
        return names.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Each name resolved through `registry`.
    ///
    /// - Throws: ``ValidationSetupError/badCalibratorList(_:)`` for an empty name or a repeated
    ///   calibrator; the registry's error (with close matches) for an unknown one.
    public static func parse(_ text: String, registry: PluginRegistry) throws -> [any Calibrator] {
        let names = names(text)
        guard !names.contains(where: \.isEmpty) else { throw ValidationSetupError.badCalibratorList(text) }
        let calibrators = try names.map { try registry.calibrator($0) }
        let canonical = calibrators.map(\.name)
        guard Set(canonical).count == canonical.count else { throw ValidationSetupError.badCalibratorList(text) }
        return calibrators
    }
}
