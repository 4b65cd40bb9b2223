import Foundation
import Synchronization
import ZIPFoundation

/// The records of a mapped torch zip checkpoint: where `data.pkl` is, its byte order, and the
/// bytes of each storage, read in place when stored (as torch writes them) and extracted when
/// compressed.
///
/// A class so that the storages whose CRC-32 has been checked are remembered across loads (a
/// storage shared by many views is checked once); the set sits behind a `Mutex`.
final class TorchZipStorage: Sendable {
    let path: String
    /// The directory every record sits in (`archive`, or the saved file's stem).
    let prefix: String
    /// `<prefix>/data.pkl`.
    let picklePath: String
    private let contents: Data
    private let directory: ZipDirectory
    private let verified = Mutex<Set<String>>([])

    /// Reads the zip directory and finds the pickle and the byte order.
    ///
    /// - Throws: `TensorFileError.malformedHeader` when the archive is damaged or has no
    ///   `<prefix>/data.pkl`.
    init(contents: Data, path: String) throws {
        self.path = path
        self.contents = contents
        do {
            directory = try contents.withUnsafeBytes { try ZipDirectory($0) }
        } catch let failure as ZipDirectory.Failure {
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil, reason: "its zip directory cannot be read: \(failure.reason)")
        }
        let pickle = directory.entries.first { entry in
            let parts = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1] == "data.pkl"
        }
        guard let pickle else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil, reason: "the zip archive has no <prefix>/data.pkl record, so it is not a "
                    + "checkpoint written by torch.save (an .npz renamed? a TorchScript or zipped folder?)")
        }
        picklePath = pickle.name
        prefix = String(pickle.name.dropLast("/data.pkl".count))
    }

    /// The byte order of the storages, from `<prefix>/byteorder` (little when absent, as torch assumes).
    ///
    /// - Throws: `TensorFileError.malformedHeader` when the record is neither `little` nor `big`.
    func byteOrder() throws -> ByteOrder {
        let name = prefix + "/byteorder"
        guard directory[name] != nil else { return .little }
        let mark = try withRecord(name) { String(decoding: $0, as: UTF8.self) }
        switch mark {
        case "little": return .little
        case "big": return .big
        default:
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil, reason: "its byteorder record says '\(mark)', not 'little' or 'big'")
        }
    }

    /// Checks, before any data is read, that a tensor's storage exists and holds its view.
    ///
    /// - Throws: `TensorFileError.malformedHeader` for a missing storage or a view beyond it,
    ///   `.sizeMismatch` for a storage record shorter than the pickle says, `.invalidShape` on overflow.
    func check(_ record: TorchTensorRecord, tensor: String) throws {
        let name = prefix + "/data/" + record.storage.key
        guard let entry = directory[name] else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor, reason: "its storage record \(name) is missing from the archive")
        }
        guard let needed = record.storage.byteCount, let reached = record.reachedBytes else {
            throw TensorFileError.invalidShape(
                path: path, tensor: tensor, shape: FileAccess.describe(record.shape),
                reason: "with stride \(record.strides) and offset \(record.offset) its byte size overflows")
        }
        guard entry.uncompressedSize >= needed else {
            throw TensorFileError.sizeMismatch(
                path: path, tensor: tensor, expectedBytes: needed, actualBytes: entry.uncompressedSize)
        }
        guard reached <= needed else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor,
                reason: "its view (offset \(record.offset), size \(record.shape), stride \(record.strides), "
                    + "\(record.dtype.name)) reaches byte \(reached) of storage \(name), which holds \(needed) bytes")
        }
    }

    /// Runs `body` on the bytes of a tensor's storage.
    func withStorage<Result>(_ reference: TorchStorageReference, tensor: String,
                             _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        try withRecord(prefix + "/data/" + reference.key, tensor: tensor, body)
    }

    /// Runs `body` on the uncompressed bytes of a record, checking its CRC-32 on first use.
    ///
    /// - Throws: `TensorFileError.malformedHeader` naming the record (and `tensor`) when it is
    ///   missing, encrypted, truncated, fails its CRC-32 check, or cannot be extracted.
    func withRecord<Result>(_ name: String, tensor: String? = nil,
                            _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        guard let entry = directory[name] else {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "record \(name) is missing")
        }
        guard entry.flags & 1 == 0 else {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "record \(name) is encrypted")
        }
        guard entry.method == 0 else {
            return try extracted(entry, tensor: tensor).withUnsafeBytes(body)
        }
        return try contents.withUnsafeBytes { raw in
            let range: Range<Int>
            do {
                range = try directory.dataRange(of: entry, in: raw)
            } catch let failure as ZipDirectory.Failure {
                throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: failure.reason)
            }
            guard entry.uncompressedSize == range.count else {
                throw TensorFileError.malformedHeader(
                    path: path, tensor: tensor, reason: "stored record \(name) has inconsistent sizes in the zip directory")
            }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
            try verify(bytes, entry, tensor: tensor)
            return try body(bytes)
        }
    }

    /// Checks a stored record's CRC-32 unless it has been checked before.
    private func verify(_ bytes: UnsafeRawBufferPointer, _ entry: ZipDirectory.Entry, tensor: String?) throws {
        if verified.withLock({ $0.contains(entry.name) }) { return }
        var checksum: CRC32 = 0
        if let base = bytes.baseAddress, bytes.count > 0 {
            let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
            checksum = view.crc32(checksum: 0)
        }
        guard checksum == entry.crc32 else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor,
                reason: "record \(entry.name) fails its CRC-32 check (the file is corrupt); re-download it")
        }
        verified.withLock { _ = $0.insert(entry.name) }
    }

    /// A compressed record, extracted with ZIPFoundation (which checks its CRC-32).
    private func extracted(_ entry: ZipDirectory.Entry, tensor: String?) throws -> Data {
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            guard let member = archive[entry.name] else {
                throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "record \(entry.name) is missing")
            }
            var data = Data()
            data.reserveCapacity(min(entry.uncompressedSize, 1 << 30))
            let checksum = try archive.extract(member, skipCRC32: false) { data.append($0) }
            guard checksum == member.checksum else {
                throw TensorFileError.malformedHeader(
                    path: path, tensor: tensor, reason: "record \(entry.name) fails its CRC-32 check (the file is corrupt)")
            }
            return data
        } catch let error as TensorFileError {
            throw error
        } catch {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor, reason: "cannot extract compressed record \(entry.name) (\(error))")
        }
    }
}
