import QuantCore

/// What one layer moves and computes for a workload, before any chip or energy table is applied.
///
/// M = rows for `batch` items of `tokens` tokens, MACs = M·K·N. Bytes: the weight tensor's exact
/// storage (elements, scales and zero-points; an unquantized weight at the `unquantized`
/// precision), the input activations M·K·b_a/8 (b_a the element bits of quantized activations,
/// their per-tensor or per-token scales left out, else the unquantized bits) and the outputs
/// M·N·b_o/8 written at the unquantized precision.
public struct LayerTraffic: Sendable, Hashable {
    public var rows: Int
    public var macs: Double
    public var weightBytes: Double
    public var inputBytes: Double
    public var outputBytes: Double

    public init(_ layer: LayerPlan, batch: Int, tokens: Int, unquantized: ComputePrecision) {
        let g = layer.geometry
        rows = g.rows(batch: batch, tokens: tokens)
        macs = Double(rows) * Double(g.inFeatures) * Double(g.outFeatures)
        weightBytes = layer.weights.isQuantized
            ? Double(layer.weightStorageBits) / 8 : Double(g.weightElements) * Double(unquantized.bits) / 8
        let activationBits = layer.activations.flatMap { $0.isQuantized ? $0.elementBits : nil } ?? unquantized.bits
        inputBytes = Double(rows) * Double(g.inFeatures) * Double(activationBits) / 8
        outputBytes = Double(rows) * Double(g.outFeatures) * Double(unquantized.bits) / 8
    }

    public var bytes: Double { weightBytes + inputBytes + outputBytes }

    /// Rescale operations per MAC (REFERENCE §6): 1/min(granule, K) for each quantized operand
    /// (1/K per-tensor, per-channel or per-token; 1/g group-wise; 1/32 or 1/16 for an emulated
    /// MX or NVFP4 block), 0 for a block operand whose own format is `native`; the largest over
    /// the operands, since one rescale per output covers both scales.
    public static func dequantizationOverhead(_ layer: LayerPlan, native: String?) -> Double {
        let k = layer.geometry.inFeatures
        let operands = [layer.weights] + (layer.activations.map { [$0] } ?? [])
        var fraction = 0.0
        for operand in operands {
            guard operand.isQuantized, let granule = operand.granuleSize, granule > 0, k > 0 else { continue }
            if case let .block(format, _) = operand.kind, format == native { continue }
            fraction = max(fraction, 1 / Double(min(granule, k)))
        }
        return fraction
    }

    /// Whether any operand's number kind is unknown to the cost models (a custom format).
    public static func hasUnknownKind(_ layer: LayerPlan) -> Bool {
        let operands = [layer.weights] + (layer.activations.map { [$0] } ?? [])
        return operands.contains { $0.isQuantized && $0.kind == .unknown }
    }
}
