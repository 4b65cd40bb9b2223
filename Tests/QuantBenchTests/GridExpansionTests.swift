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
        #expect(cells[0].values["evaluation"] == .table([:]) && cells[0].canonical["evaluation"] == nil)
        #expect(Set(cells.map(\.hash)).count == 12)
    }

    @Test func writingADefaultPlugInGivesTheSameHashAsLeavingItOut() throws {
        let omitted = try Self.cells("model = \"digits-cnn\"")
        let written = try Self.cells("""
            model = "digits-cnn"
            calibrator = "minmax"
            granularity = "per-tensor"
            weights = "int8"
            activations = "none"
            """)
        #expect(omitted.map(\.hash) == written.map(\.hash))
        #expect(omitted[0].canonical["weights"]?.string?.hasPrefix("int8@") == true)
    }

    @Test func editingAPythonCalibratorChangesTheHash() throws {
        let scratch = try Scratch()
        let file = scratch.path("clip.py")
        let grid = "model = \"digits-cnn\"\ncalibrator = \"python(\(file):clip)\"\n"
        try "def clip(stats):\n    return stats['min'], stats['max']\n".write(toFile: file, atomically: true, encoding: .utf8)
        let before = try Self.cells(grid)
        #expect(try Self.cells(grid).map(\.hash) == before.map(\.hash))
        try "def clip(stats):\n    return 0.5 * stats['min'], 0.5 * stats['max']\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.cells(grid)[0].hash != before[0].hash)
    }

    @Test func aCellTwoGridsShareRunsOnce() throws {
        let notebook = "```grid\nmodel = \"digits-cnn\"\nweights = [\"int8\", \"int4\"]\n```\n\n```grid\nmodel = \"digits-cnn\"\nweights = [\"int4\", \"fp8-e4m3\"]\n```\n"
        let experiment = try Experiment(try ExperimentFile(file: "two.md", text: notebook))
        #expect(experiment.grids.map { $0.cells().count } == [2, 2])
        #expect(experiment.cells.map { $0.values["weights"] } == [.string("int8"), .string("int4"), .string("fp8-e4m3")])
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

/// Calibration transforms and the evaluation axis in cells and their hashes.
extension GridExpansionTests {
    @Test func transformsAreCanonicalAndNoneIsLeftOut() throws {
        let cells = try Self.cells("""
            model = "digits-cnn"
            calibration = [{ size = 64 }, { size = 64, transform = "none" }, { size = 64, transform = "contrast(factor=0.50)" }]
            """)
        // The first two are one cell: `none` is no transform.
        #expect(cells.count == 2)
        #expect(cells[1].values["calibration"] == .table([
            "split": .string("calibration"), "seed": .int(0), "size": .int(64), "transform": .string("contrast(0.5)"),
        ]))
        let written = try Self.cells("model = \"digits-cnn\"\ncalibration = { size = 64, transform = \"contrast(0.5)\" }\n")
        #expect(written.map(\.hash) == [cells[1].hash])
    }

    @Test func evaluationAxisSweepsAndDefaultKeepsTheHash() throws {
        let cells = try Self.cells("""
            model = "digits-cnn"
            evaluation = [{}, { transform = "noise(0.1)" }, { transform = "mix" }]
            weights = ["int8", "int4"]
            """)
        #expect(cells.count == 6)
        #expect(cells[2].values["evaluation"] == .table(["transform": .string("noise(0.1)")]))
        #expect(cells[2].canonical["evaluation"] == .table(["transform": .string("noise(0.1)")]))
        // A cell at the default evaluation hashes as if the axis did not exist.
        let plain = try Self.cells("model = \"digits-cnn\"\nweights = [\"int8\", \"int4\"]\n")
        #expect(plain.map(\.hash) == [cells[0].hash, cells[1].hash])
        let spelled = try Self.cells("model = \"digits-cnn\"\nevaluation = { transform = \"none\" }\nweights = [\"int8\", \"int4\"]\n")
        #expect(spelled.map(\.hash) == plain.map(\.hash))
        let plainText = "model = \"digits-cnn\"\nweights = [\"int8\", \"int4\"]\n"
        let spec = try #require(try Experiment(try ExperimentFile(file: "g.toml", text: plainText)).grids.first)
        let rebuilt = GridCell(values: plain[0].values.filter { $0.key != "evaluation" }, canonicalNames: spec.canonicalNames)
        #expect(rebuilt.hash == plain[0].hash)
        #expect(Set(cells.map(\.hash)).count == 6)
    }
}

