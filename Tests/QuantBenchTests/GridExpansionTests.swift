import Foundation
import QuantBench
import Testing

@Suite struct GridExpansionTests {
    static func cells(_ toml: String) throws -> [GridCell] {
        try Experiment(try ExperimentFile(file: "g.toml", text: toml)).cells
    }

    @Test func cartesianProduct() throws {
        let cells = try Self.cells("""
            model = "digits-cnn"
            calibrator = ["minmax", "kl", "mse"]
            granularity = ["per-tensor", "per-channel"]
            weights = ["int8", "int4"]
            """)
        #expect(cells.count == 3 * 2 * 2)
        // calibrator varies slowest, weights fastest (axis order), defaults filled in.
        #expect(cells[0].values["calibrator"] == .string("minmax") && cells[1].values["weights"] == .string("int4"))
        #expect(cells[2].values["granularity"] == .string("per-channel"))
        #expect(cells[11].values["calibrator"] == .string("mse"))
        #expect(cells[0].values["activations"] == .string("none"))
        #expect(cells[0].values["calibration"] == .table(["split": .string("calibration"), "seed": .int(0)]))
        #expect(Set(cells.map(\.hash)).count == 12)
    }

    @Test func zipExcludeInclude() throws {
        let base = """
            model = "digits-cnn"
            calibrator = ["minmax", "kl", "mse"]
            granularity = ["per-tensor", "per-channel"]
            weights = ["int8", "int4"]
            zip = [
              ["weights", "granularity"],
            ]
            """
        // 3 calibrators × 2 zipped pairs.
        #expect(try Self.cells(base).count == 6)
        let excluded = base + "\nexclude = [{ calibrator = \"kl\", weights = \"int4\" }, { calibrator = \"nope-but-valid\" }]\n"
        #expect(try Self.cells(excluded.replacingOccurrences(of: "nope-but-valid", with: "aciq")).count == 5)
        let included = excluded.replacingOccurrences(of: "nope-but-valid", with: "aciq") + """
            include = [
              { calibrator = "mse", weights = "fp8-e4m3", granularity = "per-channel" },
              { calibrator = "minmax", weights = "int8", granularity = "per-tensor" },
            ]
            """
        let cells = try Self.cells(included)
        // One new cell; the second include is already in the product.
        #expect(cells.count == 6)
        #expect(cells.last?.values["weights"] == .string("fp8-e4m3"))
        #expect(cells.last?.values["model"] == .string("digits-cnn"))
    }

    @Test func hashIgnoresKeyOrderAndSpellingOfDefaults() throws {
        let a = try Self.cells("model = \"digits-cnn\"\ncalibration = { size = 64, split = \"calibration\" }\ncalibrator = \"percentile\"\n")
        let b = try Self.cells("calibrator = \"percentile(99.99)\"\ncalibration = { split = \"calibration\", seed = 0, size = 64 }\nmodel = \"digits-cnn\"\n")
        #expect(a.count == 1 && b.count == 1)
        #expect(a[0].hash == b[0].hash)
        #expect(a[0].hash.count == 64)
        let c = try Self.cells("model = \"digits-cnn\"\ncalibration = { size = 65 }\ncalibrator = \"percentile\"\n")
        #expect(c[0].hash != a[0].hash)
        let d = try Self.cells("model = \"digits-cnn\"\ncalibration = { size = 64 }\ncalibrator = \"percentile(99.9)\"\n")
        #expect(d[0].hash != a[0].hash)
    }

    @Test func hashIsStableAcrossRuns() throws {
        let first = try Self.cells("model = \"minilm\"\nweights = [\"int8\", \"int4\"]\n").map(\.hash)
        let second = try Self.cells("weights = [\"int8\", \"int4\"]\nmodel = \"minilm\"\n").map(\.hash)
        #expect(first == second)
    }
}
