/// 2-D convolution over `[N, C, H, W]` maps: PyTorch's `nn.Conv2d` (stride, zero padding,
/// dilation, groups; depthwise when groups = in = out channels).
///
/// Grouped convolutions go through im2col + one GEMM per group over the whole batch
/// (`[out/g, in/g·kh·kw] × [in/g·kh·kw, N·Ho·Wo]`); depthwise convolutions, where that GEMM
/// would have one row, use a direct loop.
public struct Conv2d: Sendable {
    public let name: String
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let groups: Int
    /// `[out, in/groups, kernel, kernel]`, row-major.
    let weight: [Float]
    let bias: [Float]?

    init(
        _ name: String, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias hasBias: Bool = true, binder: inout WeightBinder
    ) {
        self.name = name
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        weight = binder.take("\(name).weight", shape: [outChannels, inChannels / groups, kernel, kernel])
        bias = hasBias ? binder.take("\(name).bias", shape: [outChannels]) : nil
    }

    public var inputSite: ActivationSite { ActivationSite(layer: name, role: .input) }
    public var outputSite: ActivationSite { ActivationSite(layer: name, role: .output) }

    /// The output height (or width) for an input of `size`.
    func outputSize(_ size: Int) -> Int { (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }

    /// Applies the convolution to `batch` maps of `[inChannels, height, width]`.
    func forward(_ input: consuming [Float], batch: Int, height: Int, width: Int, context: ForwardContext) -> [Float] {
        // Consumed: a caller that hands over its last reference lets the hooks work in place.
        var x = input
        context.visit(inputSite, shape: [batch, inChannels, height, width], &x)
        let geometry = ConvGeometry(
            batch: batch, height: height, width: width, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
            outHeight: outputSize(height), outWidth: outputSize(width))
        var y: [Float]
        if groups == inChannels, groups == outChannels, groups > 1 {
            y = ConvKernels.depthwise(x, weight: weight, channels: inChannels, geometry)
        } else {
            y = ConvKernels.grouped(x, weight: weight, inChannels: inChannels, outChannels: outChannels, groups: groups, geometry)
        }
        if let bias { ConvKernels.addChannelBias(&y, bias, batch: batch, plane: geometry.outPlane) }
        context.visit(outputSite, shape: [batch, outChannels, geometry.outHeight, geometry.outWidth], &y)
        return y
    }
}

/// `[N, C, H, W]` max pooling: PyTorch's `nn.MaxPool2d(kernel, stride, padding)` with floor
/// rounding; padding counts as −∞ and NaN propagates.
public struct MaxPool2d: Sendable {
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
    }

    func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernel) / stride + 1 }

    func forward(_ x: [Float], planes: Int, height: Int, width: Int) -> [Float] {
        if kernel == 2, stride == 2, padding == 0 { return forward2x2(x, planes: planes, height: height, width: width) }
        let oh = outputSize(height), ow = outputSize(width)
        var y = [Float](repeating: 0, count: planes * oh * ow)
        x.withUnsafeBufferPointer { input in
            y.withUnsafeMutableBufferPointer { out in
                for p in 0..<planes {
                    let plane = input.baseAddress! + p * height * width
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            out[(p * oh + oy) * ow + ox] = windowMax(plane, height, width, oy * stride - padding, ox * stride - padding)
                        }
                    }
                }
            }
        }
        return y
    }

    /// The common 2×2, stride-2 pooling: every window lies inside the plane, so no bounds checks.
    private func forward2x2(_ x: [Float], planes: Int, height: Int, width: Int) -> [Float] {
        let oh = height / 2, ow = width / 2
        return [Float](unsafeUninitializedCapacity: planes * oh * ow) { out, initialized in
            x.withUnsafeBufferPointer { input in
                for p in 0..<planes {
                    let plane = input.baseAddress! + p * height * width
                    let target = out.baseAddress! + p * oh * ow
                    for oy in 0..<oh {
                        let top = plane + 2 * oy * width, bottom = top + width
                        for ox in 0..<ow {
                            target[oy * ow + ox] = Self.max4(top[2 * ox], top[2 * ox + 1], bottom[2 * ox], bottom[2 * ox + 1])
                        }
                    }
                }
            }
            initialized = planes * oh * ow
        }
    }

    /// The largest of four values in window order, NaN if any is NaN (as PyTorch's max_pool2d).
    @inline(__always)
    static func max4(_ a: Float, _ b: Float, _ c: Float, _ d: Float) -> Float {
        if a.isNaN || b.isNaN || c.isNaN || d.isNaN { return .nan }
        return Swift.max(Swift.max(a, b), Swift.max(c, d))
    }

    @inline(__always)
    private func windowMax(_ plane: UnsafePointer<Float>, _ height: Int, _ width: Int, _ y0: Int, _ x0: Int) -> Float {
        var best = -Float.infinity
        for dy in 0..<kernel where y0 + dy >= 0 && y0 + dy < height {
            for dx in 0..<kernel where x0 + dx >= 0 && x0 + dx < width {
                let v = plane[(y0 + dy) * width + x0 + dx]
                if v > best || v.isNaN { best = v }
                if best.isNaN { return best }
            }
        }
        return best
    }
}
