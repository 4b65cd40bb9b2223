import QuantCore

/// The calibration and evaluation images of a data set, drawn once by a fixed seed.
///
/// The procedure, exactly (numpy reproduces it in
/// `Tests/QuantModelsTests/Fixtures/digits/make_digits_fixtures.py`):
///
/// 1. `rng = SplitMix64(seed)` (QuantCore's; all arithmetic modulo 2⁶⁴): each `next()` does
///    `state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
///    z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)`.
/// 2. `order = [0, 1, …, n − 1]`; for `i` from `n − 1` down to 1: `j = rng.next() % (i + 1)`,
///    swap `order[i]` and `order[j]` (Durstenfeld's Fisher–Yates; the modulo's bias is below
///    n/2⁶⁴ ≈ 10⁻¹⁶ per draw).
/// 3. `calibration = order[0 ..< c]` in that (shuffled) order; `evaluation = order[c ..< n]`
///    sorted ascending.
///
/// For the digits (n = 1797) the defaults give 256 calibration and 1541 evaluation images, seed 0.
public struct DigitsSplit: Sendable, Equatable, Codable {
    /// The default number of calibration images.
    public static let defaultCalibrationCount = 256

    /// The seed the split was drawn with.
    public var seed: UInt64
    /// The calibration images' indices, in the shuffled order they were drawn.
    public var calibration: [Int]
    /// The evaluation images' indices, ascending.
    public var evaluation: [Int]

    /// Splits `count` indices as described above.
    ///
    /// - Parameters:
    ///   - count: The data set's size n.
    ///   - seed: The SplitMix64 seed (0 by default).
    ///   - calibrationCount: c, clamped to 0…n (256 by default).
    /// - Complexity: O(n).
    public init(count: Int, seed: UInt64 = 0, calibrationCount: Int = defaultCalibrationCount) {
        let n = max(0, count)
        var order = Array(0..<n)
        var rng = SplitMix64(seed: seed)
        if n > 1 {
            for i in stride(from: n - 1, through: 1, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        let c = min(max(0, calibrationCount), n)
        self.seed = seed
        self.calibration = Array(order[..<c])
        self.evaluation = order[c...].sorted()
    }
}

extension DigitsDataset {
    /// The calibration and evaluation images, drawn as ``DigitsSplit`` describes.
    ///
    /// - Parameters:
    ///   - seed: The SplitMix64 seed (0 by default).
    ///   - calibrationCount: How many calibration images (256 by default; the rest evaluate).
    /// - Returns: The indices of each set.
    public func split(seed: UInt64 = 0, calibrationCount: Int = DigitsSplit.defaultCalibrationCount) -> DigitsSplit {
        DigitsSplit(count: count, seed: seed, calibrationCount: calibrationCount)
    }
}
