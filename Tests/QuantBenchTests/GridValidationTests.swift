import QuantBench
import Testing

/// Every error a grid can have, with its exact place and the suggested fix.
@Suite struct GridValidationTests {
    /// The messages for `toml` as the bare grid `g.toml`, or [] when it is valid.
    static func messages(_ toml: String) -> [String] {
        do {
            _ = try Experiment(try ExperimentFile(file: "g.toml", text: toml))
            return []
        } catch let error as ExperimentError {
            return error.all.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    static func expectOne(_ toml: String, prefix: String, contains: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = messages(toml)
        #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
        #expect(found.first?.hasPrefix(prefix) == true, "\(found)", sourceLocation: sourceLocation)
        #expect(found.first?.contains(contains) == true, "\(found)", sourceLocation: sourceLocation)
    }

    @Test func validGridHasNoErrors() {
        #expect(Self.messages("model = \"digits-cnn\"\ncalibrator = [\"percentile(99.9)\", \"mse\"]\nweights = [\"int4\", \"none\"]\n") == [])
    }

    @Test func unknownCalibratorListsCloseMatches() {
        Self.expectOne(
            "model = \"digits-cnn\"\n\ncalibrator = [\"minmax\",\n  \"percentil\"]\n",
            prefix: "g.toml:4 (cell 1, grid): calibrator 'percentil': unknown calibrator", contains: "'percentile'")
    }

    @Test func badPluginParameterGivesTheRegistryMessage() {
        Self.expectOne(
            "model = \"digits-cnn\"\ngranularity = \"per-group(size=abc)\"\n",
            prefix: "g.toml:2 (cell 1, grid): granularity 'per-group(size=abc)':", contains: "per-group")
    }

    @Test func unknownModelListsCloseMatches() {
        Self.expectOne("model = [\"digits-cnm\"]\n", prefix: "g.toml:1 (cell 1, grid): 'digits-cnm' is not a model", contains: "'digits-cnn'")
    }

    @Test func unknownKeyListsCloseMatch() {
        Self.expectOne(
            "model = \"digits-cnn\"\ncalibrators = [\"kl\"]\n", prefix: "g.toml:2 (cell 1, grid): 'calibrators' is not a grid key",
            contains: "did you mean 'calibrator'")
    }

    @Test func wrongTypeNamesTheKey() {
        Self.expectOne("model = \"digits-cnn\"\nseed = [1, \"two\"]\n", prefix: "g.toml:2 (cell 1, grid): 'seed' must be an integer", contains: "a string")
        Self.expectOne(
            "model = \"digits-cnn\"\ncalibration = { size = -3 }\n", prefix: "g.toml:2 (cell 1, grid): 'calibration.size' must be a positive integer",
            contains: "-3")
    }

    @Test func blockFormatWithPerChannelIsIncompatible() {
        Self.expectOne(
            "model = \"digits-cnn\"\ngranularity = [\"per-group(32)\", \"per-channel\"]\nweights = \"mxfp4\"\n",
            prefix: "g.toml:3 (cell 1, grid): weights mxfp4 shares one scale per block of 32", contains: "not per-channel")
        Self.expectOne(
            "model = \"digits-cnn\"\nactivations = \"mxfp8-e4m3\"\n",
            prefix: "g.toml:2 (cell 1, grid): activations", contains: "need activation_granularity per-token, not per-tensor")
        #expect(Self.messages("model = \"digits-cnn\"\nactivations = \"mxfp4\"\nactivation_granularity = \"per-token\"\n") == [])
    }

    @Test func zipLengthMismatch() {
        Self.expectOne(
            "model = \"digits-cnn\"\nweights = [\"int8\", \"int4\"]\ncalibrator = [\"minmax\", \"kl\", \"mse\"]\nzip = [[\"weights\", \"calibrator\"]]\n",
            prefix: "g.toml:4 (cell 1, grid): zipped axes must have the same number of values", contains: "weights has 2, calibrator has 3")
    }

    @Test func rulesReferencingUnknownAxes() {
        Self.expectOne(
            "model = \"digits-cnn\"\nweights = [\"int8\", \"int4\"]\n\n[[exclude]]\nweight = \"int4\"\n",
            prefix: "g.toml:5 (cell 1, grid): 'weight' is not a grid key", contains: "'weights'")
        Self.expectOne(
            "model = \"digits-cnn\"\nzip = [[\"weights\", \"granularty\"]]\n",
            prefix: "g.toml:2 (cell 1, grid): 'granularty' is not a grid key", contains: "'granularity'")
    }

    @Test func collectsEveryErrorOfAFile() {
        let text = """
            Prose.
            ```grid
            model = "minilmm"
            calibrator = "klx"
            ```
            ```grid
            model = "digits-cnn"
            activation_granularity = "per-tokn"
            ```
            """
        do {
            _ = try Experiment(try ExperimentFile(file: "nb.md", text: text))
            Issue.record("expected errors")
        } catch let error as ExperimentError {
            let found = error.all.map(\.description)
            #expect(found.count == 3, "\(found)")
            #expect(found[0].hasPrefix("nb.md:3 (cell 1, grid): 'minilmm' is not a model (did you mean 'minilm'?)"))
            #expect(found[1].hasPrefix("nb.md:4 (cell 1, grid): calibrator 'klx'"))
            #expect(found[2].hasPrefix("nb.md:8 (cell 2, grid): 'activation_granularity' = \"per-tokn\": not an activation granularity (did you mean 'per-token'?)"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func badTOMLNamesTheLine() {
        let found = Self.messages("model = \"digits-cnn\"\ncalibrator = [\"kl\"\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("g.toml:") == true && found.first?.contains("is not valid TOML") == true, "\(found)")
    }

    @Test(arguments: ["", "\u{0}", "[[[", "[[ [", "[[]]", "[[ ]]", "[]", "[ ]", "a.[", "x = [ [ [", "a = [}]", "a = [1, }]", "a = [ # c\n}]", "a = {b = [}]}", "a = [[}]]", "a = \"[}\"", "[.a]", "[[ .a]]", "[\n\n#\'\'\'_inf", " [\n'=", "[\n=}", "[[\nx]]", "model = 3", "```", "model = [[]]", "zip = 5", "include = [1]", "exclude = { a = 1 }"])
    func neverCrashes(_ text: String) {
        _ = Self.messages(text)
        _ = try? ExperimentFile(file: "x.md", text: text)
    }
}

extension GridValidationTests {
    @Test func tooLargeGridIsAnErrorNotAnAllocation() {
        let seeds = "[" + (0..<100).map(String.init).joined(separator: ", ") + "]"
        let toml = "model = \"digits-cnn\"\nseed = \(seeds)\ncalibration = [" + (1...100).map { "{ size = \($0) }" }.joined(separator: ", ")
            + "]\ncalibrator = [\"minmax\", \"kl\", \"mse\", \"aciq\", \"hist-l2\", \"percentile\", \"ema-minmax\", \"ort-entropy\", \"percentile(99.9)\", \"percentile(99)\", \"percentile(99.999)\"]\n"
        Self.expectOne(toml, prefix: "g.toml:1 (cell 1, grid): 'grid' = 110000 cells", contains: "at most 100000 cells")
    }

    @Test func nameMustBeAString() {
        Self.expectOne("name = 3\nmodel = \"digits-cnn\"\n", prefix: "g.toml:1 (cell 1, grid): 'name' must be a string", contains: "an integer")
    }
}

/// Scenario transforms in `calibration` and `evaluation`, checked when the grid is parsed.
extension GridValidationTests {
    @Test func unknownCalibrationTransformListsCloseMatchesAndRanges() {
        Self.expectOne(
            "model = \"digits-cnn\"\n\n[calibration]\nsize = 64\ntransform = \"contrst(0.5)\"\n",
            prefix: "g.toml:5 (cell 1, grid): 'calibration.transform' = \"contrst(0.5)\": digits-cnn has no scenario transform 'contrst' (did you mean 'contrast'?)",
            contains: "noise(sigma ≥ 0)")
    }

    @Test func transformParameterOutOfRangeGivesTheRange() {
        Self.expectOne(
            "model = \"digits-cnn\"\ncalibration = [{ transform = \"noise(0.1)\" }, { transform = \"noise(-0.1)\" }]\n",
            prefix: "g.toml:2 (cell 1, grid): 'calibration.transform' = \"noise(-0.1)\": digits-cnn: scenario transform 'noise(-0.1)'",
            contains: "it needs sigma ≥ 0")
        Self.expectOne(
            "model = \"digits-cnn\"\nevaluation = { transform = \"contrast(0)\" }\n",
            prefix: "g.toml:2 (cell 1, grid): 'evaluation.transform' = \"contrast(0)\"", contains: "factor > 0")
    }

    @Test func miniLMHasNoImageTransforms() {
        Self.expectOne(
            "model = \"minilm\"\ncalibration = { size = 32, transform = \"mix\" }\n",
            prefix: "g.toml:2 (cell 1, grid): 'calibration.transform' = \"mix\": minilm has no scenario transform 'mix'",
            contains: "its transforms are none")
        #expect(Self.messages("model = \"minilm\"\ncalibration = { size = 32, seed = 3, transform = \"none\" }\nevaluation = { transform = \"none\" }\n") == [])
    }

    @Test func transformForOneModelOfTwoIsAPairToExclude() {
        let grid = "model = [\"digits-cnn\", \"minilm\"]\n\nevaluation = [{}, { transform = \"contrast(0.5)\" }]\n"
        Self.expectOne(
            grid, prefix: "g.toml:3 (cell 1, grid): model minilm cannot take evaluation.transform \"contrast(0.5)\"",
            contains: "exclude that pair")
        #expect(Self.messages(grid + "exclude = [{ model = \"minilm\", evaluation = { transform = \"contrast(0.5)\" } }]\n") == [])
    }

    @Test func evaluationMustBeATableWithATransform() {
        Self.expectOne(
            "model = \"digits-cnn\"\nevaluation = \"contrast(0.5)\"\n",
            prefix: "g.toml:2 (cell 1, grid): 'evaluation' must be a table such as { transform = \"contrast(0.5)\" }", contains: "a string")
        Self.expectOne(
            "model = \"digits-cnn\"\nevaluation = { transfrom = \"mix\" }\n",
            prefix: "g.toml:2 (cell 1, grid): 'evaluation.transfrom' is not a grid key", contains: "did you mean 'transform'")
        Self.expectOne(
            "model = \"digits-cnn\"\nevaluation = { transform = 3 }\n",
            prefix: "g.toml:2 (cell 1, grid): 'evaluation.transform' must be a string", contains: "an integer")
    }
}
