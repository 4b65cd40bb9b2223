import Foundation
import QuantCore
import QuantModels
import Testing

/// `.npy` files written by numpy, checked against numpy's own float32 conversion.
@Suite("npy reader")
struct NpyReaderTests {
    @Test("every dtype, byte order and memory order is read exactly", arguments: Fixtures.npyFiles)
    func readsFixture(file: String) throws {
        let expected = try #require(try Fixtures.expected().npy[file], "no oracle for \(file)")
        let source = try TensorFiles.open(path: Fixtures.path("npy", file))
        let name = String(file.dropLast(4))
        #expect(source.tensors == [TensorInfo(name: name, dtype: expected.dtype, shape: expected.shape)])
        expectMatches(try source.load(name), expected)
    }

    @Test("the fixture set covers 12 dtypes in both byte orders and memory orders")
    func coversTheGrid() throws {
        let files = Set(Fixtures.npyFiles)
        let expected = try Fixtures.expected()
        #expect(files == Set(expected.npy.keys))
        let multiByte = ["int16", "int32", "int64", "uint16", "uint32", "uint64", "float16", "float32", "float64"]
        for dtype in multiByte {
            for variant in ["le_c", "le_f", "be_c", "be_f"] { #expect(files.contains("\(dtype)_\(variant).npy")) }
        }
        for dtype in ["bool", "int8", "uint8"] { #expect(files.contains("\(dtype)_le_f.npy")) }
        for special in ["scalar_float64.npy", "empty_float32.npy", "version2_float32.npy", "version3_float32.npy"] {
            #expect(files.contains(special))
        }
    }

    @Test("a 0-d array is a scalar with an empty shape")
    func scalar() throws {
        let tensor = try NpyFile(path: Fixtures.path("npy", "scalar_float64.npy")).load("scalar_float64")
        #expect(tensor.shape == [])
        #expect(tensor.values.count == 1)
        #expect(tensor.sourceDType == "float64")
    }

    @Test("a zero-size array has no values")
    func empty() throws {
        let tensor = try NpyFile(path: Fixtures.path("npy", "empty_float32.npy")).load("empty_float32")
        #expect(tensor.shape == [0, 3])
        #expect(tensor.values.isEmpty)
    }

    @Test("an unknown name is an error that suggests the file's tensor")
    func unknownName() throws {
        let path = Fixtures.path("npy", "float32_le_c.npy")
        let file = try NpyFile(path: path)
        expectTensorFileError(mentioning: [path, "weights", "float32_le_c"]) { _ = try file.load("weights") }
    }

    @Test("Python 2 long integers in the shape are read")
    func python2Header() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 1L), }"
        let path = try scratch.write(NpyBytes.make(header: header, data: [1, 0, 0xFF, 0xFF]), to: "legacy.npy")
        let tensor = try NpyFile(path: path).load("legacy")
        #expect(tensor.shape == [2, 1])
        #expect(tensor.values == [1, -1])
    }

    @Test("double-quoted strings and extra whitespace in the header dict are accepted")
    func looseHeader() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let header = "{ \"shape\" : ( 2 , ) ,\"descr\":\">u2\", 'fortran_order':True}"
        let path = try scratch.write(NpyBytes.make(header: header, data: [0x01, 0x02, 0xFF, 0xFE]), to: "loose.npy")
        let tensor = try NpyFile(path: path).load("loose")
        #expect(tensor.values == [258, 65534])
        #expect(tensor.sourceDType == "uint16")
    }

    @Test("all 65536 float16 codes widen exactly, in both byte orders", arguments: ["<", ">"])
    func everyFloat16Code(order: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let codes = (0...UInt16.max).map { $0 }
        let data = codes.flatMap { code in
            order == "<" ? [UInt8(code & 0xFF), UInt8(code >> 8)] : [UInt8(code >> 8), UInt8(code & 0xFF)]
        }
        let header = "{'descr': '\(order)f2', 'fortran_order': False, 'shape': (65536,), }"
        let path = try scratch.write(NpyBytes.make(header: header, data: data), to: "codes.npy")
        let values = try NpyFile(path: path).load("codes").values
        // Swift's own Float16 conversion is the reference here (numpy agrees on the fixtures above).
        let expected = codes.map { Float(Float16(bitPattern: $0)).bitPattern }
        #expect(bitMismatches(values, expected).isEmpty, "\(bitMismatches(values, expected).prefix(5))")
    }
}

/// Builds `.npy` bytes by hand, independently of the writer under test.
enum NpyBytes {
    /// Magic, version, little-endian header length, the header padded with spaces and a newline, then `data`.
    static func make(header: String, major: UInt8 = 1, data: [UInt8]) -> [UInt8] {
        var text = Array(header.utf8)
        let prefix = major == 1 ? 10 : 12
        while (prefix + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        let lengthBytes = major == 1 ? 2 : 4
        for index in 0..<lengthBytes { bytes.append(UInt8(truncatingIfNeeded: text.count >> (8 * index))) }
        return bytes + text + data
    }
}
