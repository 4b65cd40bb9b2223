import Foundation
import QuantModels

/// One point of a grid: a value for every axis, and a content hash that names its result.
public struct GridCell: Sendable, Hashable {
    /// Every axis's value in this cell, as written in the grid (with defaults).
    public var values: [String: GridValue]
    /// The values the hash covers: plug-in axes replaced by their canonical `name@version`, and
    /// `evaluation` and `plan` left out when they are the defaults `{}` and `uniform` (so cells
    /// that do not set them keep the hashes they had before these axes existed).
    public var canonical: [String: GridValue]
    /// SHA-256 (hex) of the canonical JSON of ``canonical`` plus ``workbenchVersion``.
    public var hash: String

    /// Makes a cell; plug-in names are canonicalized through `canonicalNames` (axis → written → canonical).
    public init(values: [String: GridValue], canonicalNames: [String: [String: String]]) {
        self.values = values
        var canonical = values
        for (axis, names) in canonicalNames {
            if let written = values[axis]?.string, let name = names[written] { canonical[axis] = .string(name) }
        }
        if canonical["evaluation"] == GridSpec.defaults["evaluation"] { canonical["evaluation"] = nil }
        if canonical["plan"] == GridSpec.defaults["plan"] { canonical["plan"] = nil }
        self.canonical = canonical
        self.hash = Self.contentHash(canonical)
    }

    /// The first 12 hex digits of ``hash``.
    public var shortHash: String { String(hash.prefix(12)) }

    /// SHA-256 of `{"cell": values, "workbench": version}` encoded with sorted keys.
    static func contentHash(_ canonical: [String: GridValue]) -> String {
        let payload: [String: GridValue] = ["cell": .table(canonical), "workbench": .string(workbenchVersion)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(payload)) ?? Data(String(describing: payload).utf8)
        return FileDigest.sha256(of: data)
    }
}

extension GridSpec {
    /// The grid's cells in a deterministic order: the product of the axes in ``axisNames`` order
    /// (the first axis varies slowest; a zip group moves at its first axis's place), minus the
    /// excluded cells, then the included cells; no two cells share a hash.
    public func cells() -> [GridCell] {
        var seen: Set<String> = [], result: [GridCell] = []
        func add(_ values: [String: GridValue]) {
            let cell = GridCell(values: values, canonicalNames: canonicalNames)
            if seen.insert(cell.hash).inserted { result.append(cell) }
        }
        for values in product() where !excludes.contains(where: { Self.matches(values, $0) }) {
            add(values)
        }
        includes.forEach(add)
        return result
    }

    /// Whether `values` has every value of `rule`.
    static func matches(_ values: [String: GridValue], _ rule: [String: GridValue]) -> Bool {
        rule.allSatisfy { values[$0.key] == $0.value }
    }

    /// The cartesian product over the independent dimensions (a lone axis or a zip group).
    func product() -> [[String: GridValue]] {
        var dimensions: [[String]] = [], placed: Set<String> = []
        for axis in Self.axisNames where !placed.contains(axis) {
            let group = zips.first { $0.contains(axis) } ?? [axis]
            dimensions.append(group)
            placed.formUnion(group)
        }
        var partial: [[String: GridValue]] = [[:]]
        for group in dimensions {
            let count = group.map { axes[$0]?.count ?? 0 }.min() ?? 0
            var next: [[String: GridValue]] = []
            next.reserveCapacity(partial.count * count)
            for values in partial {
                for i in 0..<count {
                    var extended = values
                    for axis in group { extended[axis] = axes[axis]?[i] }
                    next.append(extended)
                }
            }
            partial = next
        }
        return partial
    }
}
