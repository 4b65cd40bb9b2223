import QuantCore

/// The exact storage of the quantized model (REFERENCE §5 size accounting).
///
/// Total bits = Σ over weight layers (K·N·b + granules·(scale + zero-point bits) + tensor
/// overhead) + unquantized parameters·b_unquantized. Bits per weight over the quantized layers
/// reproduce REFERENCE's table: int4 per-group(128) with fp16 scales 4 + 16/128 = 4.125, MXFP4
/// 4 + 8/32 = 4.25, NVFP4 4 + 8/16 = 4.5 (plus 32/elements for its fp32 tensor scale), per-channel
/// int8 with fp32 scales 8 + 32/K.
public struct SizeCostModel: CostModel {
    public static let assumptions = [
        "Weights are stored packed at their element bits with no padding; each granule adds its scale (and zero-point, at the element bits, for affine formats) at storage precision; NVFP4 adds its fp32 tensor scale.",
        "Layers the plan leaves unquantized, biases, norms and embeddings are stored at the `unquantized` precision (fp32 by default).",
        "File-format headers, tensor names and alignment padding are not counted.",
    ]

    public let name: String
    /// The precision of everything the plan leaves unquantized.
    public let unquantized: ComputePrecision

    public init(unquantized: ComputePrecision = .fp32, name: String? = nil) {
        self.unquantized = unquantized
        self.name = name ?? (unquantized == .fp32 ? "size" : "size(unquantized=\(unquantized.name))")
    }

    public var assumptions: [String] { Self.assumptions }

    /// `_fp16` or `_bf16` when unquantized parameters are not fp32, else empty.
    public var metricSuffix: String { unquantized == .fp32 ? "" : "_\(unquantized.name)" }

    /// Every estimate's metrics (`weight_bits_per_weight` only when a layer is quantized).
    public var metricNames: [String] { ["size_bytes", "size_mib", "compression_vs_fp32"].map { $0 + metricSuffix } }

    public func estimate(_ plan: CostPlan) throws -> CostEstimate {
        var totalBits = plan.unquantizedParameters * unquantized.bits
        var quantizedBits = 0, quantizedElements = 0, allElements = plan.unquantizedParameters
        var layers: [CostEstimate.Layer] = []
        for layer in plan.layers {
            let elements = layer.geometry.weightElements
            let bits = layer.weights.isQuantized ? layer.weightStorageBits : elements * unquantized.bits
            totalBits += bits
            allElements += elements
            if layer.weights.isQuantized {
                quantizedBits += bits
                quantizedElements += elements
            }
            layers.append(
                CostEstimate.Layer(
                    weight: layer.geometry.weight,
                    metrics: ["bytes": Double(bits) / 8, "bits_per_weight": elements > 0 ? Double(bits) / Double(elements) : 0]))
        }
        let bytes = Double(totalBits) / 8
        var metrics = [
            "size_bytes\(metricSuffix)": bytes,
            "size_mib\(metricSuffix)": bytes / 1_048_576,
            "compression_vs_fp32\(metricSuffix)": totalBits > 0 ? Double(allElements * 32) / Double(totalBits) : 1,
        ]
        var notes: [String] = []
        if quantizedElements > 0 {
            metrics["weight_bits_per_weight\(metricSuffix)"] = Double(quantizedBits) / Double(quantizedElements)
        } else {
            notes.append("no weight layer is quantized: weight_bits_per_weight is not reported")
        }
        return CostEstimate(metrics: metrics, layers: layers, notes: notes)
    }
}
