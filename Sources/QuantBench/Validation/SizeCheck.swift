import QuantCore

/// The storage of the quantized model against FP32, scales and zero-points included.
///
/// A quantized weight of `E` elements cut into `G` granules takes exactly
/// `E·b + G·o + t` bits, with `b` the format's element bits, `o` its per-granule overhead
/// (scale, plus zero-point for affine codes) and `t` its per-tensor overhead (NVFP4's global
/// scale); FP32 takes `32·E`. Every other checkpoint tensor (biases, embeddings, norms) counts at
/// 32 bits per element in the whole-model figure (integer index buffers such as `position_ids` are
/// not parameters and are left out). The check passes when the compression of the
/// quantized layers, `Σ 32·E / Σ bits`, reaches the minimum (default `0.975 · 32 / b`: 3.9× for
/// 8-bit codes, 7.8× for 4-bit).
public struct SizeCheck: Sendable, Codable {
    /// One quantized weight's storage.
    public struct Layer: Sendable, Codable {
        public var tensor: String
        public var elements: Int
        public var granules: Int
        public var bits: Int
        public var compression: Double
    }

    public var format: String
    public var layers: [Layer]
    /// Σ E over the quantized weights.
    public var quantizedElements: Int
    /// Σ (E·b + G·o + t) over the quantized weights.
    public var quantizedBits: Int
    /// Elements of every other checkpoint tensor, kept at FP32.
    public var otherElements: Int
    /// 32·Σ E / Σ bits over the quantized layers.
    public var layerCompression: Double
    /// The whole checkpoint: FP32 bits / (quantized bits + 32·other elements).
    public var modelCompression: Double
    public var minimumCompression: Double
    public var passed: Bool

    enum CodingKeys: String, CodingKey {
        case format, layers, passed
        case quantizedElements = "quantized_elements"
        case quantizedBits = "quantized_bits"
        case otherElements = "other_elements"
        case layerCompression = "layer_compression"
        case modelCompression = "model_compression"
        case minimumCompression = "minimum_compression"
    }

    /// Integer and boolean checkpoint tensors (MiniLM's `position_ids`) are index buffers, not
    /// parameters: they are left out of the whole-checkpoint figure.
    static func isIndexBuffer(_ tensor: Tensor) -> Bool {
        let type = tensor.sourceDType.lowercased()
        return type.hasPrefix("int") || type.hasPrefix("uint") || type.hasPrefix("bool")
    }

    /// The default minimum compression for `format`: 0.975 · 32 / element bits.
    public static func defaultMinimum(for format: any NumericFormat) -> Double {
        0.975 * 32 / Double(max(1, format.elementBits))
    }

    /// Measures the storage of `reports` (one per quantized weight) within `weights`, the whole
    /// FP32 checkpoint, checked against `minimum`.
    public init(format: any NumericFormat, reports: [TensorReport], weights: [String: Tensor], minimum: Double) {
        self.format = format.name
        layers = reports.map { report in
            let elements = report.shape.reduce(1, *), granules = report.granules.count
            let bits = elements * format.elementBits + granules * format.granuleOverheadBits + format.tensorOverheadBits
            return Layer(tensor: report.tensor, elements: elements, granules: granules, bits: bits,
                         compression: Double(32 * elements) / Double(max(1, bits)))
        }
        quantizedElements = layers.map(\.elements).reduce(0, +)
        quantizedBits = layers.map(\.bits).reduce(0, +)
        let quantizedNames = Set(reports.map(\.tensor))
        otherElements = weights.filter { !quantizedNames.contains($0.key) && !Self.isIndexBuffer($0.value) }
            .map { $0.value.count }.reduce(0, +)
        layerCompression = Double(32 * quantizedElements) / Double(max(1, quantizedBits))
        modelCompression = Double(32 * (quantizedElements + otherElements)) / Double(max(1, quantizedBits + 32 * otherElements))
        minimumCompression = minimum
        passed = layerCompression >= minimum
    }
}
