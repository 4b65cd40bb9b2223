/// Whether one cached file is as pinned.
public struct AssetFileStatus: Sendable, Equatable {
    /// What the cache holds for a file.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// The file is there with the pinned size and SHA-256.
        case present
        /// No file at the path.
        case missing
        /// A file of another size (for example cut short).
        case wrongSize = "wrong size"
        /// A file of the right size whose SHA-256 differs.
        case wrongHash = "wrong hash"
        /// A file that could not be read.
        case unreadable
    }

    /// The file's name within its asset.
    public var name: String
    /// The file's cache path.
    public var path: String
    /// What the cache holds.
    public var state: State
    /// The error that describes the problem (naming the file and the fix), `nil` when present.
    public var problem: AssetError?

    /// A file's status.
    public init(name: String, path: String, state: State, problem: AssetError?) {
        self.name = name
        self.path = path
        self.state = state
        self.problem = problem
    }
}

/// Whether every file of one asset is as pinned.
public struct AssetStatus: Sendable, Equatable {
    /// The asset's id.
    public var asset: String
    /// Each file's status, in catalog order.
    public var files: [AssetFileStatus]

    /// An asset's status.
    public init(asset: String, files: [AssetFileStatus]) {
        self.asset = asset
        self.files = files
    }

    /// True when every file is present with its pinned hash.
    public var isComplete: Bool { files.allSatisfy { $0.state == .present } }

    /// The problems, one per file that is not present as pinned.
    public var problems: [AssetError] { files.compactMap(\.problem) }

    /// The files that need fetching.
    public var filesToFetch: [String] { files.filter { $0.state != .present }.map(\.name) }

    /// One word for the whole asset: `present`, `missing` (no file there), or the first problem's state.
    public var summary: String {
        if isComplete { return AssetFileStatus.State.present.rawValue }
        if files.allSatisfy({ $0.state == .missing }) { return AssetFileStatus.State.missing.rawValue }
        let states = Set(files.map(\.state)).subtracting([.present])
        if states == [.missing] { return "incomplete" }
        return files.first { $0.state != .present && $0.state != .missing }?.state.rawValue ?? "incomplete"
    }
}
