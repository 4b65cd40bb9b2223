import Foundation

/// Which axis differences make cells replicates of one configuration rather than different ones.
///
/// Two cells are replicates when they differ only in the `seed` axis, or in the `seed` entry of
/// an inline-table axis such as `calibration = { seed = 1, size = 256, split = "calibration" }`.
enum ReplicateAxes {
    /// The axis that holds the run's seed.
    static let seedAxis = "seed"
    /// The key of the seed inside an inline-table axis value.
    static let seedKey = "seed"

    /// Whether cells taking `values` on `axis` may still be replicates.
    static func isReplicateDifference(axis: String, values: [String]) -> Bool {
        if axis == seedAxis { return true }
        let stripped = values.map(withoutSeed)
        guard let first = stripped.first, let reference = first else { return false }
        return stripped.allSatisfy { $0 == reference }
    }

    /// An inline-table value without its `seed` entry, entries rejoined by ", "; `nil` if the
    /// value is not an inline table or has no seed entry.
    static func withoutSeed(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), trimmed.count >= 2 else { return nil }
        let entries = topLevelEntries(String(trimmed.dropFirst().dropLast()))
        let kept = entries.filter { key(of: $0) != seedKey }
        guard kept.count < entries.count else { return nil }
        return "{ " + kept.joined(separator: ", ") + " }"
    }

    /// The entries of an inline table's inside, split at commas outside quotes and brackets.
    static func topLevelEntries(_ text: String) -> [String] {
        var entries: [String] = [], current = "", depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            } else if character == ",", depth == 0 {
                entries.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { entries.append(last) }
        return entries
    }

    /// The key of a `key = value` entry, unquoted and trimmed.
    static func key(of entry: String) -> String {
        let key = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
        return key.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }
}
