import QuantModels
import Testing

/// Which items a calibration set draws, and the validator's messages.
@Suite("Calibration set selection and transform names")
struct CalibrationSelectionTests {
    @Test("seed 0 is the prefix; size nil is the whole pool")
    func seedZeroIsAPrefix() throws {
        #expect(try CalibrationSet(size: 5).positions(poolSize: 256, model: "m") == [0, 1, 2, 3, 4])
        #expect(try CalibrationSet().positions(poolSize: 300, model: "m") == Array(0..<300))
        #expect(try CalibrationSet(size: 300).positions(poolSize: 300, model: "m") == Array(0..<300))
    }

    @Test("other seeds draw numpy's Fisher–Yates subsets")
    func seededSubsetsMatchPython() throws {
        for selection in try ScenarioOracle.load().positions {
            let set = CalibrationSet(size: selection.size, seed: selection.seed)
            #expect(try set.positions(poolSize: selection.pool, model: "m") == selection.positions, "\(selection)")
        }
    }

    @Test("a seeded subset is deterministic, without duplicates, inside the pool, and nested in a larger one", arguments: [1, 7, 42, -5])
    func seededSubsetProperties(seed: Int) throws {
        let small = try CalibrationSet(size: 64, seed: seed).positions(poolSize: 256, model: "m")
        #expect(small == (try CalibrationSet(size: 64, seed: seed).positions(poolSize: 256, model: "m")))
        #expect(Set(small).count == 64 && small.allSatisfy { (0..<256).contains($0) })
        #expect(small != Array(0..<64))
        #expect(Array(try CalibrationSet(size: 128, seed: seed).positions(poolSize: 256, model: "m").prefix(64)) == small)
        #expect(try CalibrationSet(seed: seed).positions(poolSize: 256, model: "m").sorted() == Array(0..<256))
        #expect(small != (try CalibrationSet(size: 64, seed: seed + 1).positions(poolSize: 256, model: "m")))
    }

    @Test("a set larger than the pool names the model, the pool and the size")
    func tooLarge() {
        let error = #expect(throws: ModelError.self) { try CalibrationSet(size: 257, seed: 3).positions(poolSize: 256, model: "digits-cnn") }
        #expect(error == .calibrationSetTooLarge(model: "digits-cnn", pool: 256, requested: 257))
        let text = error?.description ?? ""
        #expect(text.contains("digits-cnn") && text.contains("257") && text.contains("holds 256"), "\(text)")
        #expect(throws: ModelError.self) { try CalibrationSet(size: 0).positions(poolSize: 256, model: "digits-cnn") }
    }

    @Test("canonical names", arguments: [
        ("contrast(factor=0.50)", "contrast(0.5)"), (" noise( 0.1 ) ", "noise(0.1)"), ("brightness(-0.2)", "brightness(-0.2)"),
        ("brightness(delta=1)", "brightness(1.0)"), ("mix", "mix"), ("mix()", "mix"),
    ])
    func canonicalNames(_ written: String, _ canonical: String) throws {
        #expect(try ScenarioTransforms.canonical(written, model: "digits-cnn") == canonical)
        #expect(try ScenarioTransforms.canonical(canonical, model: "digits-cnn") == canonical)
    }

    @Test func noneIsNoTransform() throws {
        #expect(try ScenarioTransforms.canonical("none", model: "digits-cnn") == nil)
        #expect(try ScenarioTransforms.canonical("none", model: "minilm") == nil)
        #expect(try ScenarioTransforms.parse(nil, model: "minilm") == .none)
    }

    @Test("bad names give messages with close matches and ranges", arguments: [
        ("contrst(0.5)", "digits-cnn", ["no scenario transform 'contrst'", "did you mean 'contrast'", "contrast(factor > 0)", "noise(sigma ≥ 0)", "mix"]),
        ("contrast(0)", "digits-cnn", ["factor 0 is out of range", "factor > 0"]),
        ("contrast(-1)", "digits-cnn", ["factor > 0"]),
        ("noise(-0.1)", "digits-cnn", ["sigma ≥ 0"]),
        ("brightness(1.5)", "digits-cnn", ["-1 ≤ delta ≤ 1"]),
        ("contrast", "digits-cnn", ["missing its factor"]),
        ("contrast(0.5, 2)", "digits-cnn", ["takes one parameter, factor"]),
        ("contrast(facter=0.5)", "digits-cnn", ["unknown parameter 'facter'", "did you mean 'factor'"]),
        ("noise(abc)", "digits-cnn", ["'abc' is not a finite number"]),
        ("noise(nan)", "digits-cnn", ["not a finite number"]),
        ("mix(1)", "digits-cnn", ["mix takes no parameters"]),
        ("contrast(0.5", "digits-cnn", ["contrast(0.5", "')'"]),
        ("contrast(0.5)", "minilm", ["minilm has no scenario transform 'contrast'", "its transforms are none"]),
        ("contrast(0.5)", "resnet", ["unknown model 'resnet'", "digits-cnn, minilm"]),
    ])
    func badNames(_ text: String, _ model: String, _ fragments: [String]) {
        let error = #expect(throws: ModelError.self) { try ScenarioTransforms.validate(text, model: model) }
        let message = error?.description ?? ""
        for fragment in fragments { #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)") }
    }

    @Test func supportedListsRanges() throws {
        #expect(try ScenarioTransforms.supported(model: "digits-cnn")
            == ["none", "brightness(-1 ≤ delta ≤ 1)", "contrast(factor > 0)", "noise(sigma ≥ 0)", "mix"])
        #expect(try ScenarioTransforms.supported(model: "minilm") == ["none"])
    }
}
