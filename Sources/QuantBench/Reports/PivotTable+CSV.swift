extension PivotTable {
    /// The table as CSV (RFC 4180: CRLF line ends, fields quoted when needed).
    ///
    /// One column per row axis, then per column key either the value (named by the key's values
    /// joined by " / ", or by the metric when there are no column axes) or, when any slot holds
    /// seed replicates, three columns "<name> <aggregation>", "<name> std", "<name> n". Numbers
    /// are the stored ones, unscaled and unrounded; an empty slot (or the std of one value) is
    /// an empty field. `options` is not used: CSV carries no caption, precision or bold.
    public func csv(_ options: PivotRenderOptions = PivotRenderOptions()) -> String {
        let replicated = hasReplicates
        let names = spec.columns.isEmpty ? [spec.metric] : columnKeys.map { $0.joined(separator: " / ") }
        var header = spec.rows
        for name in names {
            header += replicated ? ["\(name) \(spec.aggregation.rawValue)", "\(name) std", "\(name) n"] : [name]
        }
        var text = CSVText.record(header)
        for (r, key) in rowKeys.enumerated() {
            var fields = key
            for slot in slots[r] {
                let value = slot.map { CSVText.number($0.aggregated(spec.aggregation)) } ?? ""
                guard replicated else {
                    fields.append(value)
                    continue
                }
                let std = slot?.standardDeviation.map(CSVText.number) ?? ""
                fields += [value, std, slot.map { String($0.count) } ?? ""]
            }
            text += CSVText.record(fields)
        }
        return text
    }
}
