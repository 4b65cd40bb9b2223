import Foundation
import QuantBench
import QuantCore
import QuantModels
import Testing

@Suite(.serialized) struct CLITests {
    /// A 4 × 8 weight whose rows have scales 1, 2, 4, 8, plus a 1-D tensor with NaN and Inf.
    static func writeFixture(_ scratch: Scratch) throws -> String {
        let weight = try Tensor(name: "layer.weight", shape: [4, 8], values: (0..<32).map { Float(1 << ($0 / 8)) * (Float($0 % 8) - 3.5) / 3.5 })
        let bad = try Tensor(name: "with.nan", shape: [6], values: [1, .nan, -2, .infinity, 0.5, 3])
        let zeros = try Tensor(name: "zeros", shape: [5], values: [0, 0, 0, 0, 0])
        let path = scratch.path("model.safetensors")
        try TensorFiles.write([weight, bad, zeros], to: path)
        return path
    }

    @Test func listsEveryPluginAsJSON() throws {
        let output = try CLIRunner.run(["list", "--json"])
        #expect(output.status == 0)
        let entries = try #require(try CLIRunner.json(output) as? [[String: Any]])
        let ids = Set(entries.compactMap { $0["id"] as? String })
        for id in ["minmax", "ema-minmax", "percentile", "mse", "kl", "hist-l2", "aciq", "per-tensor", "per-channel", "per-group",
                   "per-token", "int<bits>", "uint<bits>", "fp8-e4m3", "mxfp4", "nvfp4"] {
            #expect(ids.contains(id), "\(id)")
        }
        let percentile = try #require(entries.first { $0["id"] as? String == "percentile" })
        let parameters = try #require(percentile["parameters"] as? [[String: Any]])
        #expect(parameters.first?["default"] as? String == "99.99")
    }

    @Test func inspectReportsStatisticsAndRecommendation() throws {
        let scratch = try Scratch()
        let path = try Self.writeFixture(scratch)
        let output = try CLIRunner.run(["inspect", path, "--tensor", "layer.weight", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows[0]["abs_max"] as? NSNumber)?.doubleValue == 8)
        #expect(rows[0]["shape"] as? [Int] == [4, 8])
        #expect(rows[0]["recommended_calibrator"] as? String == "minmax")
    }

    @Test func quantizeWritesFakeQuantizedTensorsAndEveryScale() throws {
        let scratch = try Scratch()
        let path = try Self.writeFixture(scratch)
        let out = scratch.path("q.safetensors")
        let output = try CLIRunner.run([
            "quantize", path, "--format", "int4", "--granularity", "per-channel", "--tensor", "layer.weight", "--output", out, "--json",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let reports = try #require(try CLIRunner.json(output) as? [[String: Any]])
        let granules = try #require(reports.first?["granules"] as? [[String: Any]])
        // Symmetric int4 restricted range: s = amax/7 per row, amax = 1, 2, 4, 8 (hand-derived).
        #expect(granules.compactMap { $0["scale"] as? Double }.map { ($0 * 7 * 1e6).rounded() / 1e6 } == [1, 2, 4, 8])
        #expect(granules.allSatisfy { ($0["zero_point"] as? NSNumber)?.doubleValue == 0 })
        let written = try TensorFiles.open(path: out).load("layer.weight")
        #expect(written.shape == [4, 8])
        // Row 0 is (k − 3.5)/3.5 for k = 0…7; fake-quant with s = 1/7 gives round(2(k − 3.5))/7.
        let expected = (0..<8).map { Float((2 * (Double($0) - 3.5)).rounded(.toNearestOrEven)) / 7 }
        for k in 0..<8 { #expect(abs(written.values[k] - expected[k]) <= 1e-6) }
    }

    @Test func nonFiniteValuesAreCountedAndAllZeroGetsAValidScale() throws {
        let scratch = try Scratch()
        let path = try Self.writeFixture(scratch)
        let output = try CLIRunner.run(["quantize", path, "--format", "int8", "--tensor", "with.nan", "--tensor", "zeros", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let reports = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(reports[0]["non_finite_count"] as? Int == 2)
        let nanGranule = try #require((reports[0]["granules"] as? [[String: Any]])?.first)
        #expect((nanGranule["upper"] as? NSNumber)?.doubleValue == 3)
        let zeroGranule = try #require((reports[1]["granules"] as? [[String: Any]])?.first)
        #expect((zeroGranule["scale"] as? NSNumber)?.doubleValue == 1)
        #expect((reports[1]["mse"] as? NSNumber)?.doubleValue == 0)
    }

    @Test(arguments: [
        (["quantize", "MISSING.safetensors", "--format", "int8"], "MISSING.safetensors"),
        (["quantize", "@model", "--format", "int9x"], "unknown format 'int9x'"),
        (["quantize", "@model", "--format", "int1"], "integer 2…16"),
        (["quantize", "@model", "--format", "int8", "--granularity", "per-group(size=0)"], "parameter 'size'"),
        (["quantize", "@model", "--format", "int8", "--calibrator", "percentile(101)"], "parameter 'percentile'"),
        (["quantize", "@model", "--format", "int8", "--calibrator", "percentil"], "'percentile'"),
        (["quantize", "@model", "--format", "int8", "--granularity", "per-group(128)", "--tensor", "layer.weight"], "larger than axis"),
        (["quantize", "@model", "--format", "mxfp4", "--granularity", "per-channel", "--tensor", "layer.weight"], "per-group(32)"),
        (["quantize", "@model", "--format", "int8", "--tensor", "layer.wieght"], "'layer.weight'"),
        (["inspect", "@bad.npy"], "bad.npy"),
        (["inspect", "@truncated.safetensors"], "truncated.safetensors"),
    ])
    func badInputIsAClearErrorAndNonZeroExit(_ arguments: [String], _ message: String) throws {
        let scratch = try Scratch()
        let model = try Self.writeFixture(scratch)
        try Data("not a numpy file at all".utf8).write(to: URL(fileURLWithPath: scratch.path("bad.npy")))
        let whole = try Data(contentsOf: URL(fileURLWithPath: model))
        try whole.prefix(whole.count - 20).write(to: URL(fileURLWithPath: scratch.path("truncated.safetensors")))
        let resolved = arguments.map { arg -> String in
            arg == "@model" ? model : arg.hasPrefix("@") ? scratch.path(String(arg.dropFirst())) : arg
        }
        let output = try CLIRunner.run(resolved, in: scratch.url)
        #expect(output.status != 0)
        #expect(output.status < 128, "crashed with signal: \(output.stderr)")
        #expect((output.stderr + output.stdout).contains(message), "stderr: \(output.stderr)")
    }
}
