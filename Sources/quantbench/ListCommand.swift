import ArgumentParser
import CostModels
import QuantBench
import Foundation
import QuantCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the plug-ins with their parameters and defaults.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case calibrators, granularities, formats
        case costModels = "cost-models"
    }

    @Argument(help: "Which plug-ins: calibrators, granularities, formats or cost-models (default: all).")
    var kind: Kind?

    @Flag(help: "Print JSON.")
    var json = false

    struct Entry: Encodable {
        struct Parameter: Encodable {
            var name: String
            var allowed: String
            /// nil for a required parameter.
            var `default`: String?
            var summary: String
        }
        var kind: String
        var id: String
        var summary: String
        var version: String
        var parameters: [Parameter]
        /// What a cost model assumes (nil for other plug-ins).
        var assumptions: [String]?
    }

    func run() throws {
        try runReportingErrors {
            let registry = PluginRegistry.builtIn
            var entries: [Entry] = []
            let kinds = kind.map { [$0] } ?? [.formats, .granularities, .calibrators, .costModels]
            for k in kinds {
                switch k {
                case .formats: entries += registry.formats.map { Self.entry($0, kind: "format") }
                case .granularities: entries += registry.granularities.map { Self.entry($0, kind: "granularity") }
                case .calibrators: entries += registry.calibrators.map { Self.entry($0, kind: "calibrator") }
                case .costModels:
                    entries += registry.costModels.map { d in
                        var e = Self.entry(d, kind: "cost model")
                        e.assumptions = CostModelPlugins.assumptions[d.displayID]
                        return e
                    }
                }
            }
            if json { try printJSON(entries) } else { print(Self.render(entries)) }
        }
    }

    static func entry<Value>(_ d: PluginDescriptor<Value>, kind: String) -> Entry {
        Entry(
            kind: kind, id: d.displayID, summary: d.summary, version: d.version,
            parameters: d.parameters.map { .init(name: $0.name, allowed: $0.allowedDescription, default: $0.defaultValue, summary: $0.summary) })
    }

    static func render(_ entries: [Entry]) -> String {
        var lines: [String] = []
        var currentKind = ""
        for e in entries {
            if e.kind != currentKind {
                if !lines.isEmpty { lines.append("") }
                lines.append(e.kind == "granularity" ? "granularities:" : e.kind == "cost model" ? "cost models:" : "\(e.kind)s:")
                currentKind = e.kind
            }
            lines.append("  \(e.id.padding(toLength: max(18, e.id.count), withPad: " ", startingAt: 0))  \(e.summary)")
            for p in e.parameters {
                lines.append("      \(p.name)=\(p.default ?? "(required)")  (\(p.allowed)) \(p.summary)")
            }
            for (i, a) in (e.assumptions ?? []).enumerated() {
                lines.append("      \(i == 0 ? "assumes:" : "        ") \(a)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
