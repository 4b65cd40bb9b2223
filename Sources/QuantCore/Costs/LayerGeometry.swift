/// The shape of one weight layer's matrix product, as cost models see it.
///
/// A layer multiplies an `[M, K]` activation by a `[K, N]` weight. A convolution is counted as
/// its im2col product: `K = in·kh·kw` and one row per output position.
public struct LayerGeometry: Sendable, Hashable, Codable {
    /// How many rows `M` one input item contributes.
    public enum Rows: Sendable, Hashable, Codable {
        /// A fixed number per item: 1 for a classifier's linear layer, H·W output positions for a
        /// convolution.
        case perItem(Int)
        /// One per token, so `M` follows the sequence length of the workload.
        case perToken
    }

    /// The weight tensor's name, e.g. `conv_layers.3.weight`.
    public var weight: String
    /// K: the reduction length (input features, or in·kh·kw).
    public var inFeatures: Int
    /// N: output features (or output channels).
    public var outFeatures: Int
    public var rows: Rows

    public init(weight: String, inFeatures: Int, outFeatures: Int, rows: Rows) {
        self.weight = weight
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.rows = rows
    }

    /// K·N.
    public var weightElements: Int { inFeatures * outFeatures }

    /// M for a workload of `batch` items of `tokens` tokens each.
    public func rows(batch: Int, tokens: Int) -> Int {
        switch rows {
        case let .perItem(count): return batch * count
        case .perToken: return batch * tokens
        }
    }

    /// Multiply-accumulates for the workload: M·K·N.
    public func macs(batch: Int, tokens: Int) -> Int { rows(batch: batch, tokens: tokens) * weightElements }
}
