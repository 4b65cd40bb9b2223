import Foundation
import QuantCore
import QuantModels

extension GridParser {
    /// `value` checked as a value of `axis` (normalized), or nil after recording an error.
    mutating func checkValue(_ axis: String, _ value: GridValue, from start: Int = 1) -> GridValue? {
        switch axis {
        case "calibration": return checkCalibration(value, from: start)
        case "evaluation": return checkEvaluation(value, from: start)
        case "seed":
            guard case .int = value else { return typeError(axis, value, expected: "an integer", from: start) }
            return value
        default:
            guard let text = value.string else { return typeError(axis, value, expected: "a string", from: start) }
            let location = at(key: axis, value: text, from: start)
            switch axis {
            case "model": return checkModel(text, at: location) ? value : nil
            case "plan": return checkPlan(text, at: location) ? value : nil
            case "activation_granularity":
                let cuts = ActivationRecipe.Cut.allCases.map(\.rawValue)
                guard cuts.contains(text) else {
                    let hint = ExperimentError.didYouMean(closeMatches(text, in: cuts))
                    errors.append(.badValue(location, key: axis, value: value.description, reason: "not an activation granularity\(hint); use one of \(cuts.joined(separator: ", "))"))
                    return nil
                }
                return value
            default: return checkPlugin(axis, text, at: location) ? value : nil
            }
        }
    }

    mutating func typeError(_ key: String, _ value: GridValue, expected: String, from start: Int) -> GridValue? {
        errors.append(.wrongType(at(key: key, from: start), key: key, expected: expected, found: "\(value.typeName) (\(value))"))
        return nil
    }

    private mutating func checkModel(_ name: String, at location: ExperimentLocation) -> Bool {
        if name.hasPrefix(GridSpec.weightsOnlyPrefix) {
            guard name.count > GridSpec.weightsOnlyPrefix.count else {
                errors.append(.badValue(location, key: "model", value: "\"\(name)\"", reason: "name the weights file after the colon, e.g. weights-only:model.safetensors"))
                return false
            }
            return true
        }
        guard GridSpec.zooModels.contains(name) else {
            errors.append(.unknownModel(location, name: name, suggestions: closeMatches(name, in: GridSpec.zooModels)))
            return false
        }
        return true
    }

    /// For a Python plug-in read from a file (`python(path.py:function)`), `+sha256:` and the
    /// first 16 hex digits of the file's SHA-256: editing the file changes the cells' hashes,
    /// so a re-run recomputes them instead of reusing numbers of the old code.
    static func sourceDigest(_ spec: PluginSpec) -> String {
        guard spec.id == "python", let argument = spec.positional.first ?? spec.named.first?.value,
            let colon = argument.lastIndex(of: ":"), argument[..<colon].hasSuffix(".py"),
            let data = FileManager.default.contents(atPath: String(argument[..<colon]))
        else { return "" }
        return "+sha256:" + FileDigest.sha256(of: data).prefix(16)
    }

    /// Parses a `plan` value and records its canonical form (the `high` format canonicalized),
    /// so `mixed(budget_bits=6)` and `mixed(budget_bits=6.0, high=int8)` are one cell.
    private mutating func checkPlan(_ text: String, at location: ExperimentLocation) -> Bool {
        do {
            let plan = try WeightPlan(parsing: text)
            var canonical = plan.description
            if case let .mixed(mixed) = plan {
                if case let .microseconds(_, chip) = mixed.budget { _ = try registry.costModel("roofline(chip=\(chip))") }
                let high = try registry.format(mixed.high)
                let version = registry.descriptor(for: try PluginSpec(parsing: mixed.high).id, in: registry.formats)?.version ?? ""
                canonical = canonical.replacingOccurrences(of: "high=\(mixed.high)", with: "high=\(high.name)@\(version)")
            }
            canonicalNames["plan", default: [:]][text] = canonical
            return true
        } catch {
            errors.append(.badValue(location, key: "plan", value: "\"\(text)\"", reason: String(describing: error)))
            return false
        }
    }

    /// Resolves a plug-in name through the registry and records its canonical `name@version`.
    mutating func checkPlugin(_ axis: String, _ text: String, at location: ExperimentLocation) -> Bool {
        guard let family = GridSpec.pluginAxes[axis] else { return false }
        if (axis == "weights" || axis == "activations"), text == "none" {
            canonicalNames[axis, default: [:]][text] = "none"
            return true
        }
        do {
            let spec = try PluginSpec(parsing: text)
            let name: String, version: String
            switch family {
            case .format:
                name = try registry.format(text).name
                version = registry.descriptor(for: spec.id, in: registry.formats)?.version ?? ""
            case .granularity:
                name = try registry.granularity(text).name
                version = registry.descriptor(for: spec.id, in: registry.granularities)?.version ?? ""
            case .calibrator:
                name = try registry.calibrator(text).name
                version = registry.descriptor(for: spec.id, in: registry.calibrators)?.version ?? ""
            }
            canonicalNames[axis, default: [:]][text] = "\(name)@\(version)" + Self.sourceDigest(spec)
            return true
        } catch {
            errors.append(.badPlugin(location, axis: axis, name: text, reason: String(describing: error)))
            return false
        }
    }
}
