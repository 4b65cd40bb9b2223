/// A Markdown pipe table padded to aligned columns, so it reads the same in a terminal.
struct AlignedMarkdownTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// The header, a `---:` rule (first column left-aligned, others right-aligned) and the rows.
    func render() -> String {
        let widths = header.indices.map { c in ([header] + rows).map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = header.indices.map { c -> String in
                let cell = c < cells.count ? cells[c] : ""
                let pad = String(repeating: " ", count: max(0, widths[c] - cell.count))
                return c == 0 ? cell + pad : pad + cell
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { c, w in
            c == 0 ? ":" + String(repeating: "-", count: max(3, w + 1)) : String(repeating: "-", count: max(3, w + 1)) + ":"
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
