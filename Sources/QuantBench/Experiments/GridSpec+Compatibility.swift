import QuantCore

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
            let key = ["weights", "granularity", "activations", "activation_granularity"].map { v[$0]?.string }
            guard checked.insert(key).inserted else { continue }
            guard let reason = Self.incompatibility(v, registry: registry) else { continue }
            guard reported.insert(reason.text).inserted else { continue }
            let line = locator.line(key: reason.key, value: v[reason.key]?.string)
            errors.append(.incompatible(cell.location(file: file, cellLine: line), reason: reason.text))
        }
        return errors
    }

    /// Why this cell's formats and granularities clash (and which key to point at), or nil.
    static func incompatibility(_ v: [String: GridValue], registry: PluginRegistry) -> (key: String, text: String)? {
        if let weights = v["weights"]?.string, weights != "none",
           let format = try? registry.format(weights), let block = format.requiredBlockSize,
           let granularityName = v["granularity"]?.string, let granularity = try? registry.granularity(granularityName) {
            let partition = try? granularity.partition(shape: [4, block * 4], tensor: "grid check")
            if case let .groups(size)? = partition?.cut, size == block {} else {
                return ("weights", "weights \(format.name) shares one scale per block of \(block) elements, so it needs "
                    + "granularity per-group(\(block)), not \(granularity.name); exclude that pair or zip weights with granularity")
            }
        }
        if let activations = v["activations"]?.string, activations != "none",
           let format = try? registry.format(activations), let block = format.requiredBlockSize,
           let cut = v["activation_granularity"]?.string, cut != ActivationRecipe.Cut.perToken.rawValue {
            return ("activations", "activations \(format.name) compute each block of \(block) features' scale at run time, "
                + "so they need activation_granularity per-token, not \(cut)")
        }
        return nil
    }
}
