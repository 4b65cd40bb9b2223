import Foundation
import QuantCore
import QuantModels
import Testing

/// `.npz` archives written by `numpy.savez` (stored) and `numpy.savez_compressed` (deflated).
@Suite("npz reader")
struct NpzReaderTests {
    @Test("every member is listed and read exactly", arguments: ["arrays.npz", "arrays_compressed.npz"])
    func readsArchive(file: String) throws {
        let expected = try #require(try Fixtures.expected().npz[file])
        let source = try TensorFiles.open(path: Fixtures.path(file))
        #expect(Set(source.tensors.map(\.name)) == Set(expected.keys))
        for info in source.tensors {
            let oracle = try #require(expected[info.name])
            #expect(info.dtype == oracle.dtype)
            #expect(info.shape == oracle.shape)
            expectMatches(try source.load(info.name), oracle)
        }
    }

    @Test("names with slashes and dots survive, and the Fortran big-endian member is row-major")
    func nestedName() throws {
        let file = try NpzFile(path: Fixtures.path("arrays_compressed.npz"))
        let tensor = try file.load("layer/0.scale")
        #expect(tensor.shape == [2, 3])
        #expect(tensor.sourceDType == "float64")
        #expect(tensor.values.map { ($0 * 7).rounded() } == [0, 1, 2, 3, 4, 5])
    }

    @Test("an unknown member name lists close names")
    func unknownName() throws {
        let path = Fixtures.path("arrays.npz")
        let file = try NpzFile(path: path)
        let error = expectTensorFileError(mentioning: [path, "weigth", "weight"]) { _ = try file.load("weigth") }
        #expect(error == .tensorNotFound(path: path, name: "weigth", suggestions: ["weight"]))
    }
}
