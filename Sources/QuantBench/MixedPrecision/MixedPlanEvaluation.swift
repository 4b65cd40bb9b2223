import QuantCore
import QuantModels

/// Evaluates a per-layer plan: each listed weight quantized by its own recipe, the others FP32.
///
/// Used by `quantbench mixed` to check each frontier point for real, and by the grid runner
/// for `plan = "mixed(…)"` cells.
public enum MixedPlanEvaluation {
    /// What a plan did to the model.
    public struct Result: Sendable, Codable {
        /// The task's metrics on the plan's output (fidelity to FP32 included).
        public var metrics: [TaskMetric]
        /// Output SQNR vs FP32 in dB: 10·log10(Σ ref² / Σ (ref − out)²) over every output value.
        public var outputSQNRDB: Double
        /// Exact storage bits of the quantized weights (FP32 ones count 32 bits per element).
        public var storageBits: Double
        /// Elements of every quantizable weight.
        public var elements: Int
        /// One report per quantized weight.
        public var reports: [TensorReport]

        /// Storage bits per weight element over every quantizable weight.
        public var averageBits: Double { elements > 0 ? storageBits / Double(elements) : 0 }

        enum CodingKeys: String, CodingKey {
            case metrics, elements, reports
            case outputSQNRDB = "output_sqnr_db"
            case storageBits = "storage_bits"
        }
    }

    /// `task`'s weights with each weight of `plan` fake-quantized by its recipe.
    ///
    /// - Throws: ``SensitivityError/unknownWeight(name:model:suggestions:)`` for a plan entry
    ///   that is not a quantizable weight; quantization errors naming the tensor.
    public static func quantizedWeights(_ task: any ModelTask, plan: [String: QuantizationRecipe]) throws -> ([String: Tensor], [TensorReport]) {
        let known = Set(task.quantizableWeights)
        for name in plan.keys.sorted() where !known.contains(name) {
            throw SensitivityError.unknownWeight(name: name, model: task.modelName, suggestions: task.quantizableWeights)
        }
        var result = task.weights
        var reports: [TensorReport] = []
        for name in task.quantizableWeights {
            guard let recipe = plan[name], let tensor = task.weights[name] else { continue }
            let (output, report) = try quantize(tensor, quantizer: TensorQuantizer(recipe: recipe))
            result[name] = output
            reports.append(report)
        }
        return (result, reports)
    }

    /// One weight fake-quantized; convolution weights `[out, in, kh, kw]` as `[out, in·kh·kw]`
    /// (per-group granules run along the flattened input), the shape restored after.
    public static func quantize(_ weight: Tensor, quantizer: TensorQuantizer) throws -> (Tensor, TensorReport) {
        var tensor = weight
        let shape = tensor.shape
        if shape.count > 2 { tensor.shape = [shape[0], shape.dropFirst().reduce(1, *)] }
        var (output, report) = try quantizer.quantize(tensor)
        output.shape = shape
        report.shape = shape
        return (output, report)
    }

    /// Runs `task` with `plan`'s weights (and `activations`, a hook applied as given), and
    /// compares with `reference`, the FP32 output.
    public static func run(
        _ task: any ModelTask, reference: EvaluationOutput, plan: [String: QuantizationRecipe], activations: (any ActivationHook)? = nil
    ) throws -> Result {
        let (weights, reports) = try quantizedWeights(task, plan: plan)
        let output = try task.evaluate(weights: weights, context: ForwardContext(hooks: activations.map { [$0] } ?? []))
        let quantizedNames = Set(reports.map(\.tensor))
        var bits = reports.reduce(0.0) { $0 + storageBits($1) }, elements = 0
        for name in task.quantizableWeights {
            let count = task.weights[name]?.count ?? 0
            elements += count
            if !quantizedNames.contains(name) { bits += 32 * Double(count) }
        }
        return Result(
            metrics: task.metrics(output, reference: reference), outputSQNRDB: outputSQNR(output, reference: reference),
            storageBits: bits, elements: elements, reports: reports)
    }

    /// Exact storage bits of a quantized tensor: bits per element × elements, rounded to the
    /// whole bit it is (the per-element figure is a quotient of whole bits).
    public static func storageBits(_ report: TensorReport) -> Double {
        (report.storageBitsPerElement * Double(report.shape.reduce(1, *))).rounded()
    }

    /// 10·log10(Σ ref² / Σ (ref − out)²) in dB over every value, summed in Double; +∞ when
    /// the outputs are equal.
    public static func outputSQNR(_ output: EvaluationOutput, reference: EvaluationOutput) -> Double {
        var signal = 0.0, noise = 0.0
        for (r, o) in zip(reference.values, output.values) {
            let d = Double(r) - Double(o)
            signal += Double(r) * Double(r)
            noise += d * d
        }
        if noise == 0 { return .infinity }
        return 10 * log10Double(signal / noise)
    }
}
