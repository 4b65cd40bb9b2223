import QuantCore

/// The wall-clock of the workbench's own fake-quant forward pass on this machine.
///
/// This is simulation cost, not deployment latency: every format is emulated in fp32 here, so
/// an int4 plan is not faster than fp32 and may be slower. Don't claim latency wins until the
/// model runs on a runtime with native low-precision execution.
public struct MeasuredCostModel: CostModel {
    public static let assumptions = [
        "SIMULATION COST, NOT DEPLOYMENT LATENCY: the time of QuantBench's own fake-quant evaluation (fp32 arithmetic with rounding to the format), divided by the items evaluated.",
        "Lower precision does not run faster here; don't claim latency wins until using a runtime with native INT8 (or FP8, INT4) execution and checking for silent upcasts.",
        "The figure depends on this machine, its load and the thread count the evaluation ran on.",
    ]

    public init() {}
    public var name: String { "measured" }
    public var assumptions: [String] { Self.assumptions }
    public var metricNames: [String] { ["sim_ms_per_item", "sim_seconds", "sim_threads"] }

    /// - Throws: ``CostModelError/noMeasurement(model:)`` when the plan was never run (or ran on no item).
    public func estimate(_ plan: CostPlan) throws -> CostEstimate {
        guard let m = plan.measurement, m.items > 0 else { throw CostModelError.noMeasurement(model: plan.model) }
        let perItem = m.seconds * 1000 / Double(m.items)
        return CostEstimate(
            metrics: ["sim_ms_per_item": perItem, "sim_seconds": m.seconds, "sim_threads": Double(m.threads)],
            notes: [
                "simulation cost on this machine (\(m.items) items, \(m.threads) thread(s)), not deployment latency"
            ])
    }
}
