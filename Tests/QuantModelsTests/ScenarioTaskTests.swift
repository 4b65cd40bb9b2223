import Foundation
import QuantCore
@testable import QuantModels
import Testing

/// The zoo tasks as ``ScenarioTask``s on the real assets, against make_scenario_fixtures.py:
/// digests and pixel values computed by numpy (digits) and Hugging Face's tokenizers (MiniLM).
/// A missing asset fails the tests with the message that says to run `quantbench fetch-assets`.
@Suite("Scenario tasks against numpy", .serialized)
struct ScenarioTaskTests {
    static let digits = Result { try ModelZoo.task(named: "digits-cnn", store: realAssetStore) }
    static let miniLM = Result { try ModelZoo.task(named: "minilm", store: realAssetStore) }

    static func images(_ task: any ScenarioTask, evaluation: Bool = false) throws -> [Float] {
        let digits = try #require(task as? DigitsTask)
        return evaluation ? digits.evaluation.images : digits.calibration.images
    }

    /// Checks the values at `oracle.pixels` of the first two images of `values` against the fixture.
    static func expectPixels(_ values: [Float], _ expected: ScenarioOracle.Images, pixels: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        for (image, row) in [expected.first, expected.second].enumerated() {
            for (pixel, value) in zip(pixels, row) {
                let found = Double(values[image * 784 + pixel])
                #expect(abs(found - value) <= 1e-6, "\(expected.transform) image \(image) pixel \(pixel): \(found) vs \(value)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("every calibration set's images and digest are numpy's", arguments: 0..<11)
    func digitsCalibrationMatchesNumpy(case index: Int) throws {
        let oracle = try ScenarioOracle.load()
        let expected = oracle.calibration[index]
        let set = CalibrationSet(size: expected.size, seed: try #require(expected.seed), transform: expected.transform)
        let task = try Self.digits.get().calibrating(on: set)
        #expect(task.calibrationCount == expected.positions?.count)
        #expect(task.calibrationDigest() == expected.digest, "\(set)")
        Self.expectPixels(try Self.images(task), expected, pixels: oracle.pixels)
    }

    @Test("the task as loaded calibrates on the whole pool, as numpy preprocesses it")
    func defaultTaskIsTheWholePool() throws {
        let task = try Self.digits.get()
        let whole = try #require(try ScenarioOracle.load().calibration.first { $0.size == nil })
        #expect(task.calibrationCount == 256 && task.calibrationDigest() == whole.digest)
        #expect(try task.calibrating(on: CalibrationSet()).calibrationDigest() == whole.digest)
    }

    @Test("seed 0 takes the prefix that calibrate(count:) took before")
    func seedZeroIsTheOldPrefix() throws {
        let task = try Self.digits.get()
        let old = try Self.images(task)
        for size in [1, 64, 200] {
            let narrowed = try task.calibrating(on: CalibrationSet(size: size))
            #expect(try Self.images(narrowed) == Array(old.prefix(size * 784)), "size \(size)")
            #expect(narrowed.calibrationCount == size)
            try narrowed.calibrate(count: narrowed.calibrationCount, context: .plain)
        }
    }

    @Test("evaluation under a transform is numpy's, and the calibration set is unchanged", arguments: 0..<3)
    func digitsEvaluationMatchesNumpy(case index: Int) throws {
        let oracle = try ScenarioOracle.load()
        let expected = oracle.evaluation[index]
        let base = try Self.digits.get()
        let task = try base.evaluating(under: expected.transform)
        let values = Array(try Self.images(task, evaluation: true).prefix(20 * 784))
        #expect(CalibrationDigest.floats(values) == expected.digest)
        Self.expectPixels(values, expected, pixels: oracle.pixels)
        #expect(task.evaluationCount == 1541 && task.calibrationDigest() == base.calibrationDigest())
        #expect(try Self.images(try task.evaluating(under: nil), evaluation: true) == Self.images(base, evaluation: true))
    }

    @Test("the digest is stable for one set and changes with the seed, the size or the transform")
    func digestChangesWithTheSet() throws {
        let task = try Self.digits.get()
        func digest(_ size: Int?, _ seed: Int, _ transform: String?) throws -> String {
            try task.calibrating(on: CalibrationSet(size: size, seed: seed, transform: transform)).calibrationDigest()
        }
        let reference = try digest(32, 5, "noise(0.1)")
        #expect(try digest(32, 5, "noise(0.1)") == reference)
        #expect(try digest(32, 5, "noise(sigma=0.10)") == reference)
        #expect(try task.evaluating(under: "mix").calibrating(on: CalibrationSet(size: 32, seed: 5, transform: "noise(0.1)")).calibrationDigest() == reference)
        let others = try [digest(32, 6, "noise(0.1)"), digest(33, 5, "noise(0.1)"), digest(32, 5, "noise(0.2)"), digest(32, 5, nil), digest(32, 5, "mix")]
        #expect(Set(others + [reference]).count == 6, "\(others)")
        #expect(try digest(32, 0, nil) == digest(32, 0, "none"))
    }

    @Test("digits errors name the model, the pool and the transform")
    func digitsErrors() throws {
        let task = try Self.digits.get()
        let tooLarge = #expect(throws: ModelError.self) { try task.calibrating(on: CalibrationSet(size: 257)) }
        #expect(tooLarge == .calibrationSetTooLarge(model: "digits-cnn", pool: 256, requested: 257))
        let unknown = #expect(throws: ModelError.self) { try task.calibrating(on: CalibrationSet(size: 8, transform: "blur(2)")) }
        #expect(unknown?.description.contains("digits-cnn has no scenario transform 'blur'") == true, "\(String(describing: unknown))")
        let bad = #expect(throws: ModelError.self) { try task.evaluating(under: "contrast(-2)") }
        #expect(bad?.description.contains("factor > 0") == true)
        #expect(task.sourceFiles.count == 1 && task.sourceFiles[0].hasSuffix("digits-cnn/handwriting_model.pth"))
    }

    @Test("MiniLM calibration sets are the fast tokenizer's ids of the drawn documents", arguments: 0..<4)
    func miniLMMatchesTokenizers(case index: Int) throws {
        let expected = try ScenarioOracle.load().minilm[index]
        let task = try Self.miniLM.get().calibrating(on: CalibrationSet(size: expected.size, seed: expected.seed))
        #expect(task.calibrationCount == expected.positions.count)
        #expect(task.calibrationDigest() == expected.digest, "seed \(expected.seed) size \(String(describing: expected.size))")
    }

    @Test("MiniLM accepts only none, names its pool, and lists its files")
    func miniLMErrors() throws {
        let task = try Self.miniLM.get()
        #expect(task.calibrationCount == 300)
        let tooLarge = #expect(throws: ModelError.self) { try task.calibrating(on: CalibrationSet(size: 301, seed: 2)) }
        #expect(tooLarge == .calibrationSetTooLarge(model: "minilm", pool: 300, requested: 301))
        let transform = #expect(throws: ModelError.self) { try task.calibrating(on: CalibrationSet(size: 8, transform: "contrast(0.5)")) }
        #expect(transform?.description.contains("its transforms are none") == true)
        let evaluation = #expect(throws: ModelError.self) { try task.evaluating(under: "noise(0.1)") }
        #expect(evaluation?.description.contains("minilm: scenario transform 'noise(0.1)'") == true)
        #expect(try task.evaluating(under: "none").evaluationCount == task.evaluationCount)
        #expect(try task.calibrating(on: CalibrationSet(size: 8, transform: "none")).calibrationCount == 8)
        let names = task.sourceFiles.map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(names == ["model.safetensors", "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json"])
    }
}
