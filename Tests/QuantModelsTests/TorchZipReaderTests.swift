import Foundation
import QuantCore
import QuantModels
import Testing

/// `TorchZipFile` on checkpoints written by torch.save, checked against torch and against the
/// Python loader (`TorchCheckpointSource`): the same names, dtypes, shapes, skipped entries, and
/// every value bit for bit.
@Suite("torch zip reader")
struct TorchZipReaderTests {
    static let expected = Result { try ExpectedTorch.load() }

    @Test("every fixture has an oracle entry")
    func everyFixtureHasAnOracle() throws {
        let expected = try Self.expected.get()
        let covered = Set(expected.files.keys).union(expected.legacy.keys).union(expected.refused.keys)
            .union(expected.notStateDict.keys)
        #expect(Set(ExpectedTorch.checkpointFiles) == covered)
        #expect(expected.files.count >= 11)
    }

    @Test("names, dtypes, shapes, skipped entries and values match torch", arguments: [
        "dtypes.pth", "views.pth", "module.pth", "training.ckpt", "nested.pth", "parameter.pth", "scalar_empty.pth",
        "bare.pt", "bigendian.pth", "deflated.pth", "protocol4.pth",
    ])
    func matchesTorch(file: String) throws {
        let listing = try #require(try Self.expected.get().files[file], "no oracle for \(file)")
        let source = try TensorFiles.open(path: Fixtures.path("torch", file))
        let checkpoint = try #require(source as? TorchZipFile)
        #expect(checkpoint.tensors.map(\.name) == listing.tensors.compactMap(\.name))
        #expect(checkpoint.tensors.map(\.dtype) == listing.tensors.map(\.dtype))
        #expect(checkpoint.tensors.map(\.shape) == listing.tensors.map(\.shape))
        #expect(checkpoint.skippedEntries == listing.skipped)
        for expected in listing.tensors {
            let name = try #require(expected.name)
            expectMatches(try checkpoint.load(name), expected)
        }
    }

    @Test("a bare tensor is named after the file's stem, whatever the extension",
          arguments: ["weights.pt", "weights.pth", "weights.bin", "weights.ckpt", "WEIGHTS.PTH"])
    func bareTensorStem(name: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path(name)
        try FileManager.default.copyItem(atPath: Fixtures.path("torch", "bare.pt"), toPath: path)
        let source = try TensorFiles.open(path: path)
        let stem = String(name.prefix { $0 != "." })
        #expect(source.tensors.map(\.name) == [stem])
        let listing = try #require(try Self.expected.get().files["bare.pt"])
        #expect(bitMismatches(try source.load(stem).values, listing.tensors[0].bits).isEmpty)
    }

    @Test("views sharing one storage read their own elements")
    func sharedStorage() throws {
        let file = try TorchZipFile(path: Fixtures.path("torch", "views.pth"))
        let head = try file.load("shared_head"), tail = try file.load("shared_tail")
        #expect(head.values == [-3.5, -2.5, -1.5, -0.5])
        #expect(tail.shape == [2, 3] && tail.values == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5])
        #expect(file.recordPrefix == "views")
    }

    @Test("the legacy (non-zip) format is its own error, naming the file")
    func legacyFormat() throws {
        let path = Fixtures.path("torch", "legacy.pt")
        let error = expectTensorFileError(mentioning: [path, "legacy", "1.6"]) { _ = try TensorFiles.open(path: path) }
        #expect(isCase(error, "legacyTorchFormat"))
    }

    @Test("objects that are not tensors are refused by their global's name", arguments: ["module_object.pth", "numpy_array.pth"])
    func refusedGlobals(file: String) throws {
        let global = try #require(try Self.expected.get().refused[file])
        let path = Fixtures.path("torch", file)
        let error = expectTensorFileError(mentioning: [path, global, "not tensors", "model.state_dict()"]) {
            _ = try TensorFiles.open(path: path)
        }
        #expect(error == .refusedPickleGlobal(path: path, entry: String(file.prefix { $0 != "." }) + "/data.pkl", global: global))
    }

    @Test("a checkpoint without tensors says what it holds, as the Python loader does",
          arguments: ["list.pt", "no_tensors.pt", "number.pt"])
    func notAStateDict(file: String) throws {
        let found = try #require(try Self.expected.get().notStateDict[file])
        let path = Fixtures.path("torch", file)
        let error = expectTensorFileError(mentioning: [path, found, "state_dict()"]) { _ = try TensorFiles.open(path: path) }
        #expect(error == .notAStateDict(path: path, found: found))
    }

    @Test("an unknown name suggests close ones")
    func unknownName() throws {
        let path = Fixtures.path("torch", "module.pth")
        let file = try TorchZipFile(path: path)
        let error = expectTensorFileError(mentioning: [path, "conv.wieght", "conv.weight"]) { _ = try file.load("conv.wieght") }
        #expect(isCase(error, "tensorNotFound"))
    }

    @Test("listing reads no tensor data: a corrupt storage fails only its own tensor, on load")
    func lazyLoading() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("torch", "views.pth"))))
        // views.pth stores shared (arange(12) - 5.5) as one storage; corrupt its first element, -5.5.
        let pattern = PickleBytes.littleEndian(Float(-5.5).bitPattern)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: pattern) })
        bytes[start] ^= 0x01
        let path = try scratch.write(bytes, to: "corrupt.pth")
        let file = try TorchZipFile(path: path)
        #expect(file.tensors.count == 9)
        #expect(try file.load("transposed").shape == [6, 4])
        expectTensorFileError(mentioning: [path, "'shared_head'", "CRC-32"]) { _ = try file.load("shared_head") }
        expectTensorFileError(mentioning: [path, "'shared_tail'", "CRC-32"]) { _ = try file.load("shared_tail") }
    }

    @Test("torch checkpoints are read, not written")
    func notWritable() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("out.pt")
        let error = expectTensorFileError(mentioning: [path, ".safetensors"]) {
            try TensorFiles.write([try Tensor(name: "a", shape: [1], values: [1])], to: path)
        }
        #expect(isCase(error, "invalidWrite"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
