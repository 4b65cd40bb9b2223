import Foundation
import PythonBridge

extension NotebookRun {
    /// A plot cell: one figure (per facet value) as PNG and PDF, linked from the report.
    func plotOutput(_ spec: PlotCellSpec, records: [CellRecord]) throws -> CellOutput {
        var text = ""
        let facets: [String?] = spec.facet.map { facet in
            let values = Set(records.compactMap { $0.axes[facet] })
            return (valueOrder[facet] ?? []).filter(values.contains) as [String?]
        } ?? [nil]
        for facet in facets {
            var filters = spec.filters
            if let axis = spec.facet, let facet { filters[axis] = [facet] }
            let base = facet.map { "\(spec.name)-\(Self.fileSafe($0))" } ?? spec.name
            let info = MetricCatalog.standard.info(for: spec.y)
            var title = spec.title ?? "\(info.label) by \(spec.x)"
            if let axis = spec.facet, let facet { title += " (\(axis) = \(facet))" }
            for ext in ["png", "pdf"] {
                try draw(spec, records: records, filters: filters, title: title, to: "\(directory)/\(base).\(ext)")
            }
            text += "\n![\(title)](\(base).png)\n\n[PDF](\(base).pdf)\n"
        }
        return .markdown(text)
    }

    private func draw(_ spec: PlotCellSpec, records: [CellRecord], filters: [String: [String]], title: String, to path: String) throws {
        let yInfo = MetricCatalog.standard.info(for: spec.y)
        let yLabel = Self.axisLabel(yInfo)
        if spec.kind == "scatter" {
            let xInfo = MetricCatalog.standard.info(for: spec.x)
            let selected = records.filter { record in
                record.status == .ok && filters.allSatisfy { $0.value.contains(record.axes[$0.key] ?? "") }
                    && record.metrics[spec.x] != nil && record.metrics[spec.y] != nil
            }
            let labels = Self.pointLabels(selected, hue: spec.hue)
            let points = zip(selected, labels).map { record, label in
                ScatterPoint(label: label, x: record.metrics[spec.x]! * xInfo.scale, y: record.metrics[spec.y]! * yInfo.scale)
            }
            try Plotter.paretoScatter(
                points, lowerXBetter: xInfo.direction != .higherIsBetter, higherYBetter: yInfo.direction != .lowerIsBetter,
                style: PlotStyle(title: title, xLabel: Self.axisLabel(xInfo), yLabel: yLabel), to: path)
            return
        }
        let pivot = try PivotTable(
            records: records,
            spec: PivotSpec(rows: [spec.x], columns: spec.hue.map { [$0] } ?? [], metric: spec.y, filters: filters, valueOrder: valueOrder))
        let groups = pivot.rowKeys.map { $0.joined(separator: " ") }
        let series = pivot.columnKeys.enumerated().map { c, key in
            (label: key.joined(separator: " "), values: pivot.rowKeys.indices.map { r in (pivot.slots[r][c]?.mean ?? .nan) * yInfo.scale })
        }
        let style = PlotStyle(title: title, xLabel: spec.x, yLabel: yLabel)
        switch spec.kind {
        case "line":
            let xs = groups.enumerated().map { Double($1) ?? Double($0) }
            try Plotter.linePlot(series.map { LineSeries(label: $0.label, x: xs, y: $0.values) }, style: style, to: path)
        case "heatmap":
            try Plotter.heatmap(
                rows: groups, columns: series.map(\.label), values: groups.indices.map { r in series.map { $0.values[r] } },
                colorbarLabel: yLabel, style: PlotStyle(title: title, xLabel: spec.hue ?? "", yLabel: spec.x), to: path)
        default:
            try Plotter.groupedBars(groups: groups, series: series.map { BarSeries(label: $0.label, values: $0.values) }, style: style, to: path)
        }
    }

    /// "Top-1 (%) ↑" for an axis.
    static func axisLabel(_ info: MetricInfo) -> String {
        var label = info.label
        if let unit = info.unit { label += " (\(unit))" }
        switch info.direction {
        case .higherIsBetter: label += " ↑"
        case .lowerIsBetter: label += " ↓"
        default: break
        }
        return label
    }

    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    }

    /// Each point's label: its `hue` value, followed by the values of the other grid axes that
    /// tell apart points sharing that value (`uniform, int4` and `uniform, int8`).
    static func pointLabels(_ records: [CellRecord], hue: String?) -> [String] {
        guard let hue else { return records.map { _ in "" } }
        let base = records.map { $0.axes[hue] ?? "" }
        let varying = GridSpec.axisNames.filter { axis in axis != hue && Set(records.map { $0.axes[axis] ?? "" }).count > 1 }
        return records.indices.map { i in
            let twins = records.indices.filter { base[$0] == base[i] }
            guard twins.count > 1 else { return base[i] }
            let extra = varying.filter { axis in Set(twins.map { records[$0].axes[axis] ?? "" }).count > 1 }.compactMap { records[i].axes[$0] }
            return ([base[i]] + extra).joined(separator: ", ")
        }
    }
}
