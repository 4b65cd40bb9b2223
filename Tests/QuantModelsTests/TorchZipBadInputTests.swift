import Foundation
import QuantCore
import QuantModels
import Testing

/// Damaged and hostile torch checkpoints: each is a clear `TensorFileError` naming the file, never a
/// crash, and never a wrong value.
@Suite("torch zip bad input")
struct TorchZipBadInputTests {
    /// Writes `bytes` as `name`, opens it and loads every tensor, and returns the error, if any.
    private func openAndLoadAll(_ bytes: [UInt8], name: String = "bad.pth", in scratch: ScratchDirectory) throws
        -> (tensors: [Tensor], error: TensorFileError?) {
        let path = try scratch.write(bytes, to: name)
        do {
            let source = try TensorFiles.open(path: path)
            return (try source.tensors.map { try source.load($0.name) }, nil)
        } catch let error as TensorFileError {
            #expect(error.description.contains(path), "\(error)")
            return ([], error)
        }
    }

    @Test("every truncation of a checkpoint is an error naming the file")
    func truncations() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("torch", "views.pth"))))
        for length in Array(0..<64) + stride(from: 64, to: bytes.count, by: 7) {
            let (tensors, error) = try openAndLoadAll(Array(bytes.prefix(length)), in: scratch)
            #expect(error != nil && tensors.isEmpty, "a checkpoint cut to \(length) of \(bytes.count) bytes was read")
        }
    }

    @Test("flipping any byte gives an error or the exact values, never wrong ones",
          arguments: ["views.pth", "module.pth", "deflated.pth", "protocol4.pth"])
    func byteFlips(file: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let listing = try #require(try ExpectedTorch.load().files[file])
        let expected = Dictionary(uniqueKeysWithValues: listing.tensors.map { ($0.name ?? "", $0) })
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("torch", file))))
        var failures = 0
        for position in bytes.indices {
            var damaged = bytes
            damaged[position] ^= 0x5A
            let (tensors, error) = try openAndLoadAll(damaged, in: scratch)
            if error != nil { failures += 1 }
            for tensor in tensors {
                let oracle = try #require(expected[tensor.name], "byte \(position): unexpected tensor \(tensor.name)")
                #expect(tensor.shape == oracle.shape, "byte \(position): \(tensor.name)")
                #expect(bitMismatches(tensor.values, oracle.bits).isEmpty, "byte \(position): \(tensor.name) reads wrong values")
            }
        }
        #expect(failures > bytes.count / 4, "damage was detected at only \(failures) of \(bytes.count) bytes")
    }

    @Test("an empty or non-zip .pt is the legacy-format error", arguments: [[UInt8](), Array("not read".utf8)])
    func notZip(bytes: [UInt8]) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(bytes, to: "model.pt")
        let error = expectTensorFileError(mentioning: [path, "legacy"]) { _ = try TensorFiles.open(path: path) }
        #expect(isCase(error, "legacyTorchFormat"))
    }

    @Test("other formats under a torch extension are named")
    func otherFormats() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let npy = scratch.path("array.pt")
        try FileManager.default.copyItem(atPath: Fixtures.path("npy", "float32_le_c.npy"), toPath: npy)
        expectTensorFileError(mentioning: [npy, "looks like a .npy file"]) { _ = try TensorFiles.open(path: npy) }
        let npz = scratch.path("arrays.pth")
        try FileManager.default.copyItem(atPath: Fixtures.path("arrays.npz"), toPath: npz)
        expectTensorFileError(mentioning: [npz, "data.pkl"]) { _ = try TensorFiles.open(path: npz) }
    }

    @Test("a corrupt storage fails its CRC check, naming the tensor")
    func corruptStorage() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var bytes = TorchZipWriter.checkpoint(
            pickle: PickleBytes.dict([("w", PickleBytes.tensor(key: "0", count: 2, shape: [2], stride: [1]))]),
            storages: [("0", TorchZipWriter.floats([1.5, -2]))])
        let path = try scratch.write(bytes, to: "crc.pth")
        #expect(try TorchZipFile(path: path).load("w").values == [1.5, -2])
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: TorchZipWriter.floats([-2])) })
        bytes[start + 3] ^= 0x80
        let damaged = try scratch.write(bytes, to: "crc.pth")
        let file = try TorchZipFile(path: damaged)
        expectTensorFileError(mentioning: [damaged, "'w'", "archive/data/0", "CRC-32"]) { _ = try file.load("w") }
    }

    @Test("a storage that is missing, too short, or smaller than the view is reported at open, naming the tensor",
          arguments: [
            (2, [Int32(3)], [Int32(1)], 8, "reaches byte 12"),
            (4, [2], [1], 8, "need 16 bytes"),
            (2, [2, 2], [0, 1], 8, ""),
          ] as [(Int32, [Int32], [Int32], Int, String)])
    func storageBounds(count: Int32, shape: [Int32], stride: [Int32], storageBytes: Int, fragment: String) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let pickle = PickleBytes.dict([("w", PickleBytes.tensor(key: "0", count: count, shape: shape, stride: stride))])
        let bytes = TorchZipWriter.checkpoint(pickle: pickle, storages: [("0", [UInt8](repeating: 0, count: storageBytes))])
        let path = try scratch.write(bytes, to: "bounds.pth")
        guard !fragment.isEmpty else {
            // An expanded view (stride 0) within the storage is valid.
            #expect(try TorchZipFile(path: path).load("w").values == [0, 0, 0, 0])
            return
        }
        expectTensorFileError(mentioning: [path, "'w'", fragment]) { _ = try TorchZipFile(path: path) }
        let missing = try scratch.write(TorchZipWriter.checkpoint(pickle: pickle), to: "missing.pth")
        expectTensorFileError(mentioning: [missing, "'w'", "archive/data/0", "missing"]) { _ = try TorchZipFile(path: missing) }
    }

    @Test("ZIP64 records (archives over 4 GiB) give sizes and offsets")
    func zip64() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let pickle = PickleBytes.dict([("w", PickleBytes.tensor(key: "0", count: 3, shape: [3], stride: [1]))])
        let storages = [("0", TorchZipWriter.floats([0.5, -1, 7]))]
        let path = try scratch.write(TorchZipWriter.checkpoint(pickle: pickle, storages: storages, zip64: true), to: "z64.pth")
        #expect(try TorchZipFile(path: path).load("w").values == [0.5, -1, 7])
    }

    @Test("a byteorder record that is neither little nor big is reported")
    func badByteOrder() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let pickle = PickleBytes.dict([("w", PickleBytes.tensor(key: "0", count: 1, shape: [1], stride: [1]))])
        let path = try scratch.write(
            TorchZipWriter.checkpoint(pickle: pickle, storages: [("0", TorchZipWriter.floats([1]))], byteorder: "middle"),
            to: "order.pth")
        expectTensorFileError(mentioning: [path, "byteorder", "middle"]) { _ = try TorchZipFile(path: path) }
    }

    @Test("a complex tensor is listed and refused on load with the dtypes QuantBench reads")
    func complexTensor() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tensor = PickleBytes.tensor(key: "0", storageClass: "ComplexFloatStorage", count: 1, shape: [1], stride: [1])
        let path = try scratch.write(
            TorchZipWriter.checkpoint(pickle: PickleBytes.dict([("z", tensor)]), storages: [("0", [UInt8](repeating: 0, count: 8))]),
            to: "complex.pth")
        let file = try TorchZipFile(path: path)
        #expect(file.tensors == [TensorInfo(name: "z", dtype: "complex64", shape: [1])])
        let error = expectTensorFileError(mentioning: [path, "'z'", "complex64", "bfloat16"]) { _ = try file.load("z") }
        #expect(isCase(error, "unsupportedDType"))
    }
}
