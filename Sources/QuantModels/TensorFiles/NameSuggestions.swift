/// Picks the names closest to a misspelt one, for "did you mean" hints.
enum NameSuggestions {
    /// Up to `limit` names from `candidates` that contain `name` or lie within a small edit distance.
    ///
    /// The distance is Levenshtein's; a name qualifies when it is at most a third of the query's
    /// length away (at least 2), so `encoder.layer.0.wieght` finds `encoder.layer.0.weight`.
    ///
    /// - Complexity: O(n · m²) for n candidates of length m; only used on error paths.
    static func closest(to name: String, in candidates: [String], limit: Int = 3) -> [String] {
        let query = Array(name.lowercased().utf8)
        let threshold = max(2, query.count / 3)
        var scored: [(distance: Int, name: String)] = []
        for candidate in candidates {
            let lowered = candidate.lowercased()
            if !name.isEmpty && !lowered.isEmpty && (lowered.contains(name.lowercased()) || name.lowercased().contains(lowered)) {
                scored.append((0, candidate))
                continue
            }
            let distance = editDistance(query, Array(lowered.utf8))
            if distance <= threshold { scored.append((distance, candidate)) }
        }
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
    }

    /// Levenshtein distance between two byte strings.
    private static func editDistance(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (row, left) in lhs.enumerated() {
            current[0] = row + 1
            for (column, right) in rhs.enumerated() {
                let substitution = previous[column] + (left == right ? 0 : 1)
                current[column + 1] = min(substitution, previous[column + 1] + 1, current[column] + 1)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
