import QuantCore
import QuantModels

extension GridParser {
    /// A calibration set: `{ split, size, seed, transform }`, with `split` and `seed` defaulted
    /// and `transform` checked and written in its canonical form (`none` left out).
    mutating func checkCalibration(_ value: GridValue, from start: Int) -> GridValue? {
        guard case let .table(table) = value else {
            return typeError("calibration", value, expected: "a table such as { split = \"calibration\", size = 256, seed = 0 }", from: start)
        }
        let base = locator.keyLine("calibration", from: start) ?? start
        let fields = ["split": "a string", "size": "an integer", "seed": "an integer", "transform": "a string"]
        var result: [String: GridValue] = ["split": .string("calibration"), "seed": .int(0)]
        var ok = true
        for (key, field) in table.sorted(by: { $0.key < $1.key }) {
            let location = at(key: key, from: base)
            guard let expected = fields[key] else {
                errors.append(.unknownKey(location, key: "calibration.\(key)", suggestions: closeMatches(key, in: fields.keys.sorted())))
                ok = false
                continue
            }
            let typeOK: Bool
            switch field {
            case .int(let n): typeOK = expected == "an integer" && (key != "size" || n > 0)
            case .string: typeOK = expected == "a string"
            default: typeOK = false
            }
            guard typeOK else {
                let need = key == "size" ? "a positive integer" : expected
                errors.append(.wrongType(location, key: "calibration.\(key)", expected: need, found: "\(field.typeName) (\(field))"))
                ok = false
                continue
            }
            if key == "transform", let text = field.string {
                guard let canonical = checkTransform("calibration.transform", text, from: base) else { ok = false; continue }
                if let canonical { result[key] = .string(canonical) }
                continue
            }
            result[key] = field
        }
        return ok ? .table(result) : nil
    }

    /// An evaluation scenario: `{ transform = "…" }`; `{}` and `none` mean the split unchanged.
    mutating func checkEvaluation(_ value: GridValue, from start: Int) -> GridValue? {
        guard case let .table(table) = value else {
            return typeError("evaluation", value, expected: "a table such as { transform = \"contrast(0.5)\" }", from: start)
        }
        let base = locator.keyLine("evaluation", from: start) ?? start
        var result: [String: GridValue] = [:], ok = true
        for (key, field) in table.sorted(by: { $0.key < $1.key }) {
            guard key == "transform" else {
                errors.append(.unknownKey(at(key: key, from: base), key: "evaluation.\(key)", suggestions: closeMatches(key, in: ["transform"])))
                ok = false
                continue
            }
            guard let text = field.string else {
                errors.append(.wrongType(at(key: key, from: base), key: "evaluation.transform", expected: "a string", found: "\(field.typeName) (\(field))"))
                ok = false
                continue
            }
            guard let canonical = checkTransform("evaluation.transform", text, from: base) else { ok = false; continue }
            if let canonical { result[key] = .string(canonical) }
        }
        return ok ? .table(result) : nil
    }

    /// A scenario transform checked with ``ScenarioTransforms`` against the grid's zoo models
    /// (every zoo model when it names none): `.some(canonical)` when one of them accepts it
    /// (`.some(nil)` for `none`), nil after recording the most helpful model's error.
    ///
    /// Which model may use which transform is checked per cell afterwards
    /// (``GridSpec/scenarioIncompatibility(_:)``), so a grid over both models can exclude pairs.
    mutating func checkTransform(_ key: String, _ text: String, from start: Int) -> String?? {
        let candidates = models.isEmpty ? GridSpec.zooModels : models
        var failures: [ModelError] = []
        for model in candidates {
            do {
                return .some(try ScenarioTransforms.canonical(text, model: model))
            } catch let error as ModelError {
                failures.append(error)
            } catch {
                failures.append(.badTransform(model: model, name: text, reason: "\(error)"))
            }
        }
        let best = failures.first { if case .badTransform = $0 { true } else { false } }
            ?? failures.first { if case let .unknownTransform(_, _, _, suggestions) = $0 { !suggestions.isEmpty } else { false } }
            ?? failures.first
        let reason = best.map(\.description) ?? "not a scenario transform"
        errors.append(.badValue(at(key: "transform", value: text, from: start), key: key, value: "\"\(text)\"", reason: reason))
        return nil
    }
}
