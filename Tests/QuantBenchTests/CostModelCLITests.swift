import Foundation
import Testing

/// `quantbench list cost-models` shows each cost model with its parameters and assumptions.
@Suite("cost models in the CLI")
struct CostModelCLITests {
    @Test func listShowsCostModelsWithAssumptions() throws {
        let output = try CLIRunner.run(["list", "cost-models", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let entries = try #require(try CLIRunner.json(output) as? [[String: Any]])
        #expect(entries.compactMap { $0["id"] as? String } == ["size", "roofline", "energy", "measured"])
        let roofline = try #require(entries.first { $0["id"] as? String == "roofline" })
        let parameters = try #require(roofline["parameters"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(parameters == ["chip", "batch", "tokens", "unquantized", "eta-compute", "eta-memory", "launch-us", "chips"])
        let measured = try #require(entries.first { $0["id"] as? String == "measured" }?["assumptions"] as? [String])
        #expect(measured.first?.contains("NOT DEPLOYMENT LATENCY") == true)
        let text = try CLIRunner.run(["list", "cost-models"])
        #expect(text.stdout.hasPrefix("cost models:") && text.stdout.contains("assumes:"))
    }
}
