import Foundation

/// Every cell of a run as flat files beside the store: `results.csv` (one row per cell) and
/// `results.jsonl` (one JSON object per cell), for pandas, spreadsheets and `jq`.
///
/// Cells come in a fixed order: those named in `cellOrder` (for example the grid's cell order)
/// first, in that order, then the rest by hash; so the same cells always give the same bytes.
public struct ResultsFiles: Sendable {
    /// The CSV file's name.
    public static let csvName = "results.csv"
    /// The JSON Lines file's name.
    public static let jsonLinesName = "results.jsonl"

    /// The cells, in file order.
    public let records: [CellRecord]

    /// Orders `records`: hashes listed in `cellOrder` first, in that order, then the others by hash.
    public init(records: [CellRecord], cellOrder: [String] = []) {
        let rank = Dictionary(cellOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.records = records.sorted { a, b in
            switch (rank[a.hash], rank[b.hash]) {
            case let (x?, y?): x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.hash < b.hash
            }
        }
    }

    /// Writes ``csvName`` and ``jsonLinesName`` into `directory` (created if missing).
    ///
    /// - Returns: the paths written, CSV first.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let folder = URL(fileURLWithPath: directory)
        let csvPath = folder.appendingPathComponent(Self.csvName).path
        let jsonPath = folder.appendingPathComponent(Self.jsonLinesName).path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: directory, detail: error.localizedDescription)
        }
        try Self.write(csv(), to: csvPath)
        try Self.write(jsonLines(), to: jsonPath)
        return [csvPath, jsonPath]
    }

    /// Writes `text` to `path` atomically.
    ///
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``.
    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ReportError.cannotWrite(path: path, detail: error.localizedDescription)
        }
    }

    /// ISO 8601 in UTC with milliseconds ("2026-09-21T12:00:00.250Z").
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
