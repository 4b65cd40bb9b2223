import QuantCore

/// The global minimum and maximum over all calibration batches.
///
/// Ranges are identical to PyTorch's MinMaxObserver / PerChannelMinMaxObserver and ONNX
/// Runtime's MinMaxCalibrater (REFERENCE.md §1.1, §2.1); the symmetric form is ±max(|min|, |max|).
public struct MinMax: Calibrator {
    public init() {}
    public var name: String { "minmax" }
    public var requirements: StatisticsRequest { .range }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        CalibrationResult(range: input.range(lower: input.statistics.min, upper: input.statistics.max))
    }
}

/// An exponential moving average of each batch's minimum and maximum.
///
/// The first batch initialises; each later batch moves the estimate by
/// `m ← m + momentum·(m_batch − m)`, exactly PyTorch's MovingAverageMinMaxObserver
/// (`averaging_constant` = 0.01) and ONNX Runtime's moving average across `collect_data` calls.
public struct EMAMinMax: Calibrator {
    public var momentum: Double
    public init(momentum: Double = 0.01) { self.momentum = momentum }
    public var name: String { momentum == 0.01 ? "ema-minmax" : "ema-minmax(momentum=\(momentum))" }
    public var requirements: StatisticsRequest { [.range, .batchRanges] }

    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        guard let first = input.statistics.batchRanges.first else {
            return CalibrationResult(range: ClipRange(lower: 0, upper: 0), note: "no finite value observed")
        }
        let c = Float(momentum)
        var lower = first.lower, upper = first.upper
        for batch in input.statistics.batchRanges.dropFirst() {
            lower = lower + c * (batch.lower - lower)
            upper = upper + c * (batch.upper - upper)
        }
        return CalibrationResult(range: input.range(lower: lower, upper: upper))
    }
}
