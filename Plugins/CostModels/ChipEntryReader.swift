import TOMLKit

/// Reads one chip table of a chips file into a ``Chip``, with errors that name the file, the
/// line, the chip and the key.
struct ChipEntryReader {
    let file: String
    let lines: [Substring]

    init(file: String, text: String) {
        self.file = file
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Units a peak key may end in, with their factor to operations per second.
    static let peakUnits: [(suffix: String, factor: Double)] = [
        ("_tops", 1e12), ("_tflops", 1e12), ("_gops", 1e9), ("_gflops", 1e9),
    ]
    static let bandwidthUnits: [String: Double] = ["memory_gb_per_s": 1e9, "memory_tb_per_s": 1e12]

    func chip(id: String, entry: TOMLTable) throws -> Chip {
        var peaks: [String: Chip.Figure] = [:]
        var bandwidth: Chip.Figure?
        var summary = ""
        for key in entry.keys.sorted() {
            guard let value = entry[key] else { continue }
            if key == "summary" {
                guard let text = value.string else { throw failure(chip: id, key: key, "must be a string") }
                summary = text
            } else if let factor = Self.bandwidthUnits[key] {
                bandwidth = try figure(value, factor: factor, chip: id, key: key)
            } else if let (precision, factor) = Self.peakKey(key) {
                guard peaks[precision] == nil else {
                    throw failure(chip: id, key: key, "gives the \(precision) peak a second time (in another unit)")
                }
                peaks[precision] = try figure(value, factor: factor, chip: id, key: key)
            } else {
                throw failure(
                    chip: id, key: key,
                    "is not a chip key: use summary, peak_<precision>_tops|tflops|gops|gflops (e.g. peak_int8_tops) or memory_gb_per_s|memory_tb_per_s")
            }
        }
        return Chip(id: id, summary: summary, peaks: peaks, memoryBandwidth: bandwidth)
    }

    /// `peak_int8_tops` → (`int8`, 1e12).
    static func peakKey(_ key: String) -> (String, Double)? {
        guard key.hasPrefix("peak_") else { return nil }
        for (suffix, factor) in peakUnits where key.hasSuffix(suffix) {
            let precision = key.dropFirst(5).dropLast(suffix.count)
            guard !precision.isEmpty, precision.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
            return (String(precision), factor)
        }
        return nil
    }

    /// A figure table `{ value, source, verified, note }`, value scaled by `factor`.
    func figure(_ raw: any TOMLValueConvertible, factor: Double, chip: String, key: String) throws -> Chip.Figure {
        guard let table = raw.table else {
            throw failure(chip: chip, key: key, "must be a table { value = ..., source = \"...\", verified = false }")
        }
        for field in table.keys where !["value", "source", "verified", "note"].contains(field) {
            throw failure(chip: chip, key: key, "has an unknown field '\(field)' (fields: value, source, verified, note)")
        }
        let number = table["value"].flatMap { $0.double ?? $0.int.map(Double.init) }
        guard let number, number.isFinite, number > 0 else {
            throw failure(chip: chip, key: key, "needs value = a positive number")
        }
        guard let source = table["source"]?.string, !source.isEmpty else {
            throw failure(chip: chip, key: key, "needs source = \"where the figure comes from\"")
        }
        guard let verified = table["verified"]?.bool else {
            throw failure(chip: chip, key: key, "needs verified = true (measured here or checked in a primary datasheet) or false")
        }
        let note = table["note"]?.string
        return Chip.Figure(value: number * factor, source: source, verified: verified, note: note)
    }

    func failure(chip: String, key: String?, _ reason: String) -> CostModelError {
        .malformedChipFile(file: file, line: line(chip: chip, key: key), chip: chip, key: key, reason: reason)
    }

    /// The 1-based line of `key` inside `[chip]` (TOMLKit reports no positions for values).
    func line(chip: String, key: String?) -> Int? {
        guard let header = lines.firstIndex(where: { $0.trimmingPrefixSpaces.hasPrefix("[\(chip)]") }) else { return nil }
        guard let key else { return header + 1 }
        for index in (header + 1)..<lines.count {
            let line = lines[index].trimmingPrefixSpaces
            if line.hasPrefix("[") { break }
            if line.hasPrefix(key), line.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).first == "=" { return index + 1 }
        }
        return header + 1
    }
}

extension Substring {
    fileprivate var trimmingPrefixSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
}
