import Crypto
import Foundation

/// SHA-256 digests of files, read in 1 MiB chunks so a 90 MB checkpoint never sits in memory whole.
public enum FileDigest {
    static let chunkSize = 1 << 20

    /// The lowercase hex SHA-256 of the file at `path`.
    ///
    /// - Throws: `AssetError.missingFile` when there is no file, `.fileSystem` when it cannot be read.
    public static func sha256(ofFileAt path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw AssetError.missingFile(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AssetError.fileSystem(path: path, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw AssetError.fileSystem(path: path, reason: "read failed: \(error.localizedDescription)")
        }
        return hex(hasher.finalize())
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func sha256(of bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    /// A digest as lowercase hex.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The size in bytes of the file at `path`, or `nil` when there is none.
    static func size(ofFileAt path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) == .typeRegular,
            let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }
}
