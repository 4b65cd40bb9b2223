/// A prefix tree over Unicode scalars for greedy longest-match WordPiece lookups.
///
/// Two roots share one tree: ``wordStart`` holds the tokens that may begin a word (`"un"`) and
/// ``continuation`` the `##` tokens with the prefix removed (`"##aff"` is stored as `"aff"`).
/// Edges live in one open-addressing hash table keyed by `(node << 21) | scalar`, so a lookup
/// is a multiply, a shift and usually one probe; nothing is allocated while matching.
struct WordPieceTrie: Sendable {
    /// The root for word-initial tokens.
    static let wordStart: Int32 = 0
    /// The root for `##` continuation tokens.
    static let continuation: Int32 = 1

    private static let emptyKey = UInt64.max

    /// Edge keys; ``emptyKey`` marks a free slot.
    private var keys: [UInt64]
    /// The child node of the edge in the same slot.
    private var children: [Int32]
    /// The token id that ends at each node, or -1.
    private var tokenIDs: [Int32]
    private var shift: UInt64

    /// Builds the tree from `(scalars, id, root)` entries; a later entry for the same key wins.
    init(entries: [(scalars: [Unicode.Scalar], id: Int32, root: Int32)]) {
        var edges: [UInt64: Int32] = [:]
        var tokenIDs: [Int32] = [-1, -1]
        for entry in entries {
            var node = entry.root
            for scalar in entry.scalars {
                let key = Self.key(node, scalar.value)
                if let child = edges[key] {
                    node = child
                } else {
                    let child = Int32(tokenIDs.count)
                    tokenIDs.append(-1)
                    edges[key] = child
                    node = child
                }
            }
            tokenIDs[Int(node)] = entry.id
        }
        var bits: UInt64 = 4
        while (1 << bits) < edges.count * 2 { bits += 1 }
        shift = 64 - bits
        keys = [UInt64](repeating: Self.emptyKey, count: 1 << Int(bits))
        children = [Int32](repeating: -1, count: 1 << Int(bits))
        self.tokenIDs = tokenIDs
        for (key, child) in edges {
            var slot = slot(for: key)
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = key
            children[slot] = child
        }
    }

    private static func key(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) << 21) | UInt64(scalar)
    }

    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The node reached from `node` along `scalar`, or -1.
    @inline(__always)
    func child(of node: Int32, _ scalar: UInt32) -> Int32 {
        let key = Self.key(node, scalar)
        var slot = slot(for: key)
        while true {
            let found = keys[slot]
            if found == key { return children[slot] }
            if found == Self.emptyKey { return -1 }
            slot = (slot + 1) & (keys.count - 1)
        }
    }

    /// The token id ending at `node`, or -1.
    @inline(__always)
    func tokenID(at node: Int32) -> Int32 { tokenIDs[Int(node)] }

    /// The longest token that starts at `start` in `scalars`, beginning the walk at `root`.
    ///
    /// - Returns: The token id and the index just past it, or `nil` when no token matches.
    /// - Complexity: O(k) for a match of k scalars (plus the failed step after it).
    func longestMatch(in scalars: UnsafeBufferPointer<UInt32>, from start: Int, root: Int32) -> (id: Int32, end: Int)? {
        var node = root
        var best: (id: Int32, end: Int)?
        var index = start
        while index < scalars.count {
            node = child(of: node, scalars[index])
            if node < 0 { break }
            index += 1
            let id = tokenIDs[Int(node)]
            if id >= 0 { best = (id, index) }
        }
        return best
    }
}
