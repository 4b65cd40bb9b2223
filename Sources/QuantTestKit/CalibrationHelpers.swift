import QuantCore

/// Helpers for calibrator tests: one tensor observed as one batch, and one calibration run.
public enum CalibrationHelpers {
    /// Statistics of `values` taken as one batch, as the observer collects them.
    public static func observe(_ values: [Float], request: StatisticsRequest = [.range, .moments]) -> GranuleStatistics {
        var statistics = GranuleStatistics(request: request)
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            statistics.observe(base, partition: .whole(count: buffer.count), granule: 0)
        }
        return statistics
    }

    /// Runs the calibrator named `calibrator` from `registry` on `statistics` for `format`.
    public static func calibrate(
        _ calibrator: String, _ format: String, on statistics: GranuleStatistics, registry: PluginRegistry
    ) throws -> ClipRange {
        let input = CalibrationInput(
            statistics: statistics, format: try registry.format(format),
            context: ScaleContext(tensorAbsMax: statistics.absMax), tensorName: "test")
        return try registry.calibrator(calibrator).calibrate(input).range
    }
}
