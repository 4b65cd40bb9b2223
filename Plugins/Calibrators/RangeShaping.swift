import QuantCore

extension CalibrationInput {
    /// The range a calibrator returns for a clipping threshold `t` on |x|: ±t for symmetric
    /// formats; for affine formats [max(min, −t), min(max, t)], so a one-sided tensor keeps a
    /// one-sided range.
    func range(threshold t: Float) -> ClipRange {
        switch format.rangeMode {
        case .symmetric:
            return ClipRange(symmetric: t)
        case .affine:
            return ClipRange(lower: Swift.max(statistics.min, -t), upper: Swift.min(statistics.max, t))
        }
    }

    /// The range for observed bounds: ±max(|lower|, |upper|) for symmetric formats, as is for affine.
    func range(lower: Float, upper: Float) -> ClipRange {
        switch format.rangeMode {
        case .symmetric: return ClipRange(symmetric: Swift.max(Swift.abs(lower), Swift.abs(upper)))
        case .affine: return ClipRange(lower: lower, upper: upper)
        }
    }

    /// The histogram a calibrator asked for, or an error naming the calibrator (a programming
    /// error in a custom observer, not a user error, but never a trap).
    func histogram(_ keyPath: KeyPath<GranuleStatistics, Histogram?>, for calibrator: String) throws -> Histogram {
        guard let h = statistics[keyPath: keyPath] else {
            throw QuantCoreError.incompatible(
                "\(calibrator) needs a histogram of tensor '\(tensorName)' but none was collected; declare it in requirements")
        }
        return h
    }
}
