import QuantCore

extension Conformance {
    /// A calibrator must return finite ranges with lower ≤ upper for every sample and format,
    /// symmetric ranges for symmetric formats, stay within the observed values (it clips, it
    /// does not invent range), give parameters that are positive and finite, and be
    /// deterministic.
    public static func check(calibrator: any Calibrator, formats: [any NumericFormat]) -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        for sample in samples() {
            let statistics = statistics(sample.values, request: calibrator.requirements.union(.range))
            for format in formats {
                let context = ScaleContext(tensorAbsMax: statistics.absMax)
                let input = CalibrationInput(statistics: statistics, format: format, context: context, tensorName: sample.name)
                func fail(_ check: String, _ detail: String) {
                    failures.append(.init(plugin: calibrator.name, check: check, detail: "\(sample.name), \(format.name): \(detail)"))
                }
                let first: CalibrationResult, second: CalibrationResult
                do {
                    first = try calibrator.calibrate(input)
                    second = try calibrator.calibrate(input)
                } catch {
                    fail("no error on valid statistics", "\(error)")
                    continue
                }
                let r = first.range
                if !(r.lower.isFinite && r.upper.isFinite && r.lower <= r.upper) { fail("finite ordered range", "\(r)") }
                if first != second { fail("deterministic", "\(first.range) then \(second.range)") }
                if format.rangeMode == .symmetric && r.lower != -r.upper { fail("symmetric range", "\(r) for a symmetric format") }
                let slack = statistics.absMax * 1e-5 + 1e-30
                if r.absMax > statistics.absMax + slack { fail("within observed values", "\(r) exceeds max|x| = \(statistics.absMax)") }
                let params = format.parameters(for: r, context: context)
                if !(params.scale > 0 && params.scale.isFinite) { fail("usable parameters", "scale \(params.scale) for \(r)") }
            }
        }
        return failures
    }
}
