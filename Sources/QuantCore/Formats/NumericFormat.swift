/// How a clipping range is laid onto a format's codes.
public enum RangeMode: String, Sendable, Codable, CaseIterable {
    /// The range is ±amax around zero; zero-point 0 (or the mid code of an unsigned type).
    case symmetric
    /// The range is [min, max] widened to contain zero, with an integer zero-point.
    case affine
}

/// A closed interval of real values that a granule's codes are meant to cover.
public struct ClipRange: Sendable, Hashable, CustomStringConvertible {
    public var lower: Float
    public var upper: Float

    public init(lower: Float, upper: Float) {
        self.lower = lower
        self.upper = upper
    }

    /// The symmetric range ±`amax`.
    public init(symmetric amax: Float) { self.init(lower: -amax, upper: amax) }

    /// max(|lower|, |upper|).
    public var absMax: Float { Swift.max(Swift.abs(lower), Swift.abs(upper)) }

    public var description: String { "[\(lower), \(upper)]" }
}

/// The parameters one granule is quantized with: x̂ = scale · (q − zeroPoint).
public struct QuantParams: Sendable, Hashable {
    /// Positive and finite.
    public var scale: Float
    /// An integer value for integer formats; 0 for floating-point formats.
    public var zeroPoint: Float

    public init(scale: Float, zeroPoint: Float = 0) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }
}

/// Tensor-wide facts some formats need when choosing a granule's scale (NVFP4's global scale).
public struct ScaleContext: Sendable {
    /// max|x| over the whole tensor (finite values only).
    public var tensorAbsMax: Float
    public init(tensorAbsMax: Float) { self.tensorAbsMax = tensorAbsMax }
}

/// A numeric format: which codes exist and how a real value maps to one.
///
/// A format turns a calibrated clipping range into ``QuantParams`` and fake-quantizes buffers
/// (quantize, then dequantize) with them. Kernels are called once per contiguous run of values
/// that share parameters, never once per element, so an existential `any NumericFormat` is
/// cheap to use.
public protocol NumericFormat: Sendable {
    /// The canonical plug-in name, e.g. `int8`, `int4(symmetric=false)`, `fp8-e4m3`.
    var name: String { get }
    /// Whether calibrators should hand this format symmetric or affine ranges.
    var rangeMode: RangeMode { get }
    /// Bits that one element's code takes.
    var elementBits: Int { get }
    /// Bits stored once per granule: scale plus zero-point (for example 16 for an fp16 scale).
    var granuleOverheadBits: Int { get }
    /// The number of quantization levels on one side of zero that entropy calibration maps a
    /// histogram onto: 2^(b−1) for signed b-bit codes, 2^b for unsigned ones.
    var levelsPerSide: Int { get }
    /// The granule size the format requires (32 for MX, 16 for NVFP4), or nil for any.
    var requiredBlockSize: Int? { get }
    /// Bits stored once per tensor, beside the per-granule ones (NVFP4's fp32 global scale).
    var tensorOverheadBits: Int { get }
    /// Integer, float or block codes: where a chip can compute with them natively (cost models).
    /// The default is `.block` for a format with a required block size and `.unknown` otherwise,
    /// which cost models treat as emulated and say so.
    var numberKind: NumberKind { get }

    /// The parameters that map `range` onto the codes.
    ///
    /// A degenerate range (zero width, or scale below the smallest normal float) gets scale 1
    /// and zero-point 0, as ONNX Runtime does; never a zero, infinite or NaN scale. Formats whose
    /// scales are powers of two by definition (MX's E8M0, down to 2^−127) may return a subnormal
    /// power of two, which is still exact and positive.
    func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams

    /// Fake-quantizes `count` values read from `input` with stride `stride` and written to
    /// `output` at the same positions.
    ///
    /// - Complexity: O(count), without allocation.
    func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams)
}

extension NumericFormat {
    public var requiredBlockSize: Int? { nil }
    public var tensorOverheadBits: Int { 0 }
    public var numberKind: NumberKind {
        guard let block = requiredBlockSize else { return .unknown }
        return .block(format: String(name.prefix { $0 != "(" }), blockSize: block)
    }

    /// Storage bits per element for `elements` values cut into `granules` granules, scales and
    /// zero-points included: `elementBits + (granules·granuleOverheadBits + tensorOverheadBits)/elements`.
    public func storageBitsPerElement(elements: Int, granules: Int) -> Double {
        guard elements > 0 else { return Double(elementBits) }
        return Double(elementBits)
            + (Double(granules) * Double(granuleOverheadBits) + Double(tensorOverheadBits)) / Double(elements)
    }

    /// Fake-quantizes one contiguous buffer in place of a copy; a convenience for tests and tools.
    public func fakeQuantized(_ values: [Float], params: QuantParams) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                fakeQuantize(s, d, count: values.count, stride: 1, params: params)
            }
        }
        return out
    }
}
