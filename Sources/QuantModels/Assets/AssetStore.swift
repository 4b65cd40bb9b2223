import Foundation

/// The local cache of the pinned assets: where it is, where each file goes, and whether it holds them.
///
/// The cache root is `$QUANTBENCH_ASSETS` when set, else `.assets` in the current directory (the
/// package root when run through `swift run`, `swift test` or `scripts/setup`). Each asset has a
/// folder named by its id, holding its files under their ``AssetFile/name``:
/// `.assets/sklearn-digits/digits.csv.gz`, `.assets/minilm/1_Pooling/config.json`.
/// Nothing in the cache is committed; `quantbench fetch-assets` fills it.
public struct AssetStore: Sendable {
    /// The environment variable that names the cache root.
    public static let environmentVariable = "QUANTBENCH_ASSETS"

    /// The cache root, an absolute path.
    public var root: String
    /// The assets this store holds.
    public var catalog: AssetCatalog

    /// A store rooted at `root` (made absolute against the current directory).
    ///
    /// - Parameters:
    ///   - root: The cache folder.
    ///   - catalog: The assets it holds; the pinned ones unless a test brings its own.
    public init(root: String, catalog: AssetCatalog = .pinned) {
        self.root = Self.absolute(root, currentDirectory: FileManager.default.currentDirectoryPath)
        self.catalog = catalog
    }

    /// The store at ``defaultRoot(environment:currentDirectory:)`` with the pinned catalog.
    public static var `default`: AssetStore { AssetStore(root: defaultRoot()) }

    /// `$QUANTBENCH_ASSETS` when set and not empty, else `.assets` in `currentDirectory`; absolute.
    ///
    /// - Parameters:
    ///   - environment: The environment to read (the process's by default).
    ///   - currentDirectory: The folder relative paths are resolved against.
    /// - Returns: The cache root.
    public static func defaultRoot(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        let configured = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? ".assets"
        return absolute(configured, currentDirectory: currentDirectory)
    }

    /// The folder of asset `asset` below the root (whether or not it exists).
    public func directory(asset: String) -> String { root + "/" + asset }

    /// The cache path of `file` of asset `asset` (whether or not it exists).
    ///
    /// - Parameters:
    ///   - asset: An asset id, e.g. `sklearn-digits`.
    ///   - file: A file name within the asset, e.g. `digits.csv.gz`.
    /// - Returns: `root/asset/file`.
    public func path(asset: String, file: String) -> String { directory(asset: asset) + "/" + file }

    /// The path of a cached file, after checking that the catalog lists it and the cache holds it
    /// with the pinned size (full hashes are `quantbench fetch-assets --verify-only`'s job).
    ///
    /// - Parameters:
    ///   - asset: An asset id, e.g. `minilm`.
    ///   - file: A file name within the asset, e.g. `model.safetensors`.
    /// - Returns: The file's absolute path.
    /// - Throws: `AssetError.unknownAsset` or `.unknownFile` for names the catalog lacks,
    ///   `.missingFile` (which says to run `quantbench fetch-assets`) or `.wrongSize`.
    public func require(asset: String, file: String) throws -> String {
        let pin = try self.pin(asset: asset, file: file)
        let path = path(asset: asset, file: file)
        guard let size = FileDigest.size(ofFileAt: path) else { throw AssetError.missingFile(path: path) }
        guard size == pin.size else { throw AssetError.wrongSize(path: path, expected: pin.size, actual: size) }
        return path
    }

    /// The catalog's pin for `file` of asset `asset`.
    ///
    /// - Throws: `AssetError.unknownAsset` or `.unknownFile`, listing the known names.
    public func pin(asset: String, file: String) throws -> AssetFile {
        guard let entry = catalog.asset(id: asset) else {
            throw AssetError.unknownAsset(id: asset, known: catalog.ids)
        }
        guard let pin = entry.file(named: file) else {
            throw AssetError.unknownFile(asset: asset, file: file, known: entry.files.map(\.name))
        }
        return pin
    }

    /// The state of every file of `asset`, hashing each present file in full.
    ///
    /// - Complexity: Reads every byte of the asset's files (about 0.3 s for the 90 MB MiniLM).
    public func status(of asset: Asset) -> AssetStatus {
        AssetStatus(asset: asset.id, files: asset.files.map { status(of: $0, in: asset) })
    }

    /// The state of every asset of the catalog, hashing every present file in full.
    public func verify() -> [AssetStatus] { catalog.assets.map(status(of:)) }

    /// Throws the first problem ``verify()`` finds: a missing file, a wrong size or a wrong hash.
    ///
    /// - Throws: The `AssetError` of the first file that is not as pinned.
    public func verifyAll() throws {
        if let problem = verify().lazy.flatMap(\.problems).first { throw problem }
    }

    private func status(of file: AssetFile, in asset: Asset) -> AssetFileStatus {
        let path = path(asset: asset.id, file: file.name)
        guard let size = FileDigest.size(ofFileAt: path) else {
            return AssetFileStatus(name: file.name, path: path, state: .missing, problem: .missingFile(path: path))
        }
        guard size == file.size else {
            return AssetFileStatus(
                name: file.name, path: path, state: .wrongSize,
                problem: .wrongSize(path: path, expected: file.size, actual: size))
        }
        do {
            let actual = try FileDigest.sha256(ofFileAt: path)
            guard actual == file.sha256 else {
                return AssetFileStatus(
                    name: file.name, path: path, state: .wrongHash,
                    problem: .fileHashMismatch(path: path, expected: file.sha256, actual: actual))
            }
            return AssetFileStatus(name: file.name, path: path, state: .present, problem: nil)
        } catch let error as AssetError {
            return AssetFileStatus(name: file.name, path: path, state: .unreadable, problem: error)
        } catch {
            let problem = AssetError.fileSystem(path: path, reason: "\(error)")
            return AssetFileStatus(name: file.name, path: path, state: .unreadable, problem: problem)
        }
    }

    private static func absolute(_ path: String, currentDirectory: String) -> String {
        let joined = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
