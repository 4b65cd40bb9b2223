import Foundation
import QuantCore
import QuantModels
import Testing

/// Scenario transforms and calibration-set selection without any model: values derived by hand
/// on a synthetic image, and selections and generators against make_scenario_fixtures.py.
@Suite("Scenario transforms and calibration sets")
struct ScenarioTransformTests {
    /// One 8×8 image with every pixel 8 (x = 0.5), label 3: its 28×28 [0, 1] image is 0.5 on the
    /// central 16×16 block (256 values) and 0 on the padding, so its mean is 128 / 784.
    static let flat = Result { try DigitsDataset(csv: Data((Array(repeating: "8", count: 64) + ["3"]).joined(separator: ",").utf8), path: "flat.csv") }

    /// Normalized value of a [0, 1] value, as torchvision's Normalize((0.1307,), (0.3081,)).
    static func normalized(_ x: Double) -> Double { (x - 0.1307) / 0.3081 }

    /// (inside the digit block, on the padding) of the one image under `transform` as item `item`.
    static func insideAndPadding(_ transform: ImageTransform, item: Int = 0) throws -> (Double, Double) {
        let batch = try flat.get().batch([0], items: [item], scenario: ImageScenario(transform: transform))
        let inside = 14 * 28 + 14, padding = 0
        // The whole block and the whole padding each hold one value.
        let block: [Float] = (6..<22).flatMap { (r: Int) -> [Float] in (6..<22).map { (c: Int) -> Float in batch.values[r * 28 + c] } }
        #expect(Set(block).count == 1)
        #expect(batch.values[783] == batch.values[padding])
        return (Double(batch.values[inside]), Double(batch.values[padding]))
    }

    static func expectClose(_ value: (Double, Double), _ expected: (Double, Double), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(value.0 - expected.0) < 1e-5 && abs(value.1 - expected.1) < 1e-5, "\(value) vs \(expected)", sourceLocation: sourceLocation)
    }

    @Test("brightness adds delta and clips to [0, 1], before the normalisation")
    func brightness() throws {
        Self.expectClose(try Self.insideAndPadding(.brightness(delta: 0.2)), (Self.normalized(0.7), Self.normalized(0.2)))
        Self.expectClose(try Self.insideAndPadding(.brightness(delta: -0.2)), (Self.normalized(0.3), Self.normalized(0)))
        Self.expectClose(try Self.insideAndPadding(.brightness(delta: 0.8)), (Self.normalized(1), Self.normalized(0.8)))
    }

    @Test("contrast scales around the 28×28 image's mean 128/784 and clips")
    func contrast() throws {
        let m = 128.0 / 784
        // factor 2: inside m + 2(0.5 − m) = 1 − m; padding m − 2m = −m, clipped to 0.
        Self.expectClose(try Self.insideAndPadding(.contrast(factor: 2)), (Self.normalized(1 - m), Self.normalized(0)))
        // factor 0.5: inside 0.25 + m/2; padding m/2.
        Self.expectClose(try Self.insideAndPadding(.contrast(factor: 0.5)), (Self.normalized(0.25 + m / 2), Self.normalized(m / 2)))
    }

    @Test("identity and noise(0) give the plain preprocessing bit for bit")
    func identity() throws {
        let dataset = try Self.flat.get()
        let plain = try dataset.batch([0]).values
        #expect(try dataset.batch([0], items: [5], scenario: ImageScenario(transform: .noise(sigma: 0), seed: 9)).values == plain)
        #expect(try dataset.batch([0], items: [6], scenario: ImageScenario(transform: .mix)).values == plain, "item 6 of mix is identity")
        Self.expectClose(try Self.insideAndPadding(.none), (Self.normalized(0.5), Self.normalized(0)))
    }

    @Test("mix gives item k the k mod 6-th scenario")
    func mix() throws {
        let m = 128.0 / 784
        Self.expectClose(try Self.insideAndPadding(.mix, item: 1), (Self.normalized(0.25 + m / 2), Self.normalized(m / 2)))
        Self.expectClose(try Self.insideAndPadding(.mix, item: 9), (Self.normalized(0.7), Self.normalized(0.2)))
        Self.expectClose(try Self.insideAndPadding(.mix, item: 4), (Self.normalized(0.3), Self.normalized(0)))
        #expect(ImageTransform.mix.scenario(forItem: 11) == .noise(sigma: 0.1))
    }

    @Test("noise: deterministic per (seed, split, item), different otherwise, within [0, 1] before normalising")
    func noise() throws {
        let dataset = try Self.flat.get()
        func values(seed: Int, split: ScenarioSplit = .calibration, item: Int = 0) throws -> [Float] {
            try dataset.batch([0], items: [item], scenario: ImageScenario(transform: .noise(sigma: 0.3), seed: seed, split: split)).values
        }
        #expect(try values(seed: 1) == values(seed: 1))
        #expect(try values(seed: 1) != values(seed: 2))
        #expect(try values(seed: 1) != values(seed: 1, split: .evaluation))
        #expect(try values(seed: 1) != values(seed: 1, item: 1))
        let low = Float(Self.normalized(0)) - 1e-6, high = Float(Self.normalized(1)) + 1e-6
        #expect(try values(seed: 1).allSatisfy { $0 >= low && $0 <= high })
    }

    @Test("item generators and their normal samples match the Python implementation")
    func generatorsMatchPython() throws {
        let oracle = try ScenarioOracle.load()
        for (x, expected) in oracle.mix64 { #expect(String(ScenarioRandom.mix64(UInt64(x)!)) == expected) }
        for case_ in oracle.gaussians {
            var rng = ScenarioRandom.generator(seed: case_.seed, split: ScenarioSplit(rawValue: case_.split)!, item: case_.item)
            for expected in case_.values {
                let z = ScenarioRandom.gaussian(&rng)
                #expect(abs(z - expected) <= 1e-12 * max(1, abs(expected)), "\(case_.seed)/\(case_.item): \(z) vs \(expected)")
            }
        }
    }
}
