import Foundation
import Testing

/// `quantbench fetch-assets` run as a user would. Fetching itself (pip) is covered with fake
/// wheels in QuantModelsTests and for real by scripts/setup; these runs never download anything.
@Suite struct FetchAssetsCLITests {
    /// The package root, where scripts/setup put `.assets`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("--verify-only --json on the fetched cache: all four assets present, exit 0")
    func verifiesFetchedCache() throws {
        let output = try CLIRunner.run(["fetch-assets", "--verify-only", "--json"], in: Self.packageRoot)
        #expect(output.status == 0, "\(output.stderr)")
        let report = try #require(try CLIRunner.json(output) as? [String: Any])
        #expect(report["ok"] as? Bool == true)
        let assets = try #require(report["assets"] as? [[String: Any]])
        #expect(assets.compactMap { $0["id"] as? String } == ["digits-cnn", "sklearn-digits", "minilm", "gensim-data"])
        #expect(assets.allSatisfy { $0["status"] as? String == "present" })
    }

    @Test("--quiet prints nothing when every asset is present, and downloads nothing")
    func quietWhenPresent() throws {
        let output = try CLIRunner.run(["fetch-assets", "--quiet"], in: Self.packageRoot)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty && output.stderr.isEmpty, "\(output.stdout)\(output.stderr)")
    }

    @Test("--verify-only on an empty root lists every asset missing, says to fetch, and exits 1")
    func verifyOnlyEmptyRoot() throws {
        let scratch = try Scratch()
        let output = try CLIRunner.run(["fetch-assets", "--verify-only", "--root", scratch.path("cache")])
        #expect(output.status == 1)
        #expect(output.stdout.contains("root: \(scratch.path("cache"))"))
        #expect(output.stdout.components(separatedBy: "missing").count - 1 == 4, "\(output.stdout)")
        #expect(output.stderr.contains("run 'quantbench fetch-assets'"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("cache")), "verifying creates nothing")
    }
}
