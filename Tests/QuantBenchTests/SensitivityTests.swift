import Foundation
import QuantBench
import QuantCore
import QuantModels
import Testing

/// Per-layer sensitivity on digits-cnn, checked against evaluations done by hand here.
@Suite("per-layer sensitivity", .serialized)
struct SensitivityTests {
    static let fixture: Result<(task: any ModelTask, reference: EvaluationOutput), any Error> = Result {
        let task = try ModelZoo.task(named: "digits-cnn")
        return (task, try task.evaluate(weights: task.weights, context: .plain))
    }

    static func recipe(_ format: String, _ granularity: String? = nil) throws -> QuantizationRecipe {
        try QuantizationRecipe(format: format, granularity: granularity, calibrator: "minmax", registry: .builtIn)
    }

    /// 10·log10(Σ ref² / Σ (ref − out)²), written out again here.
    static func sqnr(_ out: EvaluationOutput, _ ref: EvaluationOutput) -> Double {
        var s = 0.0, n = 0.0
        for i in ref.values.indices {
            s += Double(ref.values[i]) * Double(ref.values[i])
            n += (Double(ref.values[i]) - Double(out.values[i])) * (Double(ref.values[i]) - Double(out.values[i]))
        }
        return 10 * log10(s / n)
    }

    /// digits-cnn has 3 convs and 2 linears. int16 per-tensor keeps each weight within
    /// amax/65534 (≈ 90 dB of weight SQNR), far below what moves the logits: > 60 dB, no top-1 change
    /// beyond one image in 1541.
    @Test func int16LayersAreHarmlessAndInt4IsMeasuredPerLayer() throws {
        let (task, reference) = try Self.fixture.get()
        let profile = try SensitivityAnalysis(recipes: [try Self.recipe("int4"), try Self.recipe("int16")]).profile(task: task, reference: reference)
        #expect(profile.layers == ["conv_layers.0.weight", "conv_layers.3.weight", "conv_layers.6.weight", "fc_layers.0.weight", "fc_layers.2.weight"])
        #expect(profile.entries.count == 10 && profile.primaryMetric == "top1")
        for e in profile.entries where e.format == "int16" {
            #expect(e.outputSQNRDB > 60, "\(e.layer): \(e.outputSQNRDB) dB")
            #expect(abs(e.drop) <= 1.0 / 1541 + 1e-12, "\(e.layer): drop \(e.drop)")
        }
        for e in profile.entries where e.format == "int4" {
            let int16 = try #require(profile.entry(layer: e.layer, format: "int16"))
            #expect(e.outputSQNRDB < int16.outputSQNRDB - 40, "int4 keeps 72 dB less precision than int16 (6.02 dB/bit)")
            #expect(e.storageBits == Double(4 * e.params + 32), "4 bits per weight plus one fp32 scale: \(e.storageBits)")
        }
    }

    /// The output SQNR of one layer equals the model evaluated by hand here with only that
    /// weight replaced (conv weight quantized as [out, in·kh·kw], as ModelEvaluation does).
    @Test func outputSQNRMatchesAnEvaluationByHand() throws {
        let (task, reference) = try Self.fixture.get()
        let layer = "conv_layers.3.weight"
        let profile = try SensitivityAnalysis(recipes: [try Self.recipe("int4")]).profile(task: task, reference: reference)
        let entry = try #require(profile.entry(layer: layer, format: "int4"))
        var weight = try #require(task.weights[layer])
        let shape = weight.shape
        weight.shape = [shape[0], shape.dropFirst().reduce(1, *)]
        var (quantized, _) = try TensorQuantizer(recipe: try Self.recipe("int4")).quantize(weight)
        quantized.shape = shape
        var weights = task.weights
        weights[layer] = quantized
        let output = try task.evaluate(weights: weights, context: .plain)
        #expect(abs(entry.outputSQNRDB - Self.sqnr(output, reference)) < 1e-9)
        let top1 = try #require(task.metrics(output, reference: reference).first { $0.name == "top1" }?.value)
        #expect(entry.metric == top1 && entry.drop == profile.fp32Metric - top1)
    }

    /// A mixed plan puts int8 and int4 where it says: bits add up per layer, and the plan with
    /// every layer int4 equals the uniform int4 evaluation.
    @Test func mixedPlanEvaluationMatchesUniformQuantization() throws {
        let (task, reference) = try Self.fixture.get()
        let int4 = try Self.recipe("int4", "per-channel")
        let plan = Dictionary(uniqueKeysWithValues: task.quantizableWeights.map { ($0, int4) })
        let mixed = try MixedPlanEvaluation.run(task, reference: reference, plan: plan)
        let uniform = try ModelEvaluation(weights: int4, activations: nil, calibrationCount: 0).run(task, reference: reference)
        #expect(mixed.metrics.first { $0.name == "top1" }?.value == uniform.quantized("top1"))
        // Per-channel int4: 4 bits per weight + one 32-bit scale per output channel.
        let expected = task.quantizableWeights.reduce(0.0) { total, name in
            let shape = task.weights[name]!.shape
            return total + Double(4 * shape.reduce(1, *) + 32 * shape[0])
        }
        #expect(mixed.storageBits == expected)
        #expect(throws: SensitivityError.self) { try MixedPlanEvaluation.quantizedWeights(task, plan: ["conv_layers.9.weight": int4]) }
    }

    @Test func cliWritesTheRankingFiles() throws {
        let scratch = try Scratch()
        let output = try CLIRunner.run(["sensitivity", "digits-cnn", "--format", "int4", "--out", scratch.path("sens")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("ranked by top1 drop"))
        let csv = try String(contentsOfFile: scratch.path("sens/sensitivity.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline)
        #expect(lines.first == "layer,format,params,bits,metric,drop,output_sqnr_db,weight_sqnr_db")
        #expect(lines.count == 6, "a header and 5 layers")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 8 && $0.contains(",int4,") })
        #expect(FileManager.default.fileExists(atPath: scratch.path("sens/sensitivity.md")))
        let unknown = try CLIRunner.run(["sensitivity", "digits-cnn", "--format", "nosuchformat"])
        #expect(unknown.status != 0 && unknown.stderr.contains("nosuchformat"), "\(unknown.stderr)")
        let mismatch = try CLIRunner.run(["sensitivity", "digits-cnn", "--format", "mxfp4", "--granularity", "per-channel"])
        #expect(mismatch.status != 0 && mismatch.stderr.contains("conv_layers.0.weight"), "\(mismatch.stderr)")
    }
}
