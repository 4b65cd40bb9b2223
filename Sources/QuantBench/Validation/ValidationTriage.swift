import Foundation
import QuantCore
import QuantModels

/// The verdict's reasons and, when accuracy fails, the seed notes' triage steps that apply.
///
/// Triage (seed notes, "What should I try if PTQ validation fails"): improve calibration; switch
/// the range estimator (outlier ratio max/P99 > 10 → mse); finer granularity (per-channel,
/// group-wise); mixed precision for sensitive layers; below INT8, group-wise scales or QAT.
enum ValidationTriage {
    /// Share of the loss above which one layer is called *the* culprit.
    static let dominantShare = 0.5
    /// Outlier ratio above which the seed notes recommend mse over minmax or percentile.
    static let heavyTail = 10.0

    static func reasons(_ report: ValidationReport) -> [String] {
        var reasons: [String] = []
        let metric = report.metric.name
        if let best = report.calibrators.first(where: { $0.calibrator == report.best }), let value = best.value, let drop = best.drop {
            let relation = report.accuracyPassed ? "≤" : ">"
            reasons.append(
                "accuracy \(report.accuracyPassed ? "passes" : "fails"): best calibrator \(best.calibrator) gives \(metric) "
                    + "\(fmt(value)) vs FP32 \(fmt(report.fp32Value)), drop \(fmt(drop)) \(relation) allowed \(fmt(report.allowedDrop)) "
                    + "(budget \(report.budget))")
        }
        let size = report.size
        reasons.append(
            "size \(size.passed ? "passes" : "fails"): quantized layers compress \(fmt(size.layerCompression))× "
                + "(\(size.passed ? "≥" : "<") minimum \(fmt(size.minimumCompression))×); whole checkpoint \(fmt(size.modelCompression))× "
                + "with \(size.otherElements) other parameters at FP32")
        for row in report.calibrators where row.error != nil {
            reasons.append("calibrator \(row.calibrator) failed and was not considered: \(row.error ?? "")")
        }
        return reasons
    }

    static func suggestions(_ report: ValidationReport, validation: ModelValidation, task: any ModelTask) -> [String] {
        var steps: [String] = []
        let helpful = report.culprits.filter { $0.recovery > 0 }
        if let top = helpful.first {
            let share = Int((top.recoveredShare * 100).rounded())
            if top.recoveredShare >= dominantShare {
                steps.append("mixed precision: keep \(top.layer) in higher precision — restoring it alone recovers \(share)% of the loss")
            } else {
                steps.append("no single layer explains the loss (\(top.layer) recovers \(share)%): the error is spread, so raise the "
                    + "precision of all layers (more bits, finer granularity) rather than one")
            }
        }
        for culprit in helpful.prefix(3) {
            if let ratio = culprit.activationOutlierRatio, ratio > heavyTail, let site = culprit.site {
                let fix = report.best == "mse" ? "finer activation granularity (per-channel or per-token)" : "mse (or percentile(99.9))"
                steps.append("switch range estimator at \(site): outlier ratio \(fmt(ratio)) > 10 → \(fix)")
            }
            if culprit.weightOutlierRatio > heavyTail {
                steps.append("weights of \(culprit.layer) have outlier ratio \(fmt(culprit.weightOutlierRatio)) > 10 → mse for weights "
                    + "or a finer granularity")
            }
        }
        steps += configurationSteps(report, validation: validation, task: task)
        steps.append("if all else fails: revisit the bit-width or the budget, or use quantization-aware training")
        return steps
    }

    static func configurationSteps(_ report: ValidationReport, validation: ModelValidation, task: any ModelTask) -> [String] {
        var steps: [String] = []
        let bits = validation.weights.format.elementBits
        if case .whole = granularityCut(validation, task: task) {
            steps.append("finer granularity: per-channel weights (--granularity per-channel), or per-group(128) and smaller below 8 bits")
        }
        if bits < 8 {
            steps.append("\(bits)-bit weights are below INT8, where PTQ falls off a cliff: group-wise scales (per-group(32)…per-group(128)), "
                + "mixed precision for the sensitive layers, or QAT")
        }
        if let activations = validation.activations, activations.isStatic, report.calibrationItems < task.calibrationCount {
            steps.append("improve calibration: observe more and more varied items (--calibration \(task.calibrationCount) uses the "
                + "whole pool of \(task.calibrationCount); \(report.calibrationItems) were used) and add stressor inputs")
        }
        if !report.calibrators.contains(where: { $0.calibrator == "mse" }) {
            steps.append("switch range estimation: add mse to --calibrators (the seed notes' strongest default)")
        }
        return steps
    }

    /// How the weight granularity cuts the first quantized weight (per-tensor is `.whole`).
    static func granularityCut(_ validation: ModelValidation, task: any ModelTask) -> GranulePartition.Cut? {
        guard let name = task.quantizableWeights.first, let shape = task.weights[name]?.shape, let rows = shape.first else { return nil }
        let flat = [rows, shape.dropFirst().reduce(1, *)]
        return try? validation.weights.granularity.partition(shape: flat, tensor: name).cut
    }

    static func fmt(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        let magnitude = abs(x)
        if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.3e", x) }
        return String(format: "%.4f", x).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }
}
