import Foundation
import QuantCore
import QuantModels
import Testing

/// `.safetensors` files written by the safetensors package (torch and numpy front ends).
@Suite("safetensors reader")
struct SafetensorsReaderTests {
    @Test("every dtype is read exactly", arguments: ["mixed.safetensors", "unsigned.safetensors"])
    func readsFile(file: String) throws {
        let expected = try #require(try Fixtures.expected().safetensors[file])
        let source = try SafetensorsFile(path: Fixtures.path(file))
        #expect(source.metadata == expected.metadata)
        #expect(Set(source.tensors.map(\.name)) == Set(expected.tensors.keys))
        for info in source.tensors {
            let oracle = try #require(expected.tensors[info.name])
            #expect(info.dtype == oracle.dtype)
            #expect(info.shape == oracle.shape)
            expectMatches(try source.load(info.name), oracle)
        }
    }

    @Test("the mixed fixture covers F32 F16 BF16 I8 I64 U8 F8_E4M3 F8_E5M2 BOOL F64 I16 I32")
    func coversDTypes() throws {
        let source = try SafetensorsFile(path: Fixtures.path("mixed.safetensors"))
        let dtypes = Set(source.tensors.map(\.dtype))
        let wanted: Set = ["float32", "float16", "bfloat16", "int8", "int64", "uint8", "float8_e4m3fn",
                           "float8_e5m2", "bool", "float64", "int16", "int32"]
        #expect(dtypes == wanted)
    }

    @Test("tensors are listed in data order")
    func fileOrder() throws {
        let source = try SafetensorsFile(path: Fixtures.path("mixed.safetensors"))
        // The reference writer puts 8-byte types first, then 4-, 2- and 1-byte ones.
        let sizes = source.tensors.compactMap { TensorElementType(rawValue: $0.dtype)?.byteCount }
        #expect(sizes == sizes.sorted(by: >))
    }

    @Test("an unknown tensor name lists close names")
    func unknownName() throws {
        let path = Fixtures.path("mixed.safetensors")
        let source = try TensorFiles.open(path: path)
        expectTensorFileError(mentioning: [path, "encoder.layer.0.attention.query.weigth",
                                           "encoder.layer.0.attention.query.weight"]) {
            _ = try source.load("encoder.layer.0.attention.query.weigth")
        }
    }
}
