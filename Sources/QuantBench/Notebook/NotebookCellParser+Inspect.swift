import QuantCore
import QuantModels

extension NotebookCellParser {
    /// The inspect cell's spec, or `nil` with ``errors`` filled: keys are checked against the
    /// cell's kind, transforms, model specs and plug-in names are parsed (not loaded) here.
    mutating func inspectSpec() -> InspectCellSpec? {
        guard load(keys: InspectCellSpec.keys) else { return nil }
        let kindName = string("kind", allowed: InspectCellSpec.Kind.allCases.map(\.rawValue)) ?? InspectCellSpec.Kind.outliers.rawValue
        let kind = InspectCellSpec.Kind(rawValue: kindName) ?? .outliers
        let model = string("model", allowed: GridSpec.zooModels), file = string("file")
        var spec = InspectCellSpec(kind: kind, model: model, file: file, count: int("count"), top: int("top") ?? 12)
        spec.calibrators = strings("calibrators") ?? []
        spec.format = string("format") ?? "int8"
        spec.calibrator = string("calibrator") ?? "minmax"
        checkPlugins(spec)
        switch kind {
        case .sensitivity:
            requireModel(model, kind: kind)
            reject(["file", "production", "new", "scale", "calibrators", "format"], kind: kind)
            spec.formats = strings("formats") ?? []
            spec.granularity = string("granularity")
            spec.name = string("name")
            checkRecipes(spec)
        case .outliers:
            if (model == nil) == (file == nil), errors.isEmpty {
                errors.append(.badValue(at("model"), key: "model", value: "(missing)", reason: "an inspect cell names either a zoo 'model' or a weights 'file'"))
            }
            reject(["production", "new", "scale", "calibrator"], kind: kind)
        case .coverage:
            requireModel(model, kind: kind)
            reject(["file", "new", "scale", "calibrators", "calibrator"], kind: kind)
            spec.production = string("production") ?? "evaluation"
            if let model, case let .evaluation(transform?) = ProductionData(parsing: spec.production) {
                do { try ScenarioTransforms.validate(transform, model: model) } catch {
                    errors.append(.badValue(at("production"), key: "production", value: "\"\(spec.production)\"", reason: "\(error); or 'evaluation', 'calibration'"))
                }
            }
        case .drift:
            requireModel(model, kind: kind)
            reject(["file", "production", "calibrators"], kind: kind)
            spec.new = string("new")
            spec.scale = scaleTable()
            driftTarget(spec, model: model)
        }
        guard errors.isEmpty else { return nil }
        return spec
    }

    private mutating func requireModel(_ model: String?, kind: InspectCellSpec.Kind) {
        guard model == nil, table["model"] == nil else { return }
        errors.append(.badValue(at("model"), key: "model", value: "(missing)", reason: "a \(kind.rawValue) inspect cell needs a zoo 'model'"))
    }

    private mutating func reject(_ keys: [String], kind: InspectCellSpec.Kind) {
        for key in keys where table[key] != nil {
            errors.append(.badValue(at(key), key: key, value: table[key]?.description ?? "", reason: "not a key of a \(kind.rawValue) inspect cell"))
        }
    }

    /// The format and calibrator names must resolve in the built-in registry.
    private mutating func checkPlugins(_ spec: InspectCellSpec) {
        let registry = PluginRegistry.builtIn
        do { _ = try registry.format(spec.format) } catch {
            errors.append(.badValue(at("format"), key: "format", value: "\"\(spec.format)\"", reason: "\(error)"))
        }
        for name in spec.calibrators + [spec.calibrator] {
            do { _ = try registry.calibrator(name) } catch {
                let key = spec.calibrators.contains(name) ? "calibrators" : "calibrator"
                errors.append(.badValue(at(key), key: key, value: "\"\(name)\"", reason: "\(error)"))
            }
        }
    }

    /// A sensitivity cell's formats (at least one) and granularity must resolve and fit together.
    private mutating func checkRecipes(_ spec: InspectCellSpec) {
        guard !spec.formats.isEmpty else {
            errors.append(.badValue(at("formats"), key: "formats", value: "(missing)", reason: "a sensitivity cell lists weight formats, e.g. formats = [\"int8\", \"int4\"]"))
            return
        }
        for format in spec.formats {
            do {
                _ = try QuantizationRecipe(format: format, granularity: spec.granularity, calibrator: spec.calibrator, registry: .builtIn)
            } catch {
                errors.append(.badValue(at("formats"), key: "formats", value: "\"\(format)\"", reason: "\(error)"))
            }
        }
    }

    /// `scale = { "tensor" = factor }`, factors finite numbers.
    private mutating func scaleTable() -> [String: Float] {
        guard let value = table["scale"] else { return [:] }
        guard case let .table(entries) = value else {
            errors.append(.wrongType(at("scale"), key: "scale", expected: "a table such as { \"conv_layers.3.weight\" = 1.15 }", found: value.typeName))
            return [:]
        }
        var result: [String: Float] = [:]
        for (name, item) in entries {
            switch item {
            case let .double(x) where x.isFinite: result[name] = Float(x)
            case let .int(n): result[name] = Float(n)
            default: errors.append(.wrongType(at("scale"), key: "scale.\(name)", expected: "a finite number", found: item.description))
            }
        }
        return result
    }

    /// A drift cell compares with exactly one of `new` (a spec of the same model) or `scale`.
    private mutating func driftTarget(_ spec: InspectCellSpec, model: String?) {
        if (spec.new == nil) == spec.scale.isEmpty {
            errors.append(.badValue(at("new"), key: "new", value: "(missing)", reason: "a drift inspect cell needs either 'new' (a model spec such as \"digits-cnn@retrained.safetensors\") or 'scale' (a table of tensor factors), not both"))
        }
        guard let new = spec.new else { return }
        do {
            let parsed = try ModelSpec(parsing: new)
            if let model, parsed.model != model {
                errors.append(.badValue(at("new"), key: "new", value: "\"\(new)\"", reason: "drift compares two versions of \(model); 'new' names \(parsed.model)"))
            }
        } catch {
            errors.append(.badValue(at("new"), key: "new", value: "\"\(new)\"", reason: "\(error)"))
        }
    }
}
