import Foundation

extension ResultsFiles {
    /// The fixed columns that start every row of `results.csv`.
    static let fixedColumns = ["hash", "experiment", "status", "error", "started_at", "finished_at"]

    /// `results.csv`: a header, then one row per cell (RFC 4180, CRLF line ends).
    ///
    /// Columns: ``fixedColumns``; every axis any cell has (the grid's axes in grid order, others
    /// sorted); every metric (sorted; a metric named like an earlier column is `metric.<name>`);
    /// and the timings, each top-level key of a timings object as `timings.<key>` (sorted), or
    /// one `timings` column holding JSON that is not an object. Numbers are plain (`nan`, `inf`,
    /// `-inf` for the non-finite); a value a cell lacks is an empty field.
    public func csv() -> String {
        let axes = Self.axisColumns(records)
        let metrics = Set(records.flatMap(\.metrics.keys)).sorted()
        let taken = Set(Self.fixedColumns + axes)
        let metricColumns = metrics.map { taken.contains($0) ? "metric.\($0)" : $0 }
        let timings = records.map { $0.timingsJSON.map { JSONValue.parse($0) ?? .string($0) } }
        var timingKeys = Set<String>(), rawTimings = false
        for case let timing? in timings {
            if case let .object(entries) = timing { timingKeys.formUnion(entries.keys) } else { rawTimings = true }
        }
        let sortedTimingKeys = timingKeys.sorted()
        let header = Self.fixedColumns + axes + metricColumns + sortedTimingKeys.map { "timings.\($0)" } + (rawTimings ? ["timings"] : [])
        var text = CSVText.record(header)
        for (record, timing) in zip(records, timings) {
            var fields = [
                record.hash, record.experiment, record.status.rawValue, record.error ?? "", Self.timestamp(record.startedAt),
                Self.timestamp(record.finishedAt),
            ]
            fields += axes.map { record.axes[$0] ?? "" }
            fields += metrics.map { record.metrics[$0].map(CSVText.number) ?? "" }
            let entries: [String: JSONValue]
            if case let .object(object)? = timing { entries = object } else { entries = [:] }
            fields += sortedTimingKeys.map { entries[$0]?.csvField ?? "" }
            if rawTimings {
                if case .object? = timing { fields.append("") } else { fields.append(timing?.csvField ?? "") }
            }
            text += CSVText.record(fields)
        }
        return text
    }

    /// `results.jsonl`: one JSON object per cell and line, keys sorted.
    ///
    /// Each object has `hash`, `experiment`, `status`, `error` (or null), `axes`, `metrics`
    /// (non-finite values as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, as the store
    /// keeps them), `timings` and `provenance` (the stored JSON parsed; text that is not JSON is
    /// kept as a string; null when absent), `started_at` and `finished_at` (ISO 8601, UTC).
    public func jsonLines() -> String {
        records.map { record in
            let line = Line(
                hash: record.hash, experiment: record.experiment, status: record.status.rawValue, error: record.error,
                axes: record.axes, metrics: record.metrics,
                timings: record.timingsJSON.map { JSONValue.parse($0) ?? .string($0) } ?? .null,
                provenance: record.provenanceJSON.map { JSONValue.parse($0) ?? .string($0) } ?? .null,
                startedAt: Self.timestamp(record.startedAt), finishedAt: Self.timestamp(record.finishedAt))
            // Every field is a string, number or JSONValue, and non-finite numbers become strings.
            return ((try? StoreJSON.encode(line)) ?? "{}") + "\n"
        }.joined()
    }

    /// One line of `results.jsonl`.
    private struct Line: Encodable {
        var hash: String
        var experiment: String
        var status: String
        var error: String?
        var axes: [String: String]
        var metrics: [String: Double]
        var timings: JSONValue
        var provenance: JSONValue
        var startedAt: String
        var finishedAt: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hash, forKey: .hash)
            try container.encode(experiment, forKey: .experiment)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)
            try container.encode(axes, forKey: .axes)
            try container.encode(metrics, forKey: .metrics)
            try container.encode(timings, forKey: .timings)
            try container.encode(provenance, forKey: .provenance)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(finishedAt, forKey: .finishedAt)
        }

        enum CodingKeys: String, CodingKey {
            case hash, experiment, status, error, axes, metrics, timings, provenance
            case startedAt = "started_at", finishedAt = "finished_at"
        }
    }

    /// The axis columns: the grid's axes in grid order, then any others sorted.
    static func axisColumns(_ records: [CellRecord]) -> [String] {
        let present = Set(records.flatMap(\.axes.keys))
        let known = GridSpec.axisNames.filter(present.contains)
        return known + present.subtracting(known).sorted()
    }
}
