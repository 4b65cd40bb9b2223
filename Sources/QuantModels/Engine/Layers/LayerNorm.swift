/// Layer normalization over the last axis: PyTorch's `nn.LayerNorm(width, eps)`.
public struct LayerNorm: Sendable {
    public let name: String
    public let width: Int
    public let eps: Float
    let gamma: [Float]
    let beta: [Float]

    init(_ name: String, width: Int, eps: Float, binder: inout WeightBinder) {
        self.name = name
        self.width = width
        self.eps = eps
        gamma = binder.take("\(name).weight", shape: [width])
        beta = binder.take("\(name).bias", shape: [width])
    }

    public var outputSite: ActivationSite { ActivationSite(layer: name, role: .output) }

    func forward(_ x: inout [Float], context: ForwardContext) {
        RowKernels.layerNorm(&x, width: width, gamma: gamma, beta: beta, eps: eps)
        context.visit(outputSite, shape: [x.count / width, width], &x)
    }
}

/// Folds an eval-mode batch norm into the preceding convolution or linear layer's weights
/// (REFERENCE.md §8): per output channel c, W'_c = W_c·γ_c/√(σ²_c + ε) and
/// b'_c = β_c + (b_c − μ_c)·γ_c/√(σ²_c + ε).
public enum BatchNormFolding {
    /// - Parameters:
    ///   - weight: `[out, …]` weights, output channel first (conv, depthwise conv or linear).
    ///   - bias: The layer's bias, or nil (taken as zeros).
    ///   - gamma, beta, mean, variance: The batch norm's per-channel parameters and running statistics.
    ///   - eps: The batch norm's epsilon (PyTorch's default is 1e-5).
    /// - Returns: The folded weights and bias.
    public static func fold(
        weight: [Float], bias: [Float]?, gamma: [Float], beta: [Float], mean: [Float], variance: [Float], eps: Float = 1e-5
    ) -> (weight: [Float], bias: [Float]) {
        let channels = gamma.count
        let perChannel = weight.count / channels
        var w = weight
        var b = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let factor = gamma[c] / (variance[c] + eps).squareRoot()
            for i in 0..<perChannel { w[c * perChannel + i] *= factor }
            b[c] = beta[c] + ((bias?[c] ?? 0) - mean[c]) * factor
        }
        return (w, b)
    }
}
