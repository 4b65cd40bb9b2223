import Foundation
import QuantBench
import QuantCore
import QuantTestKit
import Testing

/// docs/ImplementingACalibrator.md stays true. Every Swift and Python listing in it is an excerpt
/// of a real file, named by a `<!-- snippet: PATH -->` line just above the fence, so a listing
/// cannot drift from the code it shows. The guide is also a notebook: its grid cell must pass the
/// validation `quantbench run --dry-run` does.
@Suite struct GuideTests {
    static let guide = repositoryRoot.appendingPathComponent("docs/ImplementingACalibrator.md")

    /// A fenced block of the guide.
    struct Listing: CustomStringConvertible {
        var language: String
        /// The repository-relative file it is an excerpt of, if the guide names one.
        var source: String?
        /// The 1-based line of the opening fence.
        var line: Int
        var lines: [String]
        var description: String { "guide line \(line) (\(language)\(source.map { ", from \($0)" } ?? ""))" }
    }

    static func lines(of url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Every fenced block of the guide, with the snippet marker above it.
    static func listings() throws -> [Listing] {
        let text = try lines(of: guide)
        var listings: [Listing] = [], i = 0
        while i < text.count {
            guard text[i].hasPrefix("```") else { i += 1; continue }
            let language = String(text[i].dropFirst(3)).trimmingCharacters(in: .whitespaces)
            guard let close = text[(i + 1)...].firstIndex(where: { $0 == "```" }) else { break }
            var source: String?
            if i > 0, let marker = text[i - 1].firstMatch(of: /^<!-- snippet: (\S+) -->$/) { source = String(marker.1) }
            listings.append(Listing(language: language, source: source, line: i + 1, lines: Array(text[(i + 1)..<close])))
            i = close + 1
        }
        return listings
    }

    static func trimmed(_ lines: [String]) -> [String] { lines.map { $0.trimmingCharacters(in: .whitespaces) } }

    @Test func everySwiftAndPythonListingNamesItsSource() throws {
        let code = try Self.listings().filter { ["swift", "py", "python"].contains($0.language) }
        #expect(code.count >= 8, "the guide lost its listings")
        for listing in code {
            #expect(listing.source != nil, "\(listing) has no <!-- snippet: PATH --> line above it")
        }
    }

    @Test func everyListingIsAnExcerptOfItsSource() throws {
        for listing in try Self.listings() {
            guard let source = listing.source else { continue }
            let file = try Self.trimmed(Self.lines(of: repositoryRoot.appendingPathComponent(source)))
            let excerpt = Self.trimmed(listing.lines)
            let found = file.count >= excerpt.count && (0...(file.count - excerpt.count)).contains {
                Array(file[$0..<($0 + excerpt.count)]) == excerpt
            }
            #expect(found, "\(listing) is not (any longer) a verbatim excerpt of \(source)")
        }
    }

    @Test("the skeleton of step 1 compiles and conforms")
    func skeletonConforms() throws {
        let registry = PluginRegistry.builtIn
        let formats = try ["int8", "int8(symmetric=false)", "fp8-e4m3"].map { try registry.format($0) }
        #expect(Conformance.check(calibrator: MyCalibrator(), formats: formats).isEmpty)
    }

    @Test("the guide's grid cell validates and names both variants")
    func gridCellValidates() throws {
        let experiment: Experiment
        do {
            experiment = try Experiment(contentsOf: Self.guide.path)
        } catch {
            Issue.record("the guide's grid does not validate: \(error)")
            return
        }
        let grid = try #require(experiment.grids.first)
        #expect(experiment.grids.count == 1)
        let calibrators = grid.canonicalNames["calibrator"] ?? [:]
        #expect(calibrators["ksigma(3)"] == "ksigma(3)@1", "\(calibrators)")
        #expect(calibrators["python(Plugins/Examples/python/ksigma.py:ksigma3)"] != nil, "\(calibrators)")
        #expect(calibrators["minmax"] != nil)
    }
}
