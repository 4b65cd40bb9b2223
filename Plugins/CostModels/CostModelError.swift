/// Errors of the cost models: each names the file, chip, key or model involved and what to do.
public enum CostModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A chip id no table defines.
    case unknownChip(String, known: [String])
    /// A chips file that cannot be read from disk.
    case unreadableChipFile(path: String, reason: String)
    /// A chips file whose TOML or whose entries are wrong; `line` is 1-based when known.
    case malformedChipFile(file: String, line: Int?, chip: String?, key: String?, reason: String)
    /// A layer needs a precision the chip lacks and the chip lists nothing wider on its ladder.
    case unsupportedPrecision(chip: String, precision: String, layers: Int, supported: [String])
    /// The `measured` model was asked about a plan that was never run.
    case noMeasurement(model: String)

    public var description: String {
        switch self {
        case let .unknownChip(id, known):
            return "unknown chip '\(id)'. Known chips: \(known.joined(separator: ", ")). "
                + "Add one to a chips file (same keys as Plugins/CostModels/chips.toml) and pass roofline(chip=\(id), chips=PATH)."
        case let .unreadableChipFile(path, reason):
            return "cannot read chips file '\(path)': \(reason)"
        case let .malformedChipFile(file, line, chip, key, reason):
            let at = line.map { ":\($0)" } ?? ""
            let what = [chip.map { "chip '\($0)'" }, key.map { "key '\($0)'" }].compactMap { $0 }.joined(separator: ", ")
            return "chips file \(file)\(at)\(what.isEmpty ? "" : ": " + what): \(reason)"
        case let .unsupportedPrecision(chip, precision, layers, supported):
            return "chip '\(chip)' cannot run \(precision) (\(layers) layer(s)) nor any wider precision on its ladder; "
                + "it lists only \(supported.joined(separator: ", ")). Quantize those layers to a listed precision, "
                + "or add a peak_\(precision)_tops figure for the chip in a chips file (chips=PATH)."
        case let .noMeasurement(model):
            return "the measured cost model needs the wall-clock of a run, but the plan of '\(model)' has none: "
                + "use it in a grid run (it times the fake-quant evaluation), or use size/roofline/energy for an unrun plan."
        }
    }
}
