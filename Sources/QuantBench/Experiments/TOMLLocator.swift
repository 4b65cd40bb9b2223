import Foundation

/// Finds the line of a key or a value in a TOML cell's text.
///
/// TOMLKit reports no positions for values, so errors point at the first line (at or after a
/// starting line) where the key is assigned or the quoted value appears; comment lines are skipped.
struct TOMLLocator {
    let lines: [String]

    init(_ text: String) {
        lines = ExperimentFile.lines(of: text)
    }

    /// The 1-based line assigning `key` (`key =`, `{ key =`, `[key]`, `[[key]]`) at or after `start`.
    func keyLine(_ key: String, from start: Int = 1) -> Int? {
        search(from: start) { line in
            var rest = Substring(line)
            while let range = rest.range(of: key) {
                let before = rest[..<range.lowerBound].last
                let after = rest[range.upperBound...].drop { $0 == " " || $0 == "\t" }.first
                if before == nil || " \t{,[\"".contains(before!), after == "=" || after == "]" || after == "\"" { return true }
                rest = rest[range.upperBound...]
            }
            return false
        }
    }

    /// The 1-based line holding `value` in quotes at or after `start`.
    func valueLine(_ value: String, from start: Int = 1) -> Int? {
        search(from: start) { $0.contains("\"\(value)\"") || $0.contains("'\(value)'") }
    }

    /// The line of `value` after `key`'s line, else of `value` anywhere, else of `key`, else 1.
    func line(key: String, value: String? = nil, from start: Int = 1) -> Int {
        let keyAt = keyLine(key, from: start) ?? keyLine(key) ?? start
        if let value, let at = valueLine(value, from: keyAt) ?? valueLine(value) { return at }
        return keyAt
    }

    private func search(from start: Int, _ matches: (String) -> Bool) -> Int? {
        guard start >= 1, start <= lines.count else { return nil }
        for number in start...lines.count {
            let line = lines[number - 1]
            if line.drop(while: { $0 == " " || $0 == "\t" }).first == "#" { continue }
            if matches(line) { return number }
        }
        return nil
    }
}
