import Foundation
import QuantCore
import QuantModels
import Testing

/// The contents of Fixtures/torch/expected_torch.json, written by make_torch_fixtures.py from
/// torch and from the Python loader QuantBench already has.
struct ExpectedTorch: Decodable {
    struct Listing: Decodable {
        var tensors: [ExpectedTensor]
        var skipped: [String]
    }

    var files: [String: Listing]
    var legacy: [String: Listing]
    var refused: [String: String]
    var notStateDict: [String: String]

    enum CodingKeys: String, CodingKey {
        case files, legacy, refused
        case notStateDict = "not_state_dict"
    }

    static func load() throws -> ExpectedTorch {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("torch", "expected_torch.json")))
        return try JSONDecoder().decode(ExpectedTorch.self, from: data)
    }

    /// The fixture names, listed from disk so that a fixture without an oracle entry fails.
    static var checkpointFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path("torch"))) ?? []
        return names.filter { name in [".pt", ".pth", ".ckpt"].contains { name.hasSuffix($0) } }.sorted()
    }
}

/// Builds pickle bytes opcode by opcode, for checkpoints written by hand.
enum PickleBytes {
    static let proto: [UInt8] = [0x80, 0x02]
    static let stop: [UInt8] = [0x2E]
    static let mark: [UInt8] = [0x28]
    static let emptyDict: [UInt8] = [0x7D]
    static let emptyTuple: [UInt8] = [0x29]
    static let tuple: [UInt8] = [0x74]
    static let setItem: [UInt8] = [0x73]
    static let setItems: [UInt8] = [0x75]
    static let reduce: [UInt8] = [0x52]
    static let newFalse: [UInt8] = [0x89]

    static func string(_ text: String) -> [UInt8] {
        [0x58] + littleEndian(UInt32(text.utf8.count)) + Array(text.utf8)
    }

    static func int(_ value: Int32) -> [UInt8] {
        [0x4A] + littleEndian(UInt32(bitPattern: value))
    }

    static func global(_ module: String, _ name: String) -> [UInt8] {
        [0x63] + Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
    }

    static func intTuple(_ values: [Int32]) -> [UInt8] {
        mark + values.flatMap(int) + tuple
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())` over storage `key`.
    static func tensor(key: String, storageClass: String = "FloatStorage", count: Int32, offset: Int32 = 0,
                       shape: [Int32], stride: [Int32]) -> [UInt8] {
        let storage = mark + string("storage") + global("torch", storageClass) + string(key) + string("cpu")
            + int(count) + tuple + [0x51]
        return global("torch._utils", "_rebuild_tensor_v2") + mark + storage + int(offset) + intTuple(shape)
            + intTuple(stride) + newFalse + global("collections", "OrderedDict") + emptyTuple + reduce + tuple + reduce
    }

    /// `{name: value, ...}` from already-pickled values, then STOP.
    static func dict(_ items: [(String, [UInt8])]) -> [UInt8] {
        proto + emptyDict + mark + items.flatMap { string($0.0) + $0.1 } + setItems + stop
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

/// Writes minimal stored zip archives laid out as torch.save lays them out, for damaged inputs.
enum TorchZipWriter {
    /// The bytes of a zip archive holding `records` (name, bytes), stored, in order; with `zip64`,
    /// every size, offset and count is given only in ZIP64 records, as miniz writes archives over 4 GiB.
    static func archive(_ records: [(String, [UInt8])], zip64: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in records {
            let offset = UInt32(bytes.count)
            let crc = PickleBytes.littleEndian(crc32(data))
            let size = PickleBytes.littleEndian(UInt32(data.count))
            bytes += [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0] + crc + size + size
            bytes += short(name.utf8.count) + short(0) + Array(name.utf8) + data
            let extra = zip64 ? short(1) + short(24) + long(data.count) + long(data.count) + long(Int(offset)) : []
            let (centralSize, centralOffset) = zip64 ? ([UInt8](repeating: 0xFF, count: 4), [UInt8](repeating: 0xFF, count: 4))
                : (size, PickleBytes.littleEndian(offset))
            central += [0x50, 0x4B, 0x01, 0x02, 45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0] + crc + centralSize + centralSize
            central += short(name.utf8.count) + short(extra.count) + short(0) + short(0) + short(0)
            central += PickleBytes.littleEndian(0) + centralOffset + Array(name.utf8) + extra
        }
        let directoryOffset = bytes.count
        var end: [UInt8] = []
        if zip64 {
            let record = bytes.count + central.count
            end += [0x50, 0x4B, 0x06, 0x06] + long(44) + [45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0] + long(records.count)
                + long(records.count) + long(central.count) + long(directoryOffset)
            end += [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0] + long(record) + PickleBytes.littleEndian(1)
        }
        let count = zip64 ? short(0xFFFF) : short(records.count)
        let offset = zip64 ? PickleBytes.littleEndian(0xFFFF_FFFF) : PickleBytes.littleEndian(UInt32(directoryOffset))
        end += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0] + count + count + PickleBytes.littleEndian(UInt32(central.count))
            + offset + short(0)
        return bytes + central + end
    }

    /// A checkpoint: `archive/data.pkl` holding `pickle`, a little-endian byteorder, and storages.
    static func checkpoint(pickle: [UInt8], storages: [(String, [UInt8])] = [], byteorder: String = "little",
                           zip64: Bool = false) -> [UInt8] {
        archive([("archive/data.pkl", pickle), ("archive/byteorder", Array(byteorder.utf8))]
            + storages.map { ("archive/data/" + $0.0, $0.1) }, zip64: zip64)
    }

    /// Float32 values as little-endian bytes.
    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { PickleBytes.littleEndian($0.bitPattern) }
    }

    private static func long(_ value: Int) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func short(_ value: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }

    /// CRC-32 (IEEE 802.3, as zip uses), bit by bit: slow but obviously right, for small test files.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Whether `error` is the given case, ignoring associated values.
func isCase(_ error: TensorFileError?, _ name: String) -> Bool {
    guard let error else { return false }
    return String(describing: Mirror(reflecting: error).children.first?.label ?? "\(error)") == name
}
