/// y = x·Wᵀ + b over rows: PyTorch's `nn.Linear`, with `W` stored `[out, in]`.
public struct Linear: Sendable {
    public let name: String
    public let inFeatures: Int
    public let outFeatures: Int
    /// `[outFeatures, inFeatures]`, row-major.
    let weight: [Float]
    let bias: [Float]?

    /// Takes `<name>.weight` (and `<name>.bias`) from the checkpoint.
    init(_ name: String, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true, binder: inout WeightBinder) {
        self.name = name
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = binder.take("\(name).weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? binder.take("\(name).bias", shape: [outFeatures]) : nil
    }

    /// Several layers over the same input as one: their weights stacked along the outputs
    /// (every layer must have the same input width and a bias).
    init(stacking layers: [Linear], name: String) {
        self.name = name
        inFeatures = layers[0].inFeatures
        outFeatures = layers.map(\.outFeatures).reduce(0, +)
        weight = layers.flatMap(\.weight)
        bias = layers.flatMap { $0.bias ?? [Float](repeating: 0, count: $0.outFeatures) }
    }

    public var inputSite: ActivationSite { ActivationSite(layer: name, role: .input) }
    public var outputSite: ActivationSite { ActivationSite(layer: name, role: .output) }

    /// Applies the layer to `rows` rows of `inFeatures` values.
    func forward(_ input: consuming [Float], rows: Int, context: ForwardContext) -> [Float] {
        // Consumed: a caller that hands over its last reference lets the hooks work in place.
        var x = input
        context.visit(inputSite, shape: [rows, inFeatures], &x)
        var y = [Float](repeating: 0, count: rows * outFeatures)
        y.withUnsafeMutableBufferPointer { out in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<rows { (out.baseAddress! + r * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
                }
            }
            x.withUnsafeBufferPointer { a in
                weight.withUnsafeBufferPointer { w in
                    BLAS.sgemm(
                        rows, outFeatures, inFeatures, a.baseAddress!, lda: inFeatures, w.baseAddress!, ldb: inFeatures,
                        transposeB: true, out.baseAddress!, ldc: outFeatures, accumulate: bias != nil)
                }
            }
        }
        context.visit(outputSite, shape: [rows, outFeatures], &y)
        return y
    }
}
