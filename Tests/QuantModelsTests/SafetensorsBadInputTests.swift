import Foundation
import QuantCore
import QuantModels
import Testing

/// Builds `.safetensors` bytes by hand, independently of the writer under test.
enum SafetensorsBytes {
    /// The header length (or `declaredLength`), the JSON, then `data`.
    static func make(json: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let text = Array(json.utf8)
        let length = declaredLength ?? UInt64(text.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + text + data
    }

    /// A JSON entry for one tensor.
    static func entry(_ name: String, dtype: String = "F32", shape: String = "[2]", offsets: String) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }
}

/// Malformed `.safetensors` files built by hand: each is a clear error naming the file (and tensor).
@Suite("safetensors bad input")
struct SafetensorsBadInputTests {
    /// Writes `bytes`, opens them, and checks the error mentions the path and `fragments`.
    @discardableResult
    private func expectOpenFails(_ bytes: [UInt8], mentioning fragments: [String],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorFileError? {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(bytes, to: "model.safetensors")
        return expectTensorFileError(mentioning: [path] + fragments, sourceLocation: sourceLocation) {
            _ = try TensorFiles.open(path: path)
        }
    }

    private func file(_ entries: String..., data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> [UInt8] {
        SafetensorsBytes.make(json: "{" + entries.joined(separator: ",") + "}", data: data)
    }

    @Test("a header length past the end of the file")
    func headerPastEnd() throws {
        let json = "{" + SafetensorsBytes.entry("w", offsets: "[0,8]") + "}"
        try expectOpenFails(SafetensorsBytes.make(json: json, data: [UInt8](repeating: 0, count: 8), declaredLength: 1 << 40),
                            mentioning: ["header length 1099511627776", "past the end"])
        try expectOpenFails(SafetensorsBytes.make(json: json, data: [], declaredLength: UInt64.max),
                            mentioning: ["past the end"])
    }

    @Test("a file shorter than the length field")
    func tooShort() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write([1, 0, 0], to: "tiny.safetensors")
        expectTensorFileError(mentioning: [path, "3 bytes"]) { _ = try SafetensorsFile(path: path) }
    }

    @Test("invalid JSON", arguments: ["{\"w\": {\"dtype\": \"F32\",", "not json at all", "[1, 2]"])
    func invalidJSON(json: String) throws {
        try expectOpenFails(SafetensorsBytes.make(json: json, data: []), mentioning: ["header"])
    }

    @Test("offsets past the end of the data section name the tensor")
    func offsetsPastEnd() throws {
        let error = try expectOpenFails(file(SafetensorsBytes.entry("layer.weight", shape: "[4]", offsets: "[8,24]")),
                                        mentioning: ["'layer.weight'", "[8, 24]", "16 bytes"])
        #expect(error == .offsetsOutOfRange(path: error.map(pathOf) ?? "", tensor: "layer.weight", begin: 8, end: 24,
                                            dataSize: 16))
    }

    @Test("begin after end names the tensor")
    func beginAfterEnd() throws {
        try expectOpenFails(file(SafetensorsBytes.entry("bias", shape: "[0]", offsets: "[8,4]")),
                            mentioning: ["'bias'", "[8, 4]"])
    }

    @Test("negative offsets name the tensor")
    func negativeOffsets() throws {
        try expectOpenFails(file(SafetensorsBytes.entry("bias", offsets: "[-8,0]")), mentioning: ["'bias'"])
    }

    @Test("overlapping ranges name both tensors")
    func overlapping() throws {
        let bytes = file(SafetensorsBytes.entry("a", shape: "[3]", offsets: "[0,12]"),
                         SafetensorsBytes.entry("b", shape: "[2]", offsets: "[8,16]"))
        let error = try expectOpenFails(bytes, mentioning: ["'a'", "'b'", "overlapping"])
        #expect(error.map { if case .overlappingTensors = $0 { true } else { false } } == true)
    }

    @Test("an unknown dtype is named and the supported ones listed", arguments: ["F4", "C64", "f32", "E8M0"])
    func unknownDType(dtype: String) throws {
        try expectOpenFails(file(SafetensorsBytes.entry("scales", dtype: dtype, offsets: "[0,8]")),
                            mentioning: ["'scales'", "'\(dtype)'", "F32", "BF16", "F8_E4M3", "F8_E5M2"])
    }

    @Test("a byte range that disagrees with shape and dtype")
    func sizeMismatch() throws {
        let error = try expectOpenFails(file(SafetensorsBytes.entry("w", shape: "[2,2]", offsets: "[0,12]")),
                                        mentioning: ["'w'", "16", "12"])
        #expect(error.map { if case .sizeMismatch = $0 { true } else { false } } == true)
    }

    @Test("invalid shapes name the tensor", arguments: ["[-2]", "[2.5]", "\"2\"", "[2, null]", "[1e30]"])
    func invalidShape(shape: String) throws {
        try expectOpenFails(file(SafetensorsBytes.entry("w", shape: shape, offsets: "[0,8]")),
                            mentioning: ["'w'", "shape"])
    }

    @Test("a shape whose byte size overflows is invalid, not a crash")
    func hugeShape() throws {
        try expectOpenFails(file(SafetensorsBytes.entry("w", shape: "[4294967296,4294967296]", offsets: "[0,8]")),
                            mentioning: ["'w'", "64-bit"])
    }

    @Test("bad data_offsets and entries name the tensor", arguments: ["[0]", "[0,8,16]", "\"0-8\"", "[0,1e3]"])
    func badOffsets(offsets: String) throws {
        try expectOpenFails(file(SafetensorsBytes.entry("w", offsets: offsets)), mentioning: ["'w'", "data_offsets"])
    }

    @Test("an entry that is not an object names the tensor")
    func entryNotObject() throws {
        try expectOpenFails(file("\"w\":[1,2]"), mentioning: ["'w'"])
    }

    @Test("metadata must map strings to strings")
    func badMetadata() throws {
        try expectOpenFails(file("\"__metadata__\":{\"step\":3}"), mentioning: ["__metadata__"])
    }

    @Test("gaps between tensors and an empty header are accepted")
    func lenientLayouts() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let gap = file(SafetensorsBytes.entry("a", shape: "[1]", offsets: "[0,4]"),
                       SafetensorsBytes.entry("b", shape: "[1]", offsets: "[8,12]"))
        let path = try scratch.write(gap, to: "gap.safetensors")
        #expect(try SafetensorsFile(path: path).tensors.map(\.name) == ["a", "b"])
        let emptyPath = try scratch.write(SafetensorsBytes.make(json: "{}", data: []), to: "empty.safetensors")
        #expect(try SafetensorsFile(path: emptyPath).tensors.isEmpty)
    }
}

/// The path an error names.
private func pathOf(_ error: TensorFileError) -> String {
    if case let .offsetsOutOfRange(path, _, _, _, _) = error { return path }
    return ""
}
