import Foundation
import QuantCore
import QuantModels
import Testing

extension Tag {
    /// Tests that time the readers against a bulk copy.
    /// Tests that write files for the Python interop check in make_fixtures.py.
    @Tag static var interop: Self
}

/// The committed fixtures and the oracle values make_fixtures.py computed for them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ components: String...) -> String {
        components.reduce(directory) { $0.appendingPathComponent($1) }.path
    }

    /// The `.npy` fixture names, listed from disk so a missing oracle entry is a failure, not a skip.
    static var npyFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path("npy"))) ?? []
        return names.filter { $0.hasSuffix(".npy") }.sorted()
    }

    static func expected() throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("expected.json")))
        return try JSONDecoder().decode(Expected.self, from: data)
    }
}

/// One tensor as numpy / ml_dtypes see it: its dtype, shape and float32 bit patterns in C order.
struct ExpectedTensor: Decodable {
    var dtype: String
    var shape: [Int]
    var bits: [UInt32]
    var name: String?

    var values: [Float] { bits.map(Float.init(bitPattern:)) }
}

/// The contents of expected.json.
struct Expected: Decodable {
    struct SafetensorsFixture: Decodable {
        var metadata: [String: String]
        var tensors: [String: ExpectedTensor]
    }
    struct WriterNpy: Decodable {
        var tensor: String
        var elementType: String
    }
    struct WriterSafetensors: Decodable {
        var elementType: String
        var metadata: [String: String]
    }
    struct Writer: Decodable {
        var tensors: [String: ExpectedTensor]
        var npy: [String: WriterNpy]
        var safetensors: [String: WriterSafetensors]
    }
    struct Rounding: Decodable {
        var input: [UInt32]
        var float16: [UInt32]
        var bfloat16: [UInt32]
    }

    var npy: [String: ExpectedTensor]
    var npz: [String: [String: ExpectedTensor]]
    var safetensors: [String: SafetensorsFixture]
    var writer: Writer
    var rounding: Rounding
}

/// Checks shape, dtype and every value bit for bit (NaN matches any NaN).
func expectMatches(_ tensor: Tensor, _ expected: ExpectedTensor, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(tensor.shape == expected.shape, "shape of \(tensor.name)", sourceLocation: sourceLocation)
    #expect(tensor.sourceDType == expected.dtype, "dtype of \(tensor.name)", sourceLocation: sourceLocation)
    #expect(tensor.values.count == expected.bits.count, "count of \(tensor.name)", sourceLocation: sourceLocation)
    let mismatches = bitMismatches(tensor.values, expected.bits)
    #expect(mismatches.isEmpty, "\(tensor.name): \(mismatches.prefix(5))", sourceLocation: sourceLocation)
}

/// The indices and values where `values` differ from `bits` (NaN matches any NaN).
func bitMismatches(_ values: [Float], _ bits: [UInt32]) -> [String] {
    zip(values, bits).enumerated().compactMap { index, pair in
        let (value, bit) = pair
        let expected = Float(bitPattern: bit)
        let same = expected.isNaN ? value.isNaN : value.bitPattern == bit
        return same ? nil : "[\(index)] got \(value) (0x\(String(value.bitPattern, radix: 16))), expected \(expected) (0x\(String(bit, radix: 16)))"
    }
}

/// A temporary directory for files a test builds; removed by ``remove()``.
struct ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("QuantModelsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to a file named `name` and returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body`, requires it to throw a `TensorFileError`, and checks the message names `fragments`.
@discardableResult
func expectTensorFileError(
    mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> TensorFileError? {
    let error = #expect(throws: TensorFileError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    for fragment in fragments {
        #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)", sourceLocation: sourceLocation)
    }
    return error
}
