import Foundation
import QuantCore
import QuantModels
import Testing

/// The writers: byte-identical to numpy and safetensors, and read back by the readers.
@Suite("writers")
struct WriterTests {
    /// The writer oracle tensors as QuantBench tensors.
    static func writerTensors() throws -> [Tensor] {
        try Fixtures.expected().writer.tensors.sorted { $0.key < $1.key }.map { name, oracle in
            try Tensor(name: name, shape: oracle.shape, values: oracle.values)
        }
    }

    @Test("our .npy bytes equal numpy.save's", arguments: try Fixtures.expected().writer.npy.keys.sorted())
    func npyBytesMatchNumpy(file: String) throws {
        let expected = try Fixtures.expected().writer
        let spec = try #require(expected.npy[file])
        let oracle = try #require(expected.tensors[spec.tensor])
        let type = try #require(TensorElementType(rawValue: spec.elementType))
        let tensor = try Tensor(name: spec.tensor, shape: oracle.shape, values: oracle.values)
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("ours.npy")
        try TensorFiles.write([tensor], to: path, options: TensorWriteOptions(elementType: type))
        let ours = try Data(contentsOf: URL(fileURLWithPath: path))
        let numpys = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("writer", file)))
        #expect(ours == numpys)
    }

    /// Integer and bool arrays written by numpy.save (the reader fixtures, C order, little-endian):
    /// read them, write them back as the same type, and the bytes must be numpy's. (The 32- and
    /// 64-bit fixtures hold their types' extremes, which float32 rounds: writing those back is
    /// refused, below, rather than writing a different number.)
    @Test("our integer and bool .npy bytes equal numpy.save's", arguments: ["bool", "int8", "int16", "uint8", "uint16"])
    func integerNpyBytesMatchNumpy(dtype: String) throws {
        let file = Fixtures.path("npy", "\(dtype)_le_c.npy")
        let tensor = try TensorFiles.open(path: file).load(try TensorFiles.open(path: file).tensors[0].name)
        let type = try #require(TensorElementType(rawValue: dtype))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("ours.npy")
        try TensorFiles.write([tensor], to: path, options: TensorWriteOptions(elementType: type))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: file)))
    }

    @Test("integers float32 cannot hold exactly are refused, not rounded", arguments: ["int32", "int64", "uint32", "uint64"])
    func wideIntegerExtremesAreRefused(dtype: String) throws {
        let file = Fixtures.path("npy", "\(dtype)_le_c.npy")
        let source = try TensorFiles.open(path: file)
        let tensor = try source.load(source.tensors[0].name)
        let type = try #require(TensorElementType(rawValue: dtype))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("ours.npy")
        expectTensorFileError(mentioning: [path, dtype, "cannot hold exactly"]) {
            try TensorFiles.write([tensor], to: path, options: TensorWriteOptions(elementType: type))
        }
    }

    @Test("our .safetensors bytes equal the safetensors package's",
          arguments: try Fixtures.expected().writer.safetensors.keys.sorted())
    func safetensorsBytesMatchReference(file: String) throws {
        let spec = try #require(try Fixtures.expected().writer.safetensors[file])
        let type = try #require(TensorElementType(rawValue: spec.elementType))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("ours.safetensors")
        let options = TensorWriteOptions(elementType: type, metadata: spec.metadata)
        try TensorFiles.write(try Self.writerTensors(), to: path, options: options)
        let ours = try Data(contentsOf: URL(fileURLWithPath: path))
        let reference = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("writer", file)))
        #expect(ours == reference)
    }

    @Test("write then read returns the same tensors", arguments: [
        ("model.safetensors", NpzCompression.stored), ("model.npz", .stored), ("model.npz", .deflated),
    ])
    func roundTrip(name: String, compression: NpzCompression) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tensors = try Self.writerTensors() + [try Self.randomTensor(name: "encoder.layer.3.mlp.weight", shape: [64, 96])]
        let path = scratch.path(name)
        try TensorFiles.write(tensors, to: path, options: TensorWriteOptions(npzCompression: compression))
        let source = try TensorFiles.open(path: path)
        #expect(Set(source.tensors.map(\.name)) == Set(tensors.map(\.name)))
        for tensor in tensors {
            let loaded = try source.load(tensor.name)
            #expect(loaded.shape == tensor.shape)
            #expect(loaded.values.map(\.bitPattern) == tensor.values.map(\.bitPattern))
            #expect(loaded.sourceDType == "float32")
        }
    }

    @Test("rewriting a file replaces it", arguments: ["activations.npy", "activations.npz", "activations.safetensors"])
    func rewrite(name: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path(name)
        try TensorFiles.write([try Self.randomTensor(name: "activations", shape: [3, 5, 7])], to: path)
        let second = try Self.randomTensor(name: "activations", shape: [2, 2])
        try TensorFiles.write([second], to: path)
        let loaded = try TensorFiles.open(path: path).load("activations")
        #expect(loaded.shape == [2, 2])
        #expect(loaded.values == second.values)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == [name])
    }

    @Test("float16 and bfloat16 writes round to nearest-even as numpy and ml_dtypes do",
          arguments: [TensorElementType.float16, .bfloat16])
    func narrowRounding(type: TensorElementType) throws {
        let rounding = try Fixtures.expected().rounding
        let expected = type == .float16 ? rounding.float16 : rounding.bfloat16
        let input = try Tensor(name: "x", shape: [rounding.input.count], values: rounding.input.map(Float.init(bitPattern:)))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("rounded.safetensors")
        try TensorFiles.write([input], to: path, options: TensorWriteOptions(elementType: type))
        let loaded = try TensorFiles.open(path: path).load("x")
        #expect(loaded.sourceDType == type.numpyName)
        #expect(bitMismatches(loaded.values, expected).isEmpty, "\(bitMismatches(loaded.values, expected).prefix(5))")
    }

    @Test("writes that cannot be done are refused with the reason")
    func invalidWrites() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let a = try Tensor(name: "a", shape: [1], values: [1])
        let b = try Tensor(name: "b", shape: [1], values: [2])
        let unnamed = try Tensor(name: "", shape: [1], values: [2])
        let npy = scratch.path("x.npy")
        expectTensorFileError(mentioning: [npy, "exactly one tensor", "2"]) { try TensorFiles.write([a, b], to: npy) }
        expectTensorFileError(mentioning: [npy, "exactly one tensor", "0"]) { try TensorFiles.write([], to: npy) }
        expectTensorFileError(mentioning: [npy, "bfloat16"]) {
            try TensorFiles.write([a], to: npy, options: TensorWriteOptions(elementType: .bfloat16))
        }
        let st = scratch.path("x.safetensors")
        expectTensorFileError(mentioning: [st, "'a'", "distinct"]) { try TensorFiles.write([a, a], to: st) }
        expectTensorFileError(mentioning: [st, "empty name"]) { try TensorFiles.write([unnamed], to: st) }
        let half = try Tensor(name: "half", shape: [2], values: [1, 1.5])
        expectTensorFileError(mentioning: [st, "int8", "'half'", "element 1", "1.5"]) {
            try TensorFiles.write([half], to: st, options: TensorWriteOptions(elementType: .int8))
        }
        let big = try Tensor(name: "big", shape: [1], values: [300])
        expectTensorFileError(mentioning: [npy, "uint8", "300"]) {
            try TensorFiles.write([big], to: npy, options: TensorWriteOptions(elementType: .uint8))
        }
        expectTensorFileError(mentioning: [npy, "bool", "0 or 1"]) {
            try TensorFiles.write([b], to: npy, options: TensorWriteOptions(elementType: .bool))
        }
        let pt = scratch.path("x.pt")
        expectTensorFileError(mentioning: [pt, ".safetensors"]) { try TensorFiles.write([a], to: pt) }
        let nowhere = scratch.path("missing/dir/x.safetensors")
        expectTensorFileError(mentioning: [nowhere, "writable"]) { try TensorFiles.write([a], to: nowhere) }
        let nowhereNpz = scratch.path("missing/dir/x.npz")
        expectTensorFileError(mentioning: [nowhereNpz]) { try TensorFiles.write([a], to: nowhereNpz) }
        #expect(!FileManager.default.fileExists(atPath: npy))
    }

    /// A tensor of reproducible pseudo-random values.
    static func randomTensor(name: String, shape: [Int]) throws -> Tensor {
        var generator = SplitMix64(seed: UInt64(shape.reduce(1, *)))
        let values = (0..<shape.reduce(1, *)).map { _ in Float.random(in: -4...4, using: &generator) }
        return try Tensor(name: name, shape: shape, values: values)
    }
}
