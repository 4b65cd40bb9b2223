import Foundation
import QuantCore
import QuantModels
import Testing

/// What make_digits_fixtures.py computed with numpy from the pinned digits.csv.gz.
struct DigitsOracle: Decodable {
    struct Split: Decodable {
        var calibration: [Int]
        var evaluation: [Int]
        var calibrationLabelCounts: [Int]
        var evaluationLabelCounts: [Int]
    }

    var count: Int
    var csvGzSha256: String
    var firstPixels: [Int]
    var labelCounts: [Int]
    var splitmix64Seed0First4: [String]
    var splits: [String: Split]
    var imageIndices: [Int]
    var imageLabels: [Int]

    static func load() throws -> DigitsOracle {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("digits", "expected.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DigitsOracle.self, from: data)
    }
}

/// The counts of each label 0…9 among `indices`.
func labelCounts(_ dataset: DigitsDataset, _ indices: [Int]) -> [Int] {
    var counts = [Int](repeating: 0, count: 10)
    for index in indices { counts[dataset.labels[index]] += 1 }
    return counts
}

/// Tests on the real data set: they fail (never skip) when the asset is missing, with the
/// message that says to run `quantbench fetch-assets`.
@Suite("Digits data set against numpy")
struct DigitsDatasetTests {
    @Test("reads all 1797 rows of the pinned file, as numpy's loadtxt does")
    func readsPinnedFile() throws {
        let oracle = try DigitsOracle.load()
        let pin = try realAssetStore.pin(asset: DigitsDataset.assetID, file: DigitsDataset.assetFile)
        #expect(oracle.csvGzSha256 == pin.sha256, "the fixture was made from another file; re-run the script")
        let dataset = try DigitsDataset.load(from: realAssetStore)
        #expect(dataset.count == 1797 && oracle.count == 1797)
        #expect(dataset.pixels.count == 1797 * 64)
        #expect(try dataset.pixels(at: 0).map(Int.init) == oracle.firstPixels)
        #expect(labelCounts(dataset, Array(0..<dataset.count)) == oracle.labelCounts)
        #expect(dataset.pixels.allSatisfy { $0 <= 16 })
    }

    @Test("SplitMix64 gives the values of the Python implementation (and the published 0xE220A8397B1DCDAF)")
    func splitMixMatchesPython() throws {
        let oracle = try DigitsOracle.load()
        var rng = SplitMix64(seed: 0)
        let values = (0..<4).map { _ in String(rng.next()) }
        #expect(values == oracle.splitmix64Seed0First4)
        #expect(UInt64(oracle.splitmix64Seed0First4[0]) == 0xE220_A839_7B1D_CDAF)
    }

    @Test("the split matches numpy's for seeds 0 and 42", arguments: [UInt64(0), 42])
    func splitMatchesNumpy(seed: UInt64) throws {
        let oracle = try DigitsOracle.load()
        let expected = try #require(oracle.splits[String(seed)])
        let dataset = try DigitsDataset.load(from: realAssetStore)
        let split = dataset.split(seed: seed)
        #expect(split.seed == seed)
        #expect(split.calibration == expected.calibration)
        #expect(split.evaluation == expected.evaluation)
        #expect(labelCounts(dataset, split.calibration) == expected.calibrationLabelCounts)
        #expect(labelCounts(dataset, split.evaluation) == expected.evaluationLabelCounts)
    }

    @Test("the default split is seed 0: 256 calibration and 1541 evaluation images, disjoint, covering all")
    func defaultSplit() throws {
        let dataset = try DigitsDataset.load(from: realAssetStore)
        let split = dataset.split()
        #expect(split == dataset.split(seed: 0))
        #expect(split.calibration.count == 256 && split.evaluation.count == 1541)
        #expect(Set(split.calibration).isDisjoint(with: split.evaluation))
        #expect((split.calibration + split.evaluation).sorted() == Array(0..<1797))
        #expect(split.evaluation == split.evaluation.sorted())
        #expect(split != dataset.split(seed: 1))
    }

    @Test("preprocessed images equal numpy's within 1e-7, in one [N, 1, 28, 28] buffer")
    func preprocessingMatchesNumpy() throws {
        let oracle = try DigitsOracle.load()
        let dataset = try DigitsDataset.load(from: realAssetStore)
        let batch = try dataset.batch(oracle.imageIndices)
        let source = try TensorFiles.open(path: Fixtures.path("digits", "images.npy"))
        let name = try #require(source.tensors.first?.name)
        let expected = try source.load(name)
        #expect(expected.shape == [6, 1, 28, 28] && batch.shape == expected.shape)
        #expect(batch.labels == oracle.imageLabels && batch.indices == oracle.imageIndices)
        #expect(batch.values.count == expected.values.count)
        let worst = zip(batch.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-7, "largest difference \(worst)")
        let tensor = try batch.tensor()
        #expect(tensor.shape == [6, 1, 28, 28] && tensor.values == batch.values)
        #expect(try dataset.image(at: oracle.imageIndices[2]) == Array(batch.values[2 * 784..<3 * 784]))
    }
}

@Suite("Digits preprocessing by hand")
struct DigitsPreprocessingTests {
    @Test("one lit pixel becomes a 2×2 block at 6 + 2·(row, column); everything else is the normalized zero")
    func singlePixelPlacement() throws {
        // Row 0: pixel (row 2, column 5) = 16, label 7. Row 1: all zero, label 0.
        var first = [String](repeating: "0", count: 64)
        first[2 * 8 + 5] = "16.0"
        let csv = (first + ["7"]).joined(separator: ",") + "\n" + ([String](repeating: "0.0", count: 64) + ["0"]).joined(separator: ",") + "\n"
        let dataset = try DigitsDataset(csv: Data(csv.utf8), path: "hand.csv")
        #expect(dataset.count == 2 && dataset.labels == [7, 0])
        let image = try dataset.image(at: 0)
        let background: Float = -0.424_212_9  // (0 - 0.1307) / 0.3081
        let ink: Float = 2.821_486_5  // (1 - 0.1307) / 0.3081
        #expect(abs(DigitsPreprocessing.normalized(0) - background) < 1e-6)
        #expect(abs(DigitsPreprocessing.normalized(16) - ink) < 1e-6)
        let lit = Set([(10, 16), (10, 17), (11, 16), (11, 17)].map { $0.0 * 28 + $0.1 })
        for (index, value) in image.enumerated() {
            let want = lit.contains(index) ? DigitsPreprocessing.normalized(16) : DigitsPreprocessing.normalized(0)
            #expect(value == want, "pixel \(index / 28), \(index % 28)")
            if value != want { break }
        }
        let blank = try dataset.image(at: 1)
        #expect(blank.count == 784 && blank.allSatisfy { $0 == DigitsPreprocessing.normalized(0) })
    }

    @Test("a batch keeps the order and repeats of its indices; an index outside the set is an error")
    func batchOrderAndBounds() throws {
        let rows = (0..<3).map { label in ([String](repeating: String(label * 5), count: 64) + [String(label)]).joined(separator: ",") }
        let dataset = try DigitsDataset(csv: Data(rows.joined(separator: "\r\n").utf8), path: "three.csv")
        let batch = try dataset.batch([2, 0, 2])
        #expect(batch.shape == [3, 1, 28, 28] && batch.labels == [2, 0, 2])
        #expect(batch.values[0 * 784 + 14 * 28 + 14] == DigitsPreprocessing.normalized(10))
        #expect(batch.values[1 * 784 + 14 * 28 + 14] == DigitsPreprocessing.normalized(0))
        #expect(Array(batch.values[0..<784]) == Array(batch.values[1568..<2352]))
        #expect(try dataset.batch([]).shape == [0, 1, 28, 28])
        let error = #expect(throws: DatasetError.self) { _ = try dataset.batch([0, 3]) }
        #expect(error?.description.contains("image index 3 is outside the data set (0..<3)") == true)
    }

    @Test("a split of a small set: clamped calibration count, every index once")
    func smallSplits() {
        #expect(DigitsSplit(count: 0).calibration.isEmpty)
        let one = DigitsSplit(count: 1, seed: 9)
        #expect(one.calibration == [0] && one.evaluation.isEmpty)
        let ten = DigitsSplit(count: 10, seed: 3, calibrationCount: 4)
        #expect(ten.calibration.count == 4 && (ten.calibration + ten.evaluation).sorted() == Array(0..<10))
        #expect(DigitsSplit(count: 10, calibrationCount: -1).evaluation == Array(0..<10))
    }
}
