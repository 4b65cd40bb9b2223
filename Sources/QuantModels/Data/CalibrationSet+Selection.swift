extension CalibrationSet {
    /// The positions in a calibration pool of `poolSize` items that this set draws, in the order
    /// calibration sees them.
    ///
    /// - Seed 0: the first `size` positions, `0 ..< size` (what `calibrate(count:)` always took).
    /// - Any other seed s: the first `size` entries of the pool positions shuffled exactly as
    ///   ``DigitsSplit`` shuffles (Durstenfeld's Fisher–Yates driven by QuantCore's SplitMix64,
    ///   seeded with `UInt64(bitPattern: s)`), in drawn order: a seeded subset without
    ///   replacement, and a larger size under the same seed extends a smaller one.
    /// - `size` nil: the whole pool (in that seed's order).
    ///
    /// - Parameters:
    ///   - poolSize: How many items the model's calibration pool holds.
    ///   - model: The model's name, for errors.
    /// - Returns: Distinct positions in `0 ..< poolSize`.
    /// - Throws: ``ModelError/calibrationSetTooLarge(model:pool:requested:)`` when `size` exceeds
    ///   the pool; ``ModelError/badInput(model:reason:)`` for a size below 1.
    /// - Complexity: O(poolSize).
    public func positions(poolSize: Int, model: String) throws -> [Int] {
        let count = size ?? poolSize
        guard count >= 1 else {
            throw ModelError.badInput(model: model, reason: "a calibration set needs at least one item, not \(count)")
        }
        guard count <= poolSize else {
            throw ModelError.calibrationSetTooLarge(model: model, pool: poolSize, requested: count)
        }
        if seed == 0 { return Array(0..<count) }
        return DigitsSplit(count: poolSize, seed: UInt64(bitPattern: Int64(seed)), calibrationCount: count).calibration
    }
}
