import Foundation

extension ValidationReport {
    /// The report as Markdown with aligned tables: readable in a terminal, and `validation.md`.
    public func markdown(culpritLimit: Int = 5) -> String {
        var parts = [header(), calibratorTable(), sizeSection(), verdictSection()]
        if !culprits.isEmpty { parts.append(culpritSection(limit: culpritLimit)) }
        if !worstWeights.isEmpty || !worstActivations.isEmpty { parts.append(worstSection()) }
        if !triage.isEmpty { parts.append("## Triage\n\n" + triage.map { "- " + $0 }.joined(separator: "\n")) }
        parts.append("## Latency\n\n" + latencyNote)
        let timing = seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.fmt($0.value)) s" }.joined(separator: ", ")
        parts.append("Timing: " + timing + ".")
        return parts.joined(separator: "\n\n") + "\n"
    }

    func header() -> String {
        let config = configuration.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let direction = metric.higherIsBetter ? "higher is better; drop = FP32 − quantized" : "lower is better; drop = quantized − FP32"
        return """
            # Validation of \(model): \(verdict.rawValue)

            Configuration: \(config). Calibration items: \(calibrationItems); evaluation items: \(evaluationItems).
            Primary metric: `\(metric.name)` (\(direction)). FP32 baseline: \(Self.fmt(fp32Value)).
            Budget: \(budget) → allowed drop \(Self.fmt(allowedDrop)).
            """
    }

    func calibratorTable() -> String {
        var table = AlignedMarkdownTable(["calibrator", metric.name, "drop", "within budget", "weight SQNR dB", "act SQNR dB", "seconds"])
        table.append(["FP32", Self.fmt(fp32Value), "", "", "", "", ""])
        for row in calibrators {
            guard let value = row.value else {
                table.append([row.calibrator, "failed", "", "no", "", "", ""])
                continue
            }
            let mark = row.calibrator == best ? " (best)" : ""
            table.append([
                row.calibrator + mark, Self.fmt(value), row.drop.map(Self.fmt) ?? "", row.withinBudget ? "yes" : "no",
                row.meanWeightSQNR.map(Self.fmt) ?? "", row.meanActivationSQNR.map(Self.fmt) ?? "", Self.fmt(row.seconds),
            ])
        }
        let failures = calibrators.compactMap { row in row.error.map { "- \(row.calibrator) failed: \($0)" } }
        return (["## Calibrators", table.render()] + (failures.isEmpty ? [] : [failures.joined(separator: "\n")])).joined(separator: "\n\n")
    }

    func sizeSection() -> String {
        var table = AlignedMarkdownTable(["weight", "elements", "granules", "bits", "FP32 bits", "compression"])
        let shown = size.layers.count > 12 ? 10 : size.layers.count
        for layer in size.layers.prefix(shown) {
            table.append([layer.tensor, "\(layer.elements)", "\(layer.granules)", "\(layer.bits)", "\(32 * layer.elements)", Self.fmt(layer.compression) + "×"])
        }
        if shown < size.layers.count {
            table.append(["… \(size.layers.count - shown) more (validation.json / --json)", "", "", "", "", ""])
        }
        table.append(["quantized layers", "\(size.quantizedElements)", "", "\(size.quantizedBits)", "\(32 * size.quantizedElements)",
                      Self.fmt(size.layerCompression) + "×"])
        let other = 32 * size.otherElements
        table.append(["whole checkpoint", "\(size.quantizedElements + size.otherElements)", "", "\(size.quantizedBits + other)",
                      "\(32 * (size.quantizedElements + size.otherElements))", Self.fmt(size.modelCompression) + "×"])
        return """
            ## Size (\(size.format))

            bits = Σ elements·b + granules·(scale + zero-point bits) + per-tensor bits; the other \(size.otherElements) \
            checkpoint parameters (biases, embeddings, norms) stay FP32. Check: quantized layers ≥ \(Self.fmt(size.minimumCompression))× \
            → \(size.passed ? "pass" : "FAIL").

            \(table.render())
            """
    }

    func verdictSection() -> String {
        "## Verdict: \(verdict.rawValue)\n\n" + reasons.map { "- " + $0 }.joined(separator: "\n")
    }

    func culpritSection(limit: Int) -> String {
        var table = AlignedMarkdownTable([
            "layer", "restored \(metric.name)", "recovery", "share of loss", "weight SQNR dB", "act SQNR dB", "weight outlier", "act outlier",
        ])
        for culprit in culprits.prefix(limit) {
            table.append([
                culprit.layer, Self.fmt(culprit.restoredValue), Self.fmt(culprit.recovery), Self.fmt(culprit.recoveredShare * 100) + "%",
                culprit.weightSQNR.map(Self.fmt) ?? "", culprit.activationSQNR.map(Self.fmt) ?? "", Self.fmt(culprit.weightOutlierRatio),
                culprit.activationOutlierRatio.map(Self.fmt) ?? "",
            ])
        }
        let restored = configuration["activations"] == nil ? "its weight" : "its weight and its input activation"
        return """
            ## Culprits (leave-one-out with \(best))

            Each quantized layer in turn restored to FP32 (\(restored)), everything else quantized; \
            top \(min(limit, culprits.count)) of \(culprits.count) by recovery.

            \(table.render())
            """
    }

    func worstSection() -> String {
        var table = AlignedMarkdownTable(["kind", "tensor or site", "SQNR dB", "cosine"])
        for layer in worstWeights { table.append(["weight", layer.name, Self.fmt(layer.sqnrDB), Self.fmt(layer.cosine)]) }
        for site in worstActivations { table.append(["activation", site.name, Self.fmt(site.sqnrDB), Self.fmt(site.cosine)]) }
        return "## Lowest SQNR (\(best))\n\n" + table.render()
    }

    static func fmt(_ x: Double) -> String { ValidationTriage.fmt(x) }
}
