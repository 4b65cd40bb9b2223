import Foundation
import QuantCore
import QuantModels
import Testing

/// Malformed `.npy` files built by hand: each is a clear error naming the file, never a crash.
@Suite("npy bad input")
struct NpyBadInputTests {
    private static let goodDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"

    /// Writes `bytes` as `name` in a fresh directory, opens it, and checks the error mentions the path and `fragments`.
    private func expectOpenFails(_ bytes: [UInt8], name: String = "bad.npy", mentioning fragments: [String],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorFileError? {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(bytes, to: name)
        return expectTensorFileError(mentioning: [path] + fragments, sourceLocation: sourceLocation) {
            _ = try NpyFile(path: path)
        }
    }

    @Test("a wrong magic string is reported with the bytes found")
    func badMagic() throws {
        var bytes = NpyBytes.make(header: Self.goodDict, data: [UInt8](repeating: 0, count: 24))
        bytes[5] = UInt8(ascii: "X")
        let error = try expectOpenFails(bytes, mentioning: ["\\x93NUMPY", "NUMPX"])
        guard case .badMagic = error else { Issue.record("expected badMagic, got \(String(describing: error))"); return }
    }

    @Test("an empty file is not a .npy file")
    func emptyFile() throws {
        _ = try expectOpenFails([], mentioning: ["empty"])
    }

    @Test("truncated data names the tensor and both byte counts")
    func truncated() throws {
        let bytes = NpyBytes.make(header: Self.goodDict, data: [UInt8](repeating: 0, count: 20))
        let error = try expectOpenFails(bytes, name: "weights.npy", mentioning: ["'weights'", "truncated", "24", "20"])
        #expect(error.map { if case .sizeMismatch = $0 { true } else { false } } == true)
    }

    @Test("extra bytes after the data are reported")
    func trailingBytes() throws {
        let bytes = NpyBytes.make(header: Self.goodDict, data: [UInt8](repeating: 0, count: 28))
        _ = try expectOpenFails(bytes, mentioning: ["4 unexpected extra bytes"])
    }

    @Test("a header length past the end of the file is reported", arguments: [UInt8(1), 2])
    func headerPastEnd(major: UInt8) throws {
        var bytes = NpyBytes.make(header: Self.goodDict, major: major, data: [])
        bytes[9] = 0x7F
        _ = try expectOpenFails(Array(bytes.prefix(40)), mentioning: ["ends inside the header"])
    }

    @Test("unsupported dtypes are named", arguments: [
        ("<c8", "complex64"), ("<U5", "str"), ("|S3", "bytes"), ("|O", "object"), ("<M8[ns]", "datetime64"),
        ("<m8[s]", "timedelta64"), ("<f16", "float128"), ("|V8", "void"),
    ])
    func unsupportedDType(descr: String, numpyName: String) throws {
        let header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }"
        let error = try expectOpenFails(NpyBytes.make(header: header, data: [UInt8](repeating: 0, count: 16)),
                                        mentioning: [descr, numpyName, "float32"])
        #expect(error.map { if case .unsupportedDType = $0 { true } else { false } } == true)
    }

    @Test("a structured dtype is named as such")
    func structured() throws {
        let header = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }"
        _ = try expectOpenFails(NpyBytes.make(header: header, data: [UInt8](repeating: 0, count: 8)),
                                mentioning: ["structured dtype", "'x'"])
    }

    @Test("malformed header dicts are errors", arguments: [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}",
        "{'descr': '<f4', 'fortran_order': False}",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': 6, }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } trailing",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 3), }",
        "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 3), }",
        "{'descr': 4, 'fortran_order': False, 'shape': (2, 3), }",
        "['descr', '<f4']",
        "{'descr': '<f4",
        "",
    ])
    func malformedDict(header: String) throws {
        _ = try expectOpenFails(NpyBytes.make(header: header, data: [UInt8](repeating: 0, count: 24)),
                                mentioning: ["header"])
    }

    @Test("deeply nested headers are refused without recursing without bound")
    func deepNesting() throws {
        let header = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        _ = try expectOpenFails(NpyBytes.make(header: header, data: []), mentioning: ["nested too deeply"])
    }

    @Test("negative extents are invalid shapes")
    func negativeShape() throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }"
        _ = try expectOpenFails(NpyBytes.make(header: header, data: []), mentioning: ["-1", "negative"])
    }

    @Test("shapes whose byte size overflows are invalid, not a crash", arguments: [
        "(4611686018427387904,)", "(4294967296, 4294967296)", "(3037000500, 3037000500, 0, 2)",
    ])
    func hugeShape(shape: String) throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(NpyBytes.make(header: header, data: [0, 0, 0, 0]), to: "huge.npy")
        #expect(throws: TensorFileError.self) { _ = try NpyFile(path: path) }
    }

    @Test("unknown format versions are reported")
    func unknownVersion() throws {
        var bytes = NpyBytes.make(header: Self.goodDict, data: [UInt8](repeating: 0, count: 24))
        bytes[6] = 4
        _ = try expectOpenFails(bytes, mentioning: ["version 4.0"])
    }

    @Test("a version 3.0 header that is not UTF-8 is reported")
    func badUTF8() throws {
        var bytes = NpyBytes.make(header: Self.goodDict, major: 3, data: [UInt8](repeating: 0, count: 24))
        bytes[20] = 0xFF
        _ = try expectOpenFails(bytes, mentioning: ["UTF-8"])
    }
}
