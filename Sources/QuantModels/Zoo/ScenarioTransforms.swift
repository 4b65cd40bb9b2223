import QuantCore

/// The scenario transforms each zoo model accepts, parsed and checked from their names without
/// loading any model (a grid validates with these before anything runs).
///
/// Names use the plug-in syntax (``PluginSpec``): `none`, `brightness(0.2)`,
/// `contrast(factor=0.5)`, `noise(0.1)`, `mix`. `digits-cnn` has all of ``ImageTransform``'s;
/// `minilm` has `none` only (its calibration text can be chosen by size and seed, not shifted).
public enum ScenarioTransforms {
    /// One parameter of a transform: its name, the accepted range as written in messages, the check.
    struct Parameter: Sendable {
        var name: String
        var range: String
        var accepts: @Sendable (Double) -> Bool
    }

    /// The image transforms: id → its one parameter, or nil when it takes none.
    static let imageParameters: [(id: String, parameter: Parameter?)] = [
        ("none", nil),
        ("brightness", Parameter(name: "delta", range: "-1 ≤ delta ≤ 1") { $0 >= -1 && $0 <= 1 }),
        ("contrast", Parameter(name: "factor", range: "factor > 0") { $0 > 0 }),
        ("noise", Parameter(name: "sigma", range: "sigma ≥ 0") { $0 >= 0 }),
        ("mix", nil),
    ]

    /// The transforms `model` accepts, each with its parameter and range, e.g. `contrast(factor > 0)`.
    ///
    /// - Throws: ``ModelError/unknownModel(_:known:)`` for a name outside the zoo.
    public static func supported(model: String) throws -> [String] {
        try transforms(model).map { entry in entry.parameter.map { "\(entry.id)(\($0.range))" } ?? entry.id }
    }

    /// Checks `text` as a scenario transform of `model`.
    ///
    /// - Throws: ``ModelError/unknownTransform(model:name:known:suggestions:)`` with close matches
    ///   and every transform the model has; ``ModelError/badTransform(model:name:reason:)`` for a
    ///   malformed name or a parameter missing, unknown, not a number or out of its range (the
    ///   message gives the range); ``ModelError/unknownModel(_:known:)``.
    public static func validate(_ text: String, model: String) throws {
        _ = try canonical(text, model: model)
    }

    /// The canonical name of `text` for `model` (`contrast(factor=0.50)` → `contrast(0.5)`), or
    /// nil for `none`.
    ///
    /// - Throws: the errors of ``validate(_:model:)``.
    public static func canonical(_ text: String, model: String) throws -> String? {
        let transform = try parse(text, model: model)
        return transform.isIdentity ? nil : transform.description
    }

    /// `text` as an image transform (`nil` and `none` are ``ImageTransform/none``).
    ///
    /// - Throws: the errors of ``validate(_:model:)``; `minilm` has only `none`.
    public static func parse(_ text: String?, model: String) throws -> ImageTransform {
        guard let text else { return .none }
        let known = try transforms(model)
        let spec: PluginSpec
        do {
            spec = try PluginSpec(parsing: text)
        } catch {
            throw ModelError.badTransform(model: model, name: text, reason: "\(error)")
        }
        guard let entry = known.first(where: { $0.id == spec.id }) else {
            throw ModelError.unknownTransform(
                model: model, name: spec.id, known: try supported(model: model), suggestions: closeMatches(spec.id, in: known.map(\.id)))
        }
        let value = try argument(of: spec, parameter: entry.parameter, model: model, text: text)
        switch spec.id {
        case "brightness": return .brightness(delta: value)
        case "contrast": return .contrast(factor: value)
        case "noise": return .noise(sigma: value)
        case "mix": return .mix
        default: return .none
        }
    }

    /// The transforms of `model`.
    static func transforms(_ model: String) throws -> [(id: String, parameter: Parameter?)] {
        switch model {
        case DigitsCNN.modelName: return imageParameters
        case SentenceEmbedder.modelName: return [("none", nil)]
        default: throw ModelError.unknownModel(model, known: ModelZoo.names)
        }
    }

    /// The one argument `spec` gives for `parameter` (0 when the transform takes none), checked.
    static func argument(of spec: PluginSpec, parameter: Parameter?, model: String, text: String) throws -> Double {
        func bad(_ reason: String) -> ModelError { .badTransform(model: model, name: text, reason: reason) }
        guard let parameter else {
            guard spec.positional.isEmpty, spec.named.isEmpty else { throw bad("\(spec.id) takes no parameters; write '\(spec.id)'") }
            return 0
        }
        let usage = "\(spec.id) takes one parameter, \(parameter.name) (\(parameter.range)), e.g. \(spec.id)(\(parameter.name)=…)"
        for (key, _) in spec.named where key != parameter.name {
            let hint = closeMatches(key, in: [parameter.name]).isEmpty ? "" : " (did you mean '\(parameter.name)'?)"
            throw bad("unknown parameter '\(key)'\(hint); \(usage)")
        }
        let given = spec.positional + spec.named.map(\.value)
        guard given.count == 1 else { throw bad(given.isEmpty ? "missing its \(parameter.name); \(usage)" : usage) }
        guard let value = Double(given[0]), value.isFinite else {
            throw bad("\(parameter.name) '\(given[0])' is not a finite number; \(usage)")
        }
        guard parameter.accepts(value) else { throw bad("\(parameter.name) \(given[0]) is out of range; it needs \(parameter.range)") }
        return value
    }
}
