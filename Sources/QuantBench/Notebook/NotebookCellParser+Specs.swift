import QuantCore

extension NotebookCellParser {
    /// The table cell's spec, or `nil` with ``errors`` filled.
    mutating func tableSpec() -> TableCellSpec? {
        guard load(keys: TableCellSpec.keys) else { return nil }
        let rows = strings("rows") ?? []
        let columns = strings("columns") ?? []
        if rows.isEmpty { errors.append(.badValue(at("rows"), key: "rows", value: "(missing)", reason: "a table needs 'rows' (an axis or a list of axes)")) }
        checkAxes(rows, key: "rows")
        checkAxes(columns, key: "columns")
        let metric = string("metric") ?? string("value")
        if let metric { checkMetric(metric, key: table(has: "metric") ? "metric" : "value") } else {
            errors.append(.badValue(at("metric"), key: "metric", value: "(missing)", reason: "a table needs 'metric', e.g. metric = \"top1\""))
        }
        let aggregation = string("aggregation", allowed: TableCellSpec.aggregations) ?? "mean"
        let formats = strings("formats") ?? TableCellSpec.formatNames
        for format in formats where !TableCellSpec.formatNames.contains(format) {
            errors.append(.badValue(at("formats"), key: "formats", value: "\"\(format)\"", reason: "formats are \(TableCellSpec.formatNames.joined(separator: ", "))\(ExperimentError.didYouMean(closeMatches(format, in: TableCellSpec.formatNames)))"))
        }
        let filters = filters()
        let caption = string("caption"), label = string("label")
        let name = string("name") ?? "table-\(cell.index)"
        guard errors.isEmpty, let metric else { return nil }
        return TableCellSpec(
            rows: rows, columns: columns, metric: metric, aggregation: aggregation, formats: formats, filters: filters,
            caption: caption, label: label, name: name)
    }

    /// The plot cell's spec, or `nil` with ``errors`` filled.
    mutating func plotSpec() -> PlotCellSpec? {
        guard load(keys: PlotCellSpec.keys) else { return nil }
        let kind = string("kind", required: true, allowed: PlotCellSpec.kinds)
        let x = string("x", required: true), y = string("y", required: true)
        if let x { kind == "scatter" ? checkMetric(x, key: "x") : checkAxes([x], key: "x") }
        if let y { checkMetric(y, key: "y") }
        let hue = string("hue"), facet = string("facet")
        checkAxes([hue, facet].compactMap { $0 }, key: hue != nil ? "hue" : "facet")
        if kind == "heatmap", hue == nil {
            errors.append(.badValue(at("kind"), key: "hue", value: "(missing)", reason: "a heatmap needs 'hue', the axis of its columns"))
        }
        let filters = filters()
        let title = string("title"), name = string("name") ?? "plot-\(cell.index)"
        guard errors.isEmpty, let kind, let x, let y else { return nil }
        return PlotCellSpec(kind: kind, x: x, y: y, hue: hue, facet: facet, filters: filters, title: title, name: name)
    }

    private func table(has key: String) -> Bool { (try? GridValue.parseTOML(cell.text))?[key] != nil }
}
