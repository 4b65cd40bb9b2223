import Foundation
import QuantCore
import QuantModels
import Testing

/// Hostile and damaged pickles inside otherwise valid checkpoints: nothing is ever run, and
/// every refusal names the file, the global or the opcode and its offset.
@Suite("torch pickle bad input")
struct TorchPickleBadInputTests {
    private typealias P = PickleBytes

    /// Writes a checkpoint holding `pickle` and requires opening it to fail with `fragments` in the message.
    @discardableResult
    private func expectOpenFails(_ pickle: [UInt8], mentioning fragments: [String], namesEntry: Bool = true,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorFileError? {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(TorchZipWriter.checkpoint(pickle: pickle), to: "hostile.pth")
        let entry = namesEntry ? ["archive/data.pkl"] : []
        return expectTensorFileError(mentioning: [path] + entry + fragments, sourceLocation: sourceLocation) {
            _ = try TensorFiles.open(path: path)
        }
    }

    @Test("globals outside the whitelist are refused by name before anything is built", arguments: [
        ("os", "system"), ("posix", "system"), ("builtins", "eval"), ("__builtin__", "getattr"), ("subprocess", "Popen"),
        ("torch", "load"), ("torch._utils", "_rebuild_qtensor"), ("_codecs", "decode"), ("collections", "defaultdict"),
    ])
    func refusedGlobal(module: String, name: String) throws {
        let pickle = P.proto + P.global(module, name) + P.string("echo pwned") + [0x85] + P.reduce + P.stop
        let error = try expectOpenFails(pickle, mentioning: ["\(module).\(name)", "not tensors"])
        #expect(isCase(error, "refusedPickleGlobal"))
    }

    @Test("STACK_GLOBAL names are checked too")
    func refusedStackGlobal() throws {
        let pickle = P.proto + [0x8C, 2] + Array("os".utf8) + [0x8C, 6] + Array("system".utf8) + [0x93] + P.stop
        try expectOpenFails(pickle, mentioning: ["os.system"])
    }

    @Test("damaged pickles name the opcode and its byte offset", arguments: [
        (P.proto + [0xFF], "byte 2", "unknown opcode 0xff"),
        (P.proto + P.emptyDict, "byte 3", "without a STOP"),
        (P.proto + [0x68, 5] + P.stop, "byte 2", "memo entry 5"),
        (P.proto + [0x49] + Array("1\n".utf8) + P.stop, "byte 2", "protocol"),
        (P.proto + [0x58, 0xFF, 0xFF, 0xFF, 0x7F] + P.stop, "byte 2", "runs past the end"),
        (P.proto + P.stop, "byte 2", "stack is empty"),
        (P.proto + P.setItems + P.stop, "byte 2", "no MARK"),
        (P.proto + P.emptyDict + P.mark + P.string("k") + P.setItems + P.stop, "byte 10", "has no value"),
        (P.proto + P.string("x") + P.emptyTuple + P.reduce + P.stop, "byte 9", "can only call a global"),
        (P.proto + [0x5D] + P.emptyDict + [0x62] + P.stop, "byte 4", "cannot set the state of list"),
        (P.proto + P.global("torch", "FloatStorage") + P.emptyTuple + P.reduce + P.stop, "byte 23", "cannot be called"),
        (P.proto + P.string("storage") + [0x51] + P.stop, "byte 14", "persistent id"),
        ([0x80, 0x09] + P.stop, "byte 0", "protocol 9"),
        (P.proto + [0x82, 1] + P.stop, "byte 2", "extension"),
    ] as [([UInt8], String, String)])
    func damagedPickle(pickle: [UInt8], offset: String, fragment: String) throws {
        let error = try expectOpenFails(pickle, mentioning: [offset, fragment])
        #expect(isCase(error, "malformedPickle"))
    }

    @Test("tensor arguments that are not what torch.save writes are refused", arguments: [
        P.tensor(key: "0", count: 4, offset: -1, shape: [2], stride: [1]),
        P.tensor(key: "0", count: 4, shape: [2], stride: [-1]),
        P.tensor(key: "0", count: 4, shape: [-2], stride: [1]),
        P.tensor(key: "0", count: 4, shape: [2, 2], stride: [1]),
        P.tensor(key: "0", storageClass: "QInt8Storage", count: 4, shape: [2], stride: [1]),
    ])
    func badTensorArguments(tensor: [UInt8]) throws {
        try expectOpenFails(P.dict([("w", tensor)]), mentioning: [])
    }

    @Test("dicts nested too deeply or containing themselves are refused without recursing without bound")
    func deepAndCyclicDicts() throws {
        let depth = 5000
        var nested = P.proto
        for _ in 0..<depth { nested += P.emptyDict + P.string("a") }
        nested += P.tensor(key: "0", count: 1, shape: [1], stride: [1]) + Array(repeating: 0x73, count: depth) + P.stop
        try expectOpenFails(nested, mentioning: ["nest more than"])
        let cyclic = P.proto + P.emptyDict + [0x71, 0] + P.string("self") + [0x68, 0] + P.setItem + P.stop
        try expectOpenFails(cyclic, mentioning: ["contains itself"])
    }

    @Test("300,000 nested tuples neither overflow the stack nor pass for a state dict")
    func deepTuples() throws {
        let pickle = P.proto + P.emptyTuple + Array(repeating: 0x85, count: 300_000) + P.stop
        let error = try expectOpenFails(pickle, mentioning: ["a tuple of 1 items"], namesEntry: false)
        #expect(isCase(error, "notAStateDict"))
    }

    @Test("the state of an OrderedDict (a state dict's _metadata) is accepted, and is not an entry")
    func orderedDictMetadata() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let metadata = P.emptyDict + P.string("_metadata") + P.emptyDict + P.setItem
        let pickle = P.proto + P.global("collections", "OrderedDict") + P.emptyTuple + P.reduce + P.mark + P.string("w")
            + P.tensor(key: "0", count: 2, shape: [2], stride: [1]) + P.string("step") + P.int(7) + P.setItems
            + metadata + [0x62] + P.stop
        let path = try scratch.write(
            TorchZipWriter.checkpoint(pickle: pickle, storages: [("0", TorchZipWriter.floats([0.25, -8]))]), to: "ordered.pth")
        let file = try TorchZipFile(path: path)
        #expect(file.tensors.map(\.name) == ["w"])
        #expect(file.skippedEntries == ["step (int)"])
        #expect(try file.load("w").values == [0.25, -8])
    }
}
