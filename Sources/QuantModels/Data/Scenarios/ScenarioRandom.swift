import Foundation
import QuantCore

/// Which split an item belongs to; it separates the noise of calibration and evaluation items.
public enum ScenarioSplit: UInt64, Sendable, Hashable {
    case calibration = 1
    case evaluation = 2
}

/// The random numbers of scenario transforms: one generator per item, so an image gets the same
/// noise whichever subset it is drawn into and in whichever order.
///
/// With `mix64(x)` = the first output of QuantCore's ``SplitMix64`` seeded with x, item k of
/// `split` under seed s draws from `SplitMix64(seed: h)` where
/// `h = mix64(mix64(mix64(UInt64(bitPattern: s)) ^ split.rawValue) ^ UInt64(k))`.
/// Normal samples use Box–Muller's cosine branch: u₁ = max(⌊next / 2¹¹⌋ / 2⁵³, 10⁻³⁰⁰),
/// u₂ = ⌊next / 2¹¹⌋ / 2⁵³, z = √(−2 ln u₁) · cos(2π u₂), in `Double` (two draws per sample).
public enum ScenarioRandom {
    /// The first output of SplitMix64 seeded with `x` (a bijective 64-bit mix).
    public static func mix64(_ x: UInt64) -> UInt64 {
        var rng = SplitMix64(seed: x)
        return rng.next()
    }

    /// The generator of item `item` of `split` under `seed`.
    public static func generator(seed: Int, split: ScenarioSplit, item: Int) -> SplitMix64 {
        let h = mix64(mix64(mix64(UInt64(bitPattern: Int64(seed))) ^ split.rawValue) ^ UInt64(item))
        return SplitMix64(seed: h)
    }

    /// A standard normal sample (Box–Muller, cosine branch).
    public static func gaussian(_ rng: inout SplitMix64) -> Double {
        let u1 = Swift.max(Double(rng.next() >> 11) / Double(1 << 53), 1e-300)
        let u2 = Double(rng.next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
