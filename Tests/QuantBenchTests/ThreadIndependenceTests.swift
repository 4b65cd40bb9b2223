import QuantBench
import QuantCore
import Testing

/// A tensor's quantization report must not depend on how many threads quantized it: sharded
/// runs on other machines and local runs must store the same numbers bit for bit.
@Suite("Thread-count independence")
struct ThreadIndependenceTests {
    @Test(arguments: ["per-channel", "per-group(32)"])
    func reportsAreBitIdenticalOnAnyThreadCount(granularity: String) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let values = (0..<(700 * 96)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 10_000) / 997
        }
        let tensor = try Tensor(name: "w", shape: [700, 96], values: values)
        var reports: [TensorReport] = []
        for threads in [1, 2, 3, 8] {
            let recipe = try QuantizationRecipe(
                format: "int4", granularity: granularity, calibrator: "mse", registry: .builtIn, threads: threads)
            reports.append(try TensorQuantizer(recipe: recipe).quantize(tensor).report)
        }
        for report in reports.dropFirst() {
            #expect(report.sqnrDB.bitPattern == reports[0].sqnrDB.bitPattern)
            #expect(report.mse.bitPattern == reports[0].mse.bitPattern)
            #expect(report.cosine.bitPattern == reports[0].cosine.bitPattern)
            #expect(report.granules == reports[0].granules)
        }
    }
}
