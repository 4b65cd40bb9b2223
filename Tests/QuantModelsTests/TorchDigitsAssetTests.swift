import Foundation
import QuantCore
import QuantModels
import Testing

/// The real model file: the digit recognizer CNN shipped in the PyPI wheel
/// `digit-recognizer-py==0.1.0` (`digit_recognizer/models/handwriting_model.pth`), kept in the
/// ignored asset cache `$QUANTBENCH_ASSETS/digits-cnn/` (`.assets` under the package root by
/// default) by `quantbench fetch-assets`. Names, shapes, dtypes and per-tensor sums come from
/// torch (make_torch_fixtures.py → digits_cnn_expected.json).
@Suite("torch zip reader on the digits CNN asset")
struct TorchDigitsAssetTests {
    struct Expected: Decodable {
        struct Entry: Decodable {
            var name: String
            var dtype: String
            var shape: [Int]
            var sum: Double
            var sumOfSquares: Double

            enum CodingKeys: String, CodingKey {
                case name, dtype, shape, sum
                case sumOfSquares = "sum_of_squares"
            }
        }

        var file: String
        var sha256: String
        var tensors: [Entry]
    }

    /// The asset cache folder: `$QUANTBENCH_ASSETS`, or `.assets` in the current directory.
    static var assetsDirectory: URL {
        let configured = ProcessInfo.processInfo.environment["QUANTBENCH_ASSETS"].flatMap { $0.isEmpty ? nil : $0 }
        return URL(fileURLWithPath: configured ?? ".assets")
    }

    /// `actual` within `relative` of `expected` (float32 values summed in another order).
    static func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-5) -> Bool {
        abs(actual - expected) <= relative * max(abs(expected), 1e-6)
    }

    @Test("every tensor of handwriting_model.pth has torch's name, shape, dtype, sum and sum of squares")
    func matchesTorch() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("torch", "digits_cnn_expected.json")))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        let path = Self.assetsDirectory.appendingPathComponent(expected.file).path
        let hint = "the model asset \(path) is missing: run `quantbench fetch-assets` (it downloads "
            + "digit-recognizer-py==0.1.0 and checks sha256 \(expected.sha256))"
        try #require(FileManager.default.fileExists(atPath: path), "\(hint)")
        let source = try TensorFiles.open(path: path)
        #expect(source is TorchZipFile)
        #expect(source.tensors.map(\.name) == expected.tensors.map(\.name))
        for entry in expected.tensors {
            let tensor = try source.load(entry.name)
            #expect(tensor.shape == entry.shape, "\(entry.name)")
            #expect(tensor.sourceDType == entry.dtype, "\(entry.name)")
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            let squares = tensor.values.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(Self.isClose(sum, entry.sum), "\(entry.name): sum \(sum), torch \(entry.sum)")
            #expect(Self.isClose(squares, entry.sumOfSquares), "\(entry.name): sum of squares \(squares), torch \(entry.sumOfSquares)")
        }
    }
}
