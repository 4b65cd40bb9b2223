import Foundation
import QuantCore
import QuantModels

extension CellExecution {
    /// A `weights-only:PATH` cell: every float weight of the file (2-D or more) quantized with
    /// the cell's recipe, nothing run. Metrics: mean per-tensor SQNR and cosine, storage bits
    /// per weight, and the SQNR over all weights at once.
    func runWeightsOnly(_ plan: CellPlan) -> CellRecord {
        let started = Date(), clock = ContinuousClock(), start = clock.now
        let path = String(plan.model.dropFirst(GridSpec.weightsOnlyPrefix.count))
        do {
            guard plan.activations == nil else {
                throw QuantCoreError.incompatible("'\(plan.model)' is a weights file, not a model: it has no activations to quantize; use activations = \"none\"")
            }
            guard let recipe = plan.weights else { throw QuantCoreError.incompatible("weights = \"none\" leaves nothing to measure in '\(plan.model)'") }
            let report = WeightsOnlyStudy(recipe: recipe).run(try TensorFiles.open(path: path))
            if !report.failures.isEmpty { throw QuantCoreError.incompatible(report.failures.joined(separator: "; ")) }
            guard !report.tensors.isEmpty else { throw QuantCoreError.incompatible("'\(path)' holds no float weight of 2 or more dimensions") }
            let count = Double(report.tensors.count)
            var record = weightsOnlyRecord(plan, path: path, status: .ok, started: started, seconds: (clock.now - start).seconds)
            record.metrics = [
                "weight_sqnr_db": report.tensors.map(\.sqnrDB).reduce(0, +) / count,
                "weight_cosine": report.tensors.map(\.cosine).reduce(0, +) / count,
                "weight_bits": report.bitsPerElement, "weight_sqnr_overall_db": report.overallSQNR,
                "seconds": (clock.now - start).seconds,
            ]
            record.reportJSON = try? StoreJSON.encode(report)
            return record
        } catch {
            var record = weightsOnlyRecord(plan, path: path, status: .failed, started: started, seconds: (clock.now - start).seconds)
            record.error = Self.describe(error)
            return record
        }
    }

    private func weightsOnlyRecord(_ plan: CellPlan, path: String, status: CellRecord.Status, started: Date, seconds: Double) -> CellRecord {
        var files: [String: String] = [:]
        if let digest = try? FileDigest.sha256(ofFileAt: path) { files[(path as NSString).lastPathComponent] = digest }
        let provenance: [String: [String: String]] = ["workbench": provenance, "model_files": files]
        return CellRecord(
            hash: plan.cell.hash, experiment: experiment, axes: plan.axisTexts, status: status,
            timingsJSON: try? StoreJSON.encode(["quantize": seconds]), provenanceJSON: try? StoreJSON.encode(provenance),
            startedAt: started, finishedAt: Date())
    }
}
