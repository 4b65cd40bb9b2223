import Foundation
import QuantCore
import QuantModels
import Testing

@Suite(.serialized) struct EvalCLITests {
    /// int8 per-tensor symmetric: s = amax/127 over each 2-D weight; the 1-D bias is not a weight.
    /// Expected SQNR is re-derived here from the definition: round half to even of x/s, times s.
    @Test func weightsOnlyStudiesEveryWeightAndTotals() throws {
        let scratch = try Scratch()
        let a: [Float] = [1, 0.3, -0.7, 0.05, 0.9, -1, 0.33, 0.123]
        let b: [Float] = (0..<12).map { Float($0) / 11 - 0.5 }
        try TensorFiles.write([
            try Tensor(name: "a.weight", shape: [2, 4], values: a), try Tensor(name: "b.weight", shape: [3, 4], values: b),
            try Tensor(name: "a.bias", shape: [4], values: [1, 2, 3, 4]),
        ], to: scratch.path("m.safetensors"))
        let output = try CLIRunner.run(["eval", "weights-only:" + scratch.path("m.safetensors"), "--weights", "int8", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try CLIRunner.json(output) as? [String: Any])
        let tensors = try #require(json["tensors"] as? [[String: Any]])
        #expect(Set(tensors.compactMap { $0["tensor"] as? String }) == ["a.weight", "b.weight"])
        func energies(_ x: [Float]) -> (Double, Double) {
            let s = Double(x.map { abs($0) }.max()!) / 127
            let error = x.reduce(0.0) { let q = (Double($1) / s).rounded(.toNearestOrEven) * s; return $0 + (Double($1) - q) * (Double($1) - q) }
            return (x.reduce(0.0) { $0 + Double($1) * Double($1) }, error)
        }
        let (sa, ea) = energies(a), (sb, eb) = energies(b)
        let overall = try #require(json["overall_sqnr_db"] as? Double)
        #expect(abs(overall - 10 * log10((sa + sb) / (ea + eb))) < 1e-4, "float scales and products: agreement to 1e-4 dB")
        #expect(json["elements"] as? Int == 20)
        #expect(abs((json["bits_per_element"] as? Double ?? 0) - (8 + 2.0 * 32 / 20)) < 1e-9, "fp32 scale per tensor")
    }

    @Test func weightsOnlyNeedsAFormatAndNoActivations() throws {
        let scratch = try Scratch()
        try TensorFiles.write([try Tensor(name: "w", shape: [2, 2], values: [1, 2, 3, 4])], to: scratch.path("w.npy"))
        let missing = try CLIRunner.run(["eval", "weights-only:" + scratch.path("w.npy")])
        #expect(missing.status != 0 && missing.stderr.contains("--weights FORMAT"), "\(missing.stderr)")
        let activations = try CLIRunner.run(["eval", "weights-only:" + scratch.path("w.npy"), "--weights", "int8", "--activations", "int8"])
        #expect(activations.status != 0 && activations.stderr.contains("no forward pass"), "\(activations.stderr)")
        let unknown = try CLIRunner.run(["eval", "resnet50", "--weights", "int8"])
        #expect(unknown.status != 0 && unknown.stderr.contains("digits-cnn, minilm"), "\(unknown.stderr)")
    }
}

@Suite(.serialized) struct InspectActivationsCLITests {
    /// The first conv's input is the normalised image: pixels 0…16 map to (p/16 − 0.1307)/0.3081,
    /// so its range is [−0.42421, 2.82149] (hand-derived) once any image has a 0 and a 16.
    @Test func digitsActivationsOverTheCalibrationSplit() throws {
        let output = try CLIRunner.run(["inspect", "digits-cnn", "--activations", "--calibration", "32", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(rows.count == 10, "input and output of 3 convs and 2 linears")
        let first = try #require(rows.first)
        #expect(first["site"] as? String == "conv_layers.0.input")
        #expect(abs((first["min"] as? Double ?? 0) - (0 - 0.1307) / 0.3081) < 1e-5)
        #expect(abs((first["max"] as? Double ?? 0) - (1 - 0.1307) / 0.3081) < 1e-5)
        #expect(first["count"] as? Int == 32 * 28 * 28)
        #expect(rows.last?["site"] as? String == "fc_layers.2.output")
    }
}
