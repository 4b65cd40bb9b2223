import QuantCore

/// A first calibrator: the observed range, as MinMax does. Replace the body with your idea.
struct MyCalibrator: Calibrator {
    var name: String { "my-calibrator" }
    var requirements: StatisticsRequest { .range }

    func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let s = input.statistics
        switch input.format.rangeMode {
        case .symmetric: return CalibrationResult(range: ClipRange(symmetric: s.absMax))
        case .affine: return CalibrationResult(range: ClipRange(lower: s.min, upper: s.max))
        }
    }
}
