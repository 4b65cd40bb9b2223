import Foundation
import QuantCore
import QuantModels

extension GridSpec {
    /// Errors for cells whose format and granularity cannot work together, one per distinct pair.
    ///
    /// Weights: a block format (MX, NVFP4) needs `per-group(B)` with its block size B, as
    /// ``QuantizationRecipe`` requires. Activations: a block format needs `per-token`, as
    /// ``ActivationRecipe/validate()`` requires.
    func compatibilityErrors(_ cells: [GridCell], file: String, registry: PluginRegistry) -> [ExperimentError] {
        let locator = TOMLLocator(cell.text)
        var reported: Set<String> = [], checked: Set<[String?]> = [], errors: [ExperimentError] = []
        for gridCell in cells {
            let v = gridCell.values
            let key = ["weights", "granularity", "activations", "activation_granularity", "plan"].map { v[$0]?.string }
                + [v["model"]?.string, Self.transform(v, "calibration"), Self.transform(v, "evaluation")]
            guard checked.insert(key).inserted else { continue }
            guard let reason = Self.incompatibility(v, registry: registry) ?? Self.scenarioIncompatibility(v) else { continue }
            guard reported.insert(reason.text).inserted else { continue }
            let line = reason.key == "transform"
                ? locator.line(key: "transform", value: reason.value) : locator.line(key: reason.key, value: v[reason.key]?.string)
            errors.append(.incompatible(cell.location(file: file, cellLine: line), reason: reason.text))
        }
        return errors
    }

    /// Why this cell's formats and granularities clash (and which key to point at), or nil.
    static func incompatibility(_ v: [String: GridValue], registry: PluginRegistry) -> (key: String, value: String?, text: String)? {
        if let weights = v["weights"]?.string, weights != "none",
           let format = try? registry.format(weights), let block = format.requiredBlockSize,
           let granularityName = v["granularity"]?.string, let granularity = try? registry.granularity(granularityName) {
            let partition = try? granularity.partition(shape: [4, block * 4], tensor: "grid check")
            if case let .groups(size)? = partition?.cut, size == block {} else {
                return ("weights", nil, "weights \(format.name) shares one scale per block of \(block) elements, so it needs "
                    + "granularity per-group(\(block)), not \(granularity.name); exclude that pair or zip weights with granularity")
            }
        }
        if let reason = planIncompatibility(v, registry: registry) { return reason }
        if let activations = v["activations"]?.string, activations != "none",
           let format = try? registry.format(activations), let block = format.requiredBlockSize,
           let cut = v["activation_granularity"]?.string, cut != ActivationRecipe.Cut.perToken.rawValue {
            return ("activations", nil, "activations \(format.name) compute each block of \(block) features' scale at run time, "
                + "so they need activation_granularity per-token, not \(cut)")
        }
        return nil
    }

    /// Why a mixed `plan` cannot run with this cell's weights and granularity, or nil.
    static func planIncompatibility(_ v: [String: GridValue], registry: PluginRegistry) -> (key: String, value: String?, text: String)? {
        guard let text = v["plan"]?.string, case let .mixed(mixed)? = try? WeightPlan(parsing: text) else { return nil }
        if v["weights"]?.string == "none" || v["model"]?.string?.hasPrefix(weightsOnlyPrefix) == true {
            return ("plan", text, "plan \(text) chooses a weight format per layer of a zoo model, so it needs weights other than \"none\"")
        }
        var high = v
        high["weights"] = .string(mixed.high)
        high["plan"] = nil
        return incompatibility(high, registry: registry).map { ("plan", text, "plan \(text): " + $0.text) }
    }

    /// The transform of the table axis `axis` (`calibration` or `evaluation`), if it has one.
    static func transform(_ v: [String: GridValue], _ axis: String) -> String? {
        guard case let .table(table)? = v[axis] else { return nil }
        return table["transform"]?.string
    }

    /// Why this cell's zoo model cannot take its calibration or evaluation transform, or nil.
    ///
    /// A transform passes the parse-time check when any of the grid's models accepts it; here
    /// each cell's own model must (`minilm` has `none` only, and no evaluation transforms).
    static func scenarioIncompatibility(_ v: [String: GridValue]) -> (key: String, value: String?, text: String)? {
        guard let model = v["model"]?.string, zooModels.contains(model) else { return nil }
        for axis in ["calibration", "evaluation"] {
            guard let text = transform(v, axis) else { continue }
            do {
                _ = try ScenarioTransforms.canonical(text, model: model)
            } catch {
                let reason = String(describing: error).trimmingCharacters(in: CharacterSet(charactersIn: "."))
                return ("transform", text, "model \(model) cannot take \(axis).transform \"\(text)\": \(reason); "
                    + "exclude that pair with an exclude rule naming the model and this \(axis) table")
            }
        }
        return nil
    }
}
