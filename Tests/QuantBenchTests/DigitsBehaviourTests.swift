import QuantBench
import QuantCore
import QuantModels
import Testing

/// digits-cnn (the pretrained MNIST CNN of digit-recognizer-py, read natively from its .pth) on
/// scikit-learn's digits: the FP32 figure and what W8A8 and W2 do to it.
@Suite("digits-cnn quantization behaviour", .serialized)
struct DigitsBehaviourTests {
    static let fixture: Result<(task: any ModelTask, reference: EvaluationOutput), any Error> = Result {
        let task = try ModelZoo.task(named: "digits-cnn")
        return (task, try task.evaluate(weights: task.weights, context: .plain))
    }

    static func evaluate(_ weights: String?, _ granularity: String? = nil, activations: String? = nil) throws -> ModelEvaluationReport {
        let (task, reference) = try fixture.get()
        let registry = PluginRegistry.builtIn
        let recipe = try weights.map { try QuantizationRecipe(format: $0, granularity: granularity, calibrator: "minmax", registry: registry) }
        let activationRecipe = try activations.map {
            ActivationRecipe(format: try registry.format($0), calibrator: try registry.calibrator("minmax"))
        }
        return try ModelEvaluation(weights: recipe, activations: activationRecipe, calibrationCount: 256).run(task, reference: reference)
    }

    /// The reference figure for this preprocessing is 88.4 % over all 1797 images; the
    /// 1541-image evaluation split must reach 88 %.
    @Test func fp32AccuracyOnTheEvaluationSplit() throws {
        let (task, reference) = try Self.fixture.get()
        #expect(task.evaluationCount == 1541 && task.calibrationCount == 256)
        let top1 = try #require(task.metrics(reference, reference: reference).first { $0.name == "top1" }?.value)
        #expect(top1 >= 0.88, "FP32 top-1 \(top1)")
    }

    @Test func w8a8StaysWithinOnePointOfFP32() throws {
        let report = try Self.evaluate("int8", "per-channel", activations: "int8")
        let fp32 = try #require(report.fp32("top1")), quantized = try #require(report.quantized("top1"))
        #expect(abs(quantized - fp32) <= 0.01, "W8A8 \(quantized) vs FP32 \(fp32)")
        #expect(try #require(report.quantized("agreement")) >= 0.98)
        #expect(report.activationSites.count == 5, "inputs of 3 convs and 2 linears")
        #expect(report.activationSites.allSatisfy { $0.sqnrDB > 30 }, "int8 activations keep > 30 dB")
    }

    @Test func twoBitWeightsCollapse() throws {
        let report = try Self.evaluate("int2")
        let quantized = try #require(report.quantized("top1"))
        #expect(quantized < 0.5, "W2 per-tensor top-1 \(quantized)")
        #expect(try #require(report.quantized("kl")) > 0.5)
    }
}
