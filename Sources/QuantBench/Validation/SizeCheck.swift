import QuantCore

/// The storage of the quantized model against FP32, scales and zero-points included.
///
/// A quantized weight of `E` elements cut into `G` granules takes exactly
/// `E·b + G·o + t` bits, with `b` the format's element bits, `o` its per-granule overhead
/// (scale, plus zero-point for affine codes) and `t` its per-tensor overhead (NVFP4's global
/// scale); FP32 takes `32·E`. Every other parameter the model computes with (biases, embeddings,
/// norms) counts at 32 bits in the whole-model figure, as in the `size` cost model (MiniLM's
/// `position_ids` index buffer and its unused pooler are not counted). The check passes when the compression of the
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

    /// The default minimum compression for `format`: 0.975 · 32 / element bits.
    public static func defaultMinimum(for format: any NumericFormat) -> Double {
        0.975 * 32 / Double(max(1, format.elementBits))
    }

    /// Measures the storage of `reports` (one per quantized weight) within a model of
    /// `parameterCount` parameters (``ModelTask/parameterCount``: what the model computes with,
    /// as the `size` cost model counts it), checked against `minimum`.
    public init(format: any NumericFormat, reports: [TensorReport], parameterCount: Int, minimum: Double) {
        self.format = format.name
        layers = reports.map { report in
            let elements = report.shape.reduce(1, *), granules = report.granules.count
            let bits = elements * format.elementBits + granules * format.granuleOverheadBits + format.tensorOverheadBits
            return Layer(tensor: report.tensor, elements: elements, granules: granules, bits: bits,
                         compression: Double(32 * elements) / Double(max(1, bits)))
        }
        quantizedElements = layers.map(\.elements).reduce(0, +)
        quantizedBits = layers.map(\.bits).reduce(0, +)
        otherElements = max(0, parameterCount - quantizedElements)
        layerCompression = Double(32 * quantizedElements) / Double(max(1, quantizedBits))
        modelCompression = Double(32 * (quantizedElements + otherElements)) / Double(max(1, quantizedBits + 32 * otherElements))
        minimumCompression = minimum
        passed = layerCompression >= minimum
    }
}
