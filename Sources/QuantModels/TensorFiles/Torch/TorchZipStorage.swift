import Foundation
import Synchronization
import ZIPFoundation

/// The records of a mapped torch zip checkpoint: where `data.pkl` is, its byte order, and the
/// bytes of each storage, read in place when stored (as torch writes them) and inflated into
/// memory when deflated (a checkpoint re-zipped by another tool).
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
    ///   missing, encrypted, truncated, fails its CRC-32 check, or cannot be inflated.
    func withRecord<Result>(_ name: String, tensor: String? = nil,
                            _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        guard let entry = directory[name] else {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "record \(name) is missing")
        }
        guard entry.flags & 1 == 0 else {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "record \(name) is encrypted")
        }
        guard entry.method == 0 else {
            return try inflated(entry, tensor: tensor).withUnsafeBytes(body)
        }
        return try contents.withUnsafeBytes { raw in
            let range = try dataRange(of: entry, in: raw, tensor: tensor)
            guard entry.uncompressedSize == range.count else {
                throw TensorFileError.malformedHeader(
                    path: path, tensor: tensor, reason: "stored record \(name) has inconsistent sizes in the zip directory")
            }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
            try verify(bytes, entry, tensor: tensor)
            return try body(bytes)
        }
    }

    /// The byte range of a record's data in the mapped file.
    private func dataRange(of entry: ZipDirectory.Entry, in raw: UnsafeRawBufferPointer, tensor: String?) throws -> Range<Int> {
        do {
            return try directory.dataRange(of: entry, in: raw)
        } catch let failure as ZipDirectory.Failure {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: failure.reason)
        }
    }

    /// Checks a stored record's CRC-32 unless it has been checked before.
    private func verify(_ bytes: UnsafeRawBufferPointer, _ entry: ZipDirectory.Entry, tensor: String?) throws {
        if verified.withLock({ $0.contains(entry.name) }) { return }
        guard Self.checksum(bytes) == entry.crc32 else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor,
                reason: "record \(entry.name) fails its CRC-32 check (the file is corrupt); re-download it")
        }
        verified.withLock { _ = $0.insert(entry.name) }
    }

    /// The CRC-32 of some bytes, through ZIPFoundation (zlib's `crc32` on Linux).
    private static func checksum(_ bytes: UnsafeRawBufferPointer) -> CRC32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
            .crc32(checksum: 0)
    }

    /// Why inflating a record stopped early.
    private struct InflationFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// A deflated record, inflated from the mapping into memory and checked against its size and CRC-32.
    ///
    /// The compressed bytes are fed from the record's own range, so damaged data ends in an error
    /// (never a read past the record, nor an endless wait for more input), and the output is
    /// capped at the size the zip directory gives.
    private func inflated(_ entry: ZipDirectory.Entry, tensor: String?) throws -> Data {
        guard entry.method == 8 else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor, reason: "record \(entry.name) uses zip compression method \(entry.method); "
                    + "QuantBench reads stored records (as torch.save writes them) and deflated ones")
        }
        return try contents.withUnsafeBytes { raw in
            let compressed = UnsafeRawBufferPointer(rebasing: raw[try dataRange(of: entry, in: raw, tensor: tensor)])
            var output = Data()
            output.reserveCapacity(min(entry.uncompressedSize, 1 << 30))
            let checksum: CRC32
            do {
                checksum = try Data.decompress(
                    size: Int64(compressed.count), bufferSize: 1 << 16, skipCRC32: false,
                    provider: { position, size in
                        let start = Int(position)
                        guard start < compressed.count else { throw InflationFailure(description: "it ends early") }
                        // ZIPFoundation hands zlib `size` bytes whatever the chunk's length: pad the last
                        // chunk with zeros so that zlib never reads past it (a valid stream ends before them).
                        var chunk = Data(UnsafeRawBufferPointer(rebasing: compressed[start..<min(compressed.count, start + size)]))
                        if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                        return chunk
                    },
                    consumer: { chunk in
                        guard output.count + chunk.count <= entry.uncompressedSize else {
                            throw InflationFailure(description: "it inflates past its size")
                        }
                        output.append(chunk)
                    })
            } catch {
                throw TensorFileError.malformedHeader(
                    path: path, tensor: tensor, reason: "cannot inflate record \(entry.name) (\(error)); the file is corrupt")
            }
            guard output.count == entry.uncompressedSize, checksum == entry.crc32 else {
                throw TensorFileError.malformedHeader(
                    path: path, tensor: tensor,
                    reason: "record \(entry.name) fails its size or CRC-32 check (the file is corrupt); re-download it")
            }
            return output
        }
    }
}
