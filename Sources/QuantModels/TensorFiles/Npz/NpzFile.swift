import Foundation
import QuantCore
import ZIPFoundation

/// An `.npz` archive: a zip of `.npy` members, as written by `numpy.savez` and `numpy.savez_compressed`.
///
/// Each member `NAME.npy` is a tensor `NAME`. Opening reads the zip directory and only the
/// header of each member (the first few hundred bytes, decompressed as far as needed), so listing
/// a large archive is cheap; ``load(_:)`` extracts one member, checks its CRC-32, and decodes it.
/// Members not ending in `.npy` are ignored. Stored and deflated members are both read, as are
/// the ZIP64 records numpy writes.
public struct NpzFile: TensorSource {
    public let path: String
    public let tensors: [TensorInfo]
    /// The zip member path of each tensor.
    private let memberPaths: [String: String]

    /// Opens the archive and reads every member's `.npy` header.
    ///
    /// - Parameter path: The `.npz` file.
    /// - Throws: `TensorFileError` when the file is missing, is not a zip archive, or a member's
    ///   header is malformed or disagrees with the member's size.
    public init(path: String) throws {
        try FileAccess.checkIsFile(path)
        let archive = try Self.openArchive(path)
        var tensors: [TensorInfo] = []
        var memberPaths: [String: String] = [:]
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
            let name = String(entry.path.dropLast(4))
            guard memberPaths[name] == nil else { continue }
            let header = try Self.header(of: entry, in: archive, path: path, name: name)
            tensors.append(TensorInfo(name: name, dtype: header.elementType.numpyName, shape: header.shape))
            memberPaths[name] = entry.path
        }
        self.path = path
        self.tensors = tensors
        self.memberPaths = memberPaths
    }

    /// Extracts one member and converts it to `Float`, row-major.
    ///
    /// - Throws: `TensorFileError.tensorNotFound` (with close names) for an unknown name; other
    ///   `TensorFileError`s when the member is corrupt or its data disagrees with its header.
    public func load(_ name: String) throws -> Tensor {
        guard let memberPath = memberPaths[name] else {
            let names = tensors.map(\.name)
            throw TensorFileError.tensorNotFound(
                path: path, name: name, suggestions: NameSuggestions.closest(to: name, in: names))
        }
        let archive = try Self.openArchive(path)
        guard let entry = archive[memberPath] else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: name, reason: "member \(memberPath) disappeared since the archive was opened")
        }
        let image = try Self.contents(of: entry, in: archive, path: path, name: name)
        let header = try image.withUnsafeBytes { try NpyHeader.parse($0, path: path, tensor: name) }
        return try NpyFile.tensor(in: image, header: header, name: name, path: path)
    }

    private static func openArchive(_ path: String) throws -> Archive {
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil, reason: "it is not a readable zip archive (\(error))")
        }
    }

    /// Thrown by the extraction consumer once the header has arrived, to stop decompressing.
    private struct EnoughBytes: Error {}

    /// Reads just enough of a member to parse its `.npy` header, and checks the member's size.
    private static func header(of entry: Entry, in archive: Archive, path: String, name: String) throws -> NpyHeader {
        var prefix = Data()
        var needed: Int?
        do {
            _ = try archive.extract(entry, bufferSize: 4096, skipCRC32: true) { chunk in
                prefix.append(chunk)
                if needed == nil { needed = try NpyHeader.headerSize(prefix: prefix, path: path, tensor: name) }
                if let needed, prefix.count >= needed { throw EnoughBytes() }
            }
        } catch is EnoughBytes {
        } catch let error as TensorFileError {
            throw error
        } catch {
            throw TensorFileError.malformedHeader(
                path: path, tensor: name, reason: "cannot decompress member \(entry.path) (\(error))")
        }
        let header = try prefix.withUnsafeBytes {
            try NpyHeader.parse($0, path: path, tensor: name, checkDataSize: false)
        }
        let expected = header.dataOffset + header.dataByteCount
        guard entry.uncompressedSize == UInt64(expected) else {
            throw TensorFileError.sizeMismatch(path: path, tensor: name, expectedBytes: header.dataByteCount,
                                               actualBytes: Int(clamping: entry.uncompressedSize) - header.dataOffset)
        }
        return header
    }

    /// Extracts a whole member and verifies its CRC-32.
    private static func contents(of entry: Entry, in archive: Archive, path: String, name: String) throws -> Data {
        var image = Data()
        image.reserveCapacity(Int(clamping: min(entry.uncompressedSize, 1 << 30)))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { image.append($0) }
        } catch {
            throw TensorFileError.malformedHeader(
                path: path, tensor: name, reason: "cannot extract member \(entry.path) (\(error))")
        }
        guard checksum == entry.checksum else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: name,
                reason: "member \(entry.path) fails its CRC-32 check (the archive is corrupt)")
        }
        return image
    }
}
