import CostModels
import Foundation
import QuantBench
import QuantCore
import Testing

@Suite("chips table")
struct ChipTableTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chips-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// REFERENCE §6's figures, dense, in base units; only this machine's figures are verified.
    @Test func builtInFigures() throws {
        let table = try ChipTable.builtIn()
        let h100 = try table.chip("h100-sxm")
        #expect(h100.peaks["fp16"]?.value == 989.4e12 && h100.peaks["int8"]?.value == 1979e12)
        #expect(h100.memoryBandwidth?.value == 3350e9 && h100.peaks["int4"] == nil)
        #expect(try table.chip("a100-sxm-40gb").memoryBandwidth?.value == 1555e9)
        #expect(try table.chip("jetson-agx-orin-64gb").peaks["int8"]?.value == 275e12 / 2)
        #expect(try table.chip("edge-tpu").memoryBandwidth == nil)
        for chip in table.chips.values {
            let figures = Array(chip.peaks.values) + (chip.memoryBandwidth.map { [$0] } ?? [])
            #expect(figures.allSatisfy { !$0.source.isEmpty })
            #expect(figures.allSatisfy { $0.verified == (chip.id == "this-cpu") }, "\(chip.id)")
        }
        #expect(try table.chip("this-cpu").peaks["fp32"] != nil)
    }

    /// A user file adds a chip and overrides one built-in figure; the rest stays.
    @Test func userFileMergesOverTheBuiltIn() throws {
        let path = try file(
            """
            [my-npu]
            summary = "a test NPU"
            peak_int8_tops = { value = 100, source = "test", verified = false }
            memory_gb_per_s = { value = 100, source = "test", verified = false }

            [h100-sxm]
            memory_tb_per_s = { value = 4, source = "what if", verified = false }
            """)
        let table = try ChipTable.builtIn(mergedWith: path)
        #expect(try table.chip("my-npu").peaks["int8"]?.value == 100e12)
        #expect(try table.chip("h100-sxm").memoryBandwidth?.value == 4e12)
        #expect(try table.chip("h100-sxm").peaks["fp16"]?.value == 989.4e12)
        let model = try TestPlans.registry.costModel("roofline(chip=my-npu, chips=\(path))")
        // 64×64 int8 W8A8, M = 1: bytes 4096 + 64·4 + 64 + 64·2 = 4544 at 100 GB/s = 0.04544 µs.
        let a = try TestPlans.encoding("int8", granuleSize: 64)
        let layer = try TestPlans.layer(k: 64, n: 64, weights: "int8", granuleSize: 64, granules: 64, activations: a)
        #expect(TestPlans.close(try model.estimate(TestPlans.plan([layer])).metrics["latency_us_my_npu"], 0.04544))
    }

    /// A bad figure names the file, its line, the chip and the key.
    @Test func malformedEntryNamesFileLineChipAndKey() throws {
        let path = try file(
            """
            # my chips
            [my-npu]
            summary = "x"
            peak_int8_tops = { value = -3, source = "x", verified = false }
            """)
        #expect {
            try ChipTable.load(path: path)
        } throws: { error in
            guard case let CostModelError.malformedChipFile(file, line, chip, key, _) = error else { return false }
            let text = "\(error)"
            return file == path && line == 4 && chip == "my-npu" && key == "peak_int8_tops"
                && text.contains("\(path):4") && text.contains("positive number")
        }
    }

    @Test(arguments: [
        ("[npu]\npeak_int8 = { value = 1, source = \"x\", verified = false }\n", "peak_int8", "not a chip key"),
        ("[npu]\npeak_int8_tops = { value = 1, source = \"x\" }\n", "peak_int8_tops", "verified"),
        ("[npu]\npeak_int8_tops = 4\n", "peak_int8_tops", "must be a table"),
        ("[npu]\nsummary = \"no figures\"\n", nil, "no peak"),
    ] as [(String, String?, String)])
    func badEntries(text: String, key: String?, reason: String) throws {
        let path = try file(text)
        #expect {
            try ChipTable.builtIn(mergedWith: path)
        } throws: { error in
            guard case let CostModelError.malformedChipFile(_, _, chip, k, why) = error else { return false }
            return chip == "npu" && k == key && why.contains(reason)
        }
    }

    /// TOML syntax errors (including what toml++ would assert on) come back with a line.
    @Test(arguments: ["[npu\npeak_int8_tops = 1\n", "[npu]\nx = [1,}\n", "[.npu]\n"])
    func syntaxErrorsHaveALine(text: String) throws {
        let path = try file(text)
        #expect {
            try ChipTable.load(path: path)
        } throws: { error in
            guard case let CostModelError.malformedChipFile(file, line, _, _, _) = error else { return false }
            return file == path && line != nil
        }
    }

    @Test func missingUserFile() throws {
        #expect(throws: CostModelError.self) { try TestPlans.registry.costModel("roofline(chip=h100-sxm, chips=/nonexistent/chips.toml)") }
    }
}
