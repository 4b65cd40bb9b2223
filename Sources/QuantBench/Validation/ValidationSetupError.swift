/// Why `quantbench validate` could not run (a failed verdict is not an error: it is a result).
public enum ValidationSetupError: Error, Sendable, CustomStringConvertible {
    /// The `--budget` text could not be read.
    case badBudget(String, reason: String)
    /// The `--calibrators` list was empty or repeated a name.
    case badCalibratorList(String)
    /// The primary metric is not one the model's task reports.
    case unknownMetric(String, model: String, known: [String])
    /// `--min-compression` is not a positive finite ratio.
    case badCompression(Double)
    /// Every calibrator failed, so there is no quantized model to judge.
    case noCalibratorSucceeded(model: String, failures: [String])

    public var description: String {
        switch self {
        case let .badBudget(text, reason):
            return "cannot read the accuracy budget '\(text)': \(reason)"
        case let .badCalibratorList(text):
            return "bad calibrator list '\(text)': name one or more distinct calibrators separated by commas, "
                + "e.g. minmax,percentile(99.99),mse,kl (quantbench list shows them)"
        case let .unknownMetric(name, model, known):
            return "\(model) reports no metric '\(name)'; use one of \(known.joined(separator: ", "))"
        case let .badCompression(value):
            return "--min-compression must be a positive finite ratio such as 3.9, not \(value)"
        case let .noCalibratorSucceeded(model, failures):
            return "every calibrator failed on \(model), so there is nothing to validate:\n  " + failures.joined(separator: "\n  ")
        }
    }
}
