import Foundation
import QuantCore

/// A PyTorch zip checkpoint (`torch.save` since PyTorch 1.6: `.pt`, `.pth`, `.bin`, `.ckpt`),
/// read natively and memory-mapped.
///
/// The archive holds `<prefix>/data.pkl`, a pickle of the saved object whose tensors refer to
/// storages `<prefix>/data/<key>`, and `<prefix>/byteorder`. Opening maps the file, reads the
/// zip directory, and interprets the pickle with ``PickleMachine``, which builds only tensors
/// and plain containers and refuses any other global by name, so nothing in the file is ever run.
/// Tensors are named as the Python loader (`TorchCheckpointSource`) names them: see
/// ``TorchStateDict``. No tensor data is read until ``load(_:)``, which decodes one tensor from
/// its storage in place (storages are stored uncompressed; a deflated one is inflated), honouring
/// the storage offset and strides of views, and converting to `Float` as the other readers do
/// (exactly, except 32/64-bit integers and float64, rounded to nearest). Each storage's CRC-32 is
/// checked the first time it is read.
public struct TorchZipFile: TensorSource {
    public let path: String
    public let tensors: [TensorInfo]
    /// Entries that are not tensors and were skipped, as `name (type)` (`epoch (int)`).
    public let skippedEntries: [String]
    /// The directory all records sit in (`archive`, or the saved file's stem).
    public let recordPrefix: String
    private let records: [TorchTensorRecord]
    private let positions: [String: Int]
    private let storage: TorchZipStorage
    private let byteOrder: ByteOrder

    /// Maps the checkpoint, reads its pickle and lists its tensors without reading their data.
    ///
    /// - Parameter path: The checkpoint.
    /// - Throws: `TensorFileError.legacyTorchFormat` when the file is not a zip archive (the
    ///   legacy format, which only torch reads); `.refusedPickleGlobal` naming the first global
    ///   that is not a tensor or container (a pickled module, a numpy array);
    ///   `.malformedPickle` for a damaged pickle; `.notAStateDict` when it holds no tensors;
    ///   `.malformedHeader` or `.sizeMismatch` naming the tensor when the archive is damaged.
    public init(path: String) throws {
        let contents = try FileAccess.mappedContents(of: path)
        guard contents.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw TensorFileError.legacyTorchFormat(path: path, found: Self.describeLegacy(contents))
        }
        let storage = try TorchZipStorage(contents: contents, path: path)
        let context = PickleMachine.Context(path: path, entry: storage.picklePath)
        let result = try storage.withRecord(storage.picklePath) { try PickleMachine.run($0, context: context) }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let stateDict = try TorchStateDict(result, stem: stem, context: context)
        for (name, record) in stateDict.entries { try storage.check(record, tensor: name) }
        self.path = path
        self.storage = storage
        self.byteOrder = try storage.byteOrder()
        self.recordPrefix = storage.prefix
        self.records = stateDict.entries.map(\.record)
        self.tensors = stateDict.entries.map { TensorInfo(name: $0.name, dtype: $0.record.dtype.name, shape: $0.record.shape) }
        self.skippedEntries = stateDict.skipped
        self.positions = Dictionary(stateDict.entries.enumerated().map { ($1.name, $0) }) { first, _ in first }
    }

    /// The legacy format's start: pickle protocol 2, then the magic number 0x1950a86a20f9469cfc6c
    /// as a LONG1 (`torch.serialization.MAGIC_NUMBER`).
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// What a non-zip file starts with, for the legacy-format message.
    private static func describeLegacy(_ contents: Data) -> String {
        if contents.starts(with: legacyMagic) { return "the magic number of the legacy torch.save format" }
        if contents.count > 262, contents.dropFirst(257).starts(with: Array("ustar".utf8)) {
            return "a tar header, as the oldest torch.save format wrote"
        }
        return FileAccess.preview(contents.prefix(16))
    }

    /// Reads one tensor from its storage and converts it to `Float`, row-major.
    ///
    /// - Parameter name: A name from ``tensors``.
    /// - Throws: `TensorFileError.tensorNotFound` (with close names) for an unknown name;
    ///   `.unsupportedDType` for complex and other dtypes QuantBench does not convert;
    ///   `.malformedHeader` when the storage fails its CRC-32 check or cannot be inflated.
    /// - Complexity: O(n) in the tensor's size; a contiguous little-endian float32 tensor is one
    ///   bulk copy from the mapping.
    public func load(_ name: String) throws -> Tensor {
        guard let position = positions[name] else {
            throw TensorFileError.tensorNotFound(
                path: path, name: name, suggestions: NameSuggestions.closest(to: name, in: tensors.map(\.name)))
        }
        let record = records[position]
        guard let elementType = record.dtype.elementType else {
            throw TensorFileError.unsupportedDType(
                path: path, tensor: name, dtype: record.dtype.name, supported: TorchDType.readableNames)
        }
        let values = try storage.withStorage(record.storage, tensor: name) { bytes in
            StridedGather.values(of: record, in: bytes, as: elementType, byteOrder: byteOrder)
        }
        guard let values else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: name, reason: "its view reaches past the end of storage \(record.storage.key)")
        }
        do {
            return try Tensor(name: name, shape: record.shape, values: values, sourceDType: record.dtype.name)
        } catch {
            throw TensorFileError.malformedHeader(path: path, tensor: name, reason: "\(error)")
        }
    }
}
