import QuantCore

/// Uniform integer quantization with a scale and an integer zero-point: `int<b>` and `uint<b>`.
///
/// Quantize q = clamp(round(x/s) + z, qmin, qmax); dequantize x̂ = s·(q − z) (REFERENCE §1).
///
/// - `int<b>` (default): symmetric, restricted range [−(2^(b−1)−1), 2^(b−1)−1], z = 0,
///   s = amax/qmax — ONNX Runtime's compute_scale_zp for symmetric int8 and TensorRT's narrow
///   range (s = amax/127 for int8).
/// - `int<b>(range=full)`: symmetric over [−2^(b−1), 2^(b−1)−1] with s = amax/((qmax − qmin)/2)
///   in float32, PyTorch's qint8 rule (amax/127.5; +amax rounds to 128 and saturates to 127).
///   Unlike PyTorch, no eps floor (2^−23) is applied to s.
/// - `int<b>(symmetric=false)` and `uint<b>`: affine over the full range. The range is widened
///   to contain 0, s = (max′ − min′)/(qmax − qmin) in float64 rounded to float32, and
///   z = clamp(round(qmin − min′/s), qmin, qmax) with the float64 s — ONNX Runtime's
///   compute_scale_zp exactly (rmin = −1, rmax = 2: int8 s = 3/255, z = −43; uint8 z = 85).
///   The `range` parameter applies to symmetric codes only: affine codes always use the
///   full range, as ONNX Runtime and PyTorch do.
/// - A degenerate range (s below the smallest normal float, e.g. all zeros, or not finite) gets
///   s = 1, z = 0, as ONNX Runtime does.
/// - `scale=fp16|bf16` rounds s to that type after it is chosen (``ScalePrecision``); z is still
///   computed from the unrounded s, as ONNX Runtime does for fp16 scales.
/// - `rounding=away` rounds element ties away from zero; the zero-point is always rounded half
///   to even.
///
/// Storage: b bits per element, plus per granule the scale's bits and, when affine, b bits for
/// the zero-point.
public struct IntegerFormat: NumericFormat {
    public let name: String
    /// Bits per code.
    public let bits: Int
    public let signed: Bool
    /// Whether ranges are ±amax with z = 0.
    public let symmetric: Bool
    /// Whether symmetric codes use the full two's-complement range (PyTorch style).
    public let fullRange: Bool
    public let scalePrecision: ScalePrecision
    /// The codes and the element tie rule.
    public let grid: IntegerGrid

    init(arguments: PluginArguments, signed: Bool) {
        let bits = arguments.integer("bits")
        let symmetric = signed && arguments.boolean("symmetric")
        let fullRange = !symmetric || arguments.choice("range") == "full"
        name = arguments.canonicalName
        self.bits = bits
        self.signed = signed
        self.symmetric = symmetric
        self.fullRange = fullRange
        scalePrecision = arguments.scalePrecision
        let half = 1 << (bits - 1)
        let qmin = signed ? (fullRange ? -half : -(half - 1)) : 0
        let qmax = signed ? half - 1 : (1 << bits) - 1
        grid = IntegerGrid(qmin: qmin, qmax: qmax, rounding: arguments.rounding)
    }

    public var rangeMode: RangeMode { symmetric ? .symmetric : .affine }
    public var numberKind: NumberKind { .integer }
    public var elementBits: Int { bits }
    public var granuleOverheadBits: Int { scalePrecision.bits + (symmetric ? 0 : bits) }
    public var levelsPerSide: Int { signed ? 1 << (bits - 1) : 1 << bits }

    public func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams {
        let degenerate = QuantParams(scale: 1, zeroPoint: 0)
        if symmetric {
            let scale: Float
            if fullRange {
                scale = range.absMax / (Float(grid.qmax - grid.qmin) / 2)
            } else {
                scale = Float(Double(range.absMax) / Double(grid.qmax))
            }
            guard scale >= Float.leastNormalMagnitude, scale.isFinite else { return degenerate }
            return QuantParams(scale: scalePrecision.rounded(scale), zeroPoint: 0)
        }
        let lower = Double(Swift.min(range.lower, 0))
        let upper = Double(Swift.max(range.upper, 0))
        let scale = (upper - lower) / Double(grid.qmax - grid.qmin)
        guard scale >= Double(Float.leastNormalMagnitude), scale.isFinite else { return degenerate }
        let zero = (Double(grid.qmin) - lower / scale).rounded(.toNearestOrEven)
        let clamped = Swift.min(Swift.max(zero, Double(grid.qmin)), Double(grid.qmax))
        return QuantParams(scale: scalePrecision.rounded(Float(scale)), zeroPoint: Float(clamped))
    }

    public func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams
    ) {
        IntegerKernels.fakeQuantize(input, output, count: count, stride: stride, params: params, grid: grid)
    }
}
