import Foundation

/// One grid cell as the results store keeps it: what was run, how it ended, what it measured.
///
/// A cell is keyed by its content hash (model + data + plug-in ids with parameters + versions),
/// so the same hash from two shards is the same cell. `metrics` is the flat table a pivot needs;
/// `reportJSON`, `timingsJSON` and `provenanceJSON` are opaque JSON texts the caller produced
/// (for example an encoded ``ModelEvaluationReport``), stored verbatim.
public struct CellRecord: Codable, Sendable, Equatable {
    /// How a cell ended.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The cell ran to the end and its metrics are valid.
        case ok
        /// The cell failed; `error` says why and the rest of the grid went on.
        case failed
    }

    /// The cell's content hash, the primary key.
    public var hash: String
    /// The experiment the cell belongs to.
    public var experiment: String
    /// Axis name → value, for example `["format": "int4", "calibrator": "percentile(99.9)"]`.
    public var axes: [String: String]
    /// How the cell ended.
    public var status: Status
    /// The error message of a failed cell; `nil` for a cell that ran.
    public var error: String?
    /// Metric name → value. NaN and ±infinity are kept (as `"NaN"`, `"Infinity"`, `"-Infinity"`
    /// strings in `metrics_json`, NaN as NULL in the `metrics` table).
    public var metrics: [String: Double]
    /// The full cell report as JSON text, or `nil`.
    public var reportJSON: String?
    /// The cell's timings as JSON text, or `nil`.
    public var timingsJSON: String?
    /// Where the numbers came from as JSON text (workbench version, git commit, plug-in versions,
    /// SHA-256 of the model files and of the calibration set), or `nil`.
    public var provenanceJSON: String?
    /// When the cell started (stored as Unix seconds, a REAL).
    public var startedAt: Date
    /// When the cell finished (stored as Unix seconds, a REAL).
    public var finishedAt: Date

    /// Creates a record; every field is stored as given.
    public init(
        hash: String, experiment: String, axes: [String: String], status: Status, error: String? = nil,
        metrics: [String: Double] = [:], reportJSON: String? = nil, timingsJSON: String? = nil,
        provenanceJSON: String? = nil, startedAt: Date, finishedAt: Date
    ) {
        self.hash = hash
        self.experiment = experiment
        self.axes = axes
        self.status = status
        self.error = error
        self.metrics = metrics
        self.reportJSON = reportJSON
        self.timingsJSON = timingsJSON
        self.provenanceJSON = provenanceJSON
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Equality that treats two NaN metrics as equal (a NaN metric round-trips as NaN).
    public static func == (lhs: CellRecord, rhs: CellRecord) -> Bool {
        lhs.hash == rhs.hash && lhs.experiment == rhs.experiment && lhs.axes == rhs.axes
            && lhs.status == rhs.status && lhs.error == rhs.error
            && lhs.metrics.keys.sorted() == rhs.metrics.keys.sorted()
            && lhs.metrics.allSatisfy { key, value in
                guard let other = rhs.metrics[key] else { return false }
                return value == other || (value.isNaN && other.isNaN)
            }
            && lhs.reportJSON == rhs.reportJSON && lhs.timingsJSON == rhs.timingsJSON
            && lhs.provenanceJSON == rhs.provenanceJSON
            && lhs.startedAt == rhs.startedAt && lhs.finishedAt == rhs.finishedAt
    }
}

/// Canonical JSON for the store's columns: sorted keys, no escaped slashes, and non-finite
/// numbers as the strings Python's `json` module also writes unquoted (`NaN`, `Infinity`).
enum StoreJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
