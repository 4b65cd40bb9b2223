import QuantCore

/// NVIDIA NVFP4: E2M1 elements in blocks of 16, each block with an E4M3 scale, and one fp32
/// scale per tensor.
///
/// Follows torchao's `nvfp4_quantize` (pytorch/ao `torchao/prototype/mx_formats/nvfp4_tensor.py`,
/// REFERENCE §4.2), all in float32:
///
/// - Two-level (default): s_g = tensorAbsMax/(448·6) from ``ScaleContext``;
///   s_b = e4m3(clamp((amax_block/6)/s_g, 2^−6, 448)); s = s_g·s_b.
/// - Single-level (`two-level=false`): s = e4m3(clamp(amax_block/6, 2^−6, 448)); blocks with
///   amax above 2688 then saturate.
/// - Elements: P = e2m1(clamp(x/s, ±6)) with round-half-to-even, x̂ = s·P.
///
/// The clamp's lower bound is torchao's `E4M3_EPS = torch.finfo(torch.float8_e4m3fn).tiny`,
/// the smallest normal E4M3 value 2^−6. Where torchao would produce NaN (an all-zero tensor makes
/// s_g = 0) or the scale would fall below the smallest normal float32, the block gets s = 1
/// (its values are then below 2^−124 and quantize to zero either way).
///
/// Storage: 4 bits per element, 8 per block of 16 (4.5 bits), plus 32 bits per tensor for s_g
/// when two-level.
public struct NVFP4Format: NumericFormat {
    public let name: String
    /// Whether the fp32 tensor scale is used.
    public let twoLevel: Bool
    let rounder: MinifloatRounder
    let scaleRounder: MinifloatRounder

    init(arguments: PluginArguments) {
        name = arguments.canonicalName
        twoLevel = arguments.boolean("two-level")
        rounder = MinifloatCodec.e2m1fn.rounder(.even)
        scaleRounder = MinifloatCodec.e4m3fn.rounder(.even)
    }

    public var rangeMode: RangeMode { .symmetric }
    public var elementBits: Int { 4 }
    public var granuleOverheadBits: Int { 8 }
    public var tensorOverheadBits: Int { twoLevel ? 32 : 0 }
    public var levelsPerSide: Int { 8 }
    public var requiredBlockSize: Int? { 16 }

    /// The tensor scale s_g = tensorAbsMax/2688, or nil when it is not a positive normal float.
    public func globalScale(_ context: ScaleContext) -> Float? {
        let global = context.tensorAbsMax / (448 * 6)
        return global >= Float.leastNormalMagnitude && global.isFinite ? global : nil
    }

    public func parameters(for range: ClipRange, context: ScaleContext) -> QuantParams {
        let blockScale = range.absMax / 6
        let scale: Float
        if twoLevel {
            guard let global = globalScale(context) else { return QuantParams(scale: 1) }
            scale = global * storedBlockScale(blockScale / global)
        } else {
            scale = storedBlockScale(blockScale)
        }
        guard scale >= Float.leastNormalMagnitude, scale.isFinite else { return QuantParams(scale: 1) }
        return QuantParams(scale: scale)
    }

    /// e4m3(clamp(value, 2^−6, 448)); NaN becomes 2^−6.
    func storedBlockScale(_ value: Float) -> Float {
        let clamped = value > 448 ? 448 : (value >= 0x1p-6 ? value : 0x1p-6)
        return scaleRounder.round(clamped)
    }

    public func fakeQuantize(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int, stride: Int,
        params: QuantParams
    ) {
        MinifloatKernels.fakeQuantize(input, output, count: count, stride: stride, scale: params.scale, rounder: rounder)
    }
}
