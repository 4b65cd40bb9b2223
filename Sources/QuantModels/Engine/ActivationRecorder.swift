import Synchronization

/// A hook that keeps a copy of the activations at chosen sites (for inspection and tests).
///
/// Each visit appends that batch's values, so after several batches ``values(at:)`` holds them
/// one after another.
public final class ActivationRecorder: ActivationHook {
    private let names: Set<String>?
    private let store = Mutex<[String: (shape: [Int], values: [Float])]>([:])

    /// Records the sites named in `names`, or every site when nil.
    public init(sites names: Set<String>? = nil) {
        self.names = names
    }

    public func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>) {
        guard names?.contains(site.name) ?? true else { return }
        store.withLock { store in
            var entry = store[site.name] ?? (shape: shape, values: [])
            if !entry.values.isEmpty { entry.shape[0] += shape[0] }
            entry.values += values
            store[site.name] = entry
        }
    }

    /// The recorded values at `site` and their shape (the first axis summed over batches).
    public func values(at site: String) -> (shape: [Int], values: [Float])? {
        store.withLock { $0[site] }
    }

    /// The names of the sites recorded so far.
    public var recordedSites: [String] { store.withLock { $0.keys.sorted() } }
}
