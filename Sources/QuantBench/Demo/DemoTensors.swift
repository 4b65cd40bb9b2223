import Foundation
import QuantCore

/// Synthetic tensors with the shapes of the problems the seed notes describe, for `quantbench
/// demo` and the benchmarks: per-row scale spread (why per-channel helps), Laplace-tailed
/// weights, and activations with a few outlier feature columns (the transformer outlier effect).
/// Deterministic for a seed. Real models arrive with the model zoo.
public enum DemoTensors {
    public static func make(seed: UInt64 = 7) throws -> [Tensor] {
        var rng = SplitMix64(seed: seed)
        let rows = 512, cols = 256
        var spread = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            let sigma = Float(0.02 * pow2(Double(r % 16) / 4))
            for c in 0..<cols { spread[r * cols + c] = sigma * gaussian(&rng) }
        }
        var laplace = [Float](repeating: 0, count: 256 * 256)
        for i in laplace.indices { laplace[i] = 0.05 * laplaceSample(&rng) }
        let tokens = 256, features = 384
        var activation = [Float](repeating: 0, count: tokens * features)
        let outlierColumns: Set<Int> = [17, 101, 302]
        for t in 0..<tokens {
            for f in 0..<features {
                let base = gaussian(&rng)
                activation[t * features + f] = outlierColumns.contains(f) ? 40 * (1 + 0.1 * base) : base
            }
        }
        return [
            try Tensor(name: "mlp.fc1.weight", shape: [rows, cols], values: spread),
            try Tensor(name: "attn.out.weight", shape: [256, 256], values: laplace),
            try Tensor(name: "ffn.input.activation", shape: [tokens, features], values: activation),
        ]
    }

    /// A standard normal sample (Box–Muller).
    public static func gaussian(_ rng: inout SplitMix64) -> Float {
        let u1 = max(Double(rng.next() >> 11) / Double(1 << 53), 1e-300)
        let u2 = Double(rng.next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    static func laplaceSample(_ rng: inout SplitMix64) -> Float {
        let u = Double(rng.next() >> 11) / Double(1 << 53) - 0.5
        return Float(-(u < 0 ? -1.0 : 1.0) * log(max(1 - 2 * Swift.abs(u), 1e-300)))
    }

    static func pow2(_ x: Double) -> Double { pow(2, x) }
}
