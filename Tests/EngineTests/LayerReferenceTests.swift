import PythonBridge
import QuantCore
@testable import QuantModels
import Testing

/// Each kernel against a numpy implementation written here from the PyTorch definitions.
@Suite("Layers against numpy", .tags(.python), .enabled(if: numpyReady, "needs python3-numpy (scripts/setup installs it)"))
struct LayerReferenceTests {
    static let convolutionCode = """
        n, c, h, w = x.shape
        o, cg, k, _ = wt.shape
        s, p, d, g = [int(v) for v in params]
        xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (p, p), (p, p)))
        oh = (h + 2 * p - d * (k - 1) - 1) // s + 1
        ow = (w + 2 * p - d * (k - 1) - 1) // s + 1
        y = np.zeros((n, o, oh, ow))
        og = o // g
        for oc in range(o):
            grp = oc // og
            for ky in range(k):
                for kx in range(k):
                    patch = xp[:, grp * cg:(grp + 1) * cg, ky * d:ky * d + s * (oh - 1) + 1:s, kx * d:kx * d + s * (ow - 1) + 1:s]
                    y[:, oc] += np.einsum('nchw,c->nhw', patch, wt[oc, :, ky, kx].astype(np.float64))
        y += b.astype(np.float64)[None, :, None, None]
        out['y'] = y
        """

    @Test("Conv2d: stride, padding, dilation, groups, depthwise", arguments: [
        (6, 3, 1, 1, 1, 1), (6, 3, 2, 0, 1, 2), (4, 3, 1, 1, 1, 4), (8, 2, 1, 0, 2, 1), (4, 5, 2, 2, 1, 1),
    ])
    func convolution(_ out: Int, _ k: Int, _ stride: Int, _ padding: Int, _ dilation: Int, _ groups: Int) throws {
        let (n, c, h, w) = (2, 4, 9, 8)
        let wShape = [out, c / groups, k, k]
        let weights = [
            "conv.weight": try Tensor(name: "conv.weight", shape: wShape, values: randomValues(wShape.reduce(1, *), seed: 1)),
            "conv.bias": try Tensor(name: "conv.bias", shape: [out], values: randomValues(out, seed: 2)),
        ]
        var binder = WeightBinder(weights: weights, model: "test", source: "test")
        let conv = Conv2d("conv", in: c, out: out, kernel: k, stride: stride, padding: padding, dilation: dilation, groups: groups, binder: &binder)
        try binder.finish()
        let x = randomValues(n * c * h * w, seed: 3)
        let y = conv.forward(x, batch: n, height: h, width: w, context: .plain)
        let reference = try numpyReference(Self.convolutionCode, inputs: [
            "x": ([n, c, h, w], x), "wt": (wShape, weights["conv.weight"]!.values), "b": ([out], weights["conv.bias"]!.values),
            "params": ([4], [Float(stride), Float(padding), Float(dilation), Float(groups)]),
        ])["y"]!
        #expect(reference.shape == [n, out, conv.outputSize(h), conv.outputSize(w)])
        #expect(relativeError(y, reference.values) < 1e-5)
    }

    @Test("MaxPool2d with floor rounding and padding", arguments: [(2, 2, 0), (3, 2, 1), (3, 1, 0)])
    func maxPool(_ k: Int, _ stride: Int, _ padding: Int) throws {
        let (planes, h, w) = (3, 7, 7)
        let x = randomValues(planes * h * w, seed: 4)
        let pool = MaxPool2d(kernel: k, stride: stride, padding: padding)
        let y = pool.forward(x, planes: planes, height: h, width: w)
        let reference = try numpyReference("""
            k, s, p = [int(v) for v in params]
            xp = np.pad(x, ((0, 0), (p, p), (p, p)), constant_values=-np.inf)
            oh = (x.shape[1] + 2 * p - k) // s + 1
            out['y'] = np.array([[[xp[c, i * s:i * s + k, j * s:j * s + k].max() for j in range(oh)] for i in range(oh)] for c in range(x.shape[0])])
            """, inputs: ["x": ([planes, h, w], x), "params": ([3], [Float(k), Float(stride), Float(padding)])])["y"]!
        #expect(y == reference.values)
    }

    /// Relative error ≤ 2e-6 wherever |GELU| > 5e-5 (x > −4); below that, where exp(−x²/2)
    /// loses relative precision to the float rounding of x², the absolute error stays < 1e-10.
    @Test("GELU is exact-erf GELU to float precision over ±12 (AVX2 and portable kernels)", arguments: [false, true])
    func gelu(portable: Bool) throws {
        var x = (0..<4801).map { Float($0 - 2400) / 200 } + [-30, -0.0, 1e-30, 1e-38, 40]
        let input = x
        RowKernels.gelu(&x, portable: portable)
        let reference = try numpyReference(
            "out['y'] = np.array([0.5 * v * math.erfc(-v / math.sqrt(2)) for v in x.astype(np.float64)])",
            inputs: ["x": ([input.count], input)])["y"]!
        for i in 0..<x.count {
            let expected = reference.values[i]
            #expect(abs(x[i] - expected) <= max(2e-6 * abs(expected), 1e-10), "gelu(\(input[i])) = \(x[i]), expected \(expected)")
        }
    }

    @Test("softmax rows with a key mask, and layer norm")
    func softmaxAndLayerNorm() throws {
        let (rows, width) = (5, 37)
        var x = randomValues(rows * width, seed: 5, scale: 8)
        let mask = (0..<width).map { $0 % 7 == 3 }
        let input = x
        x.withUnsafeMutableBufferPointer { b in
            mask.withUnsafeBufferPointer { m in
                for r in 0..<rows { RowKernels.softmax(b.baseAddress! + r * width, width, masked: m.baseAddress!) }
            }
        }
        var normed = input
        let gamma = randomValues(width, seed: 6), beta = randomValues(width, seed: 7)
        RowKernels.layerNorm(&normed, width: width, gamma: gamma, beta: beta, eps: 1e-12)
        let reference = try numpyReference("""
            z = x.astype(np.float64) + np.where(m > 0, -3.4028234663852886e38, 0.0)
            e = np.exp(z - z.max(axis=1, keepdims=True))
            out['softmax'] = e / e.sum(axis=1, keepdims=True)
            xd = x.astype(np.float64)
            mu = xd.mean(axis=1, keepdims=True)
            var = ((xd - mu) ** 2).mean(axis=1, keepdims=True)
            out['norm'] = (xd - mu) / np.sqrt(var + 1e-12) * g + b
            """, inputs: [
                "x": ([rows, width], input), "m": ([width], mask.map { $0 ? 1 : 0 }), "g": ([width], gamma), "b": ([width], beta),
            ])
        #expect(relativeError(x, reference["softmax"]!.values) < 1e-6)
        #expect(relativeError(normed, reference["norm"]!.values) < 1e-5)
    }

    @Test("batch-norm folding gives the conv followed by the batch norm")
    func batchNormFolding() throws {
        let w = randomValues(3 * 2 * 2 * 2, seed: 8), b = randomValues(3, seed: 9)
        let gamma: [Float] = [0.5, 2, -1], beta: [Float] = [0.1, 0, -0.3], mean: [Float] = [1, -2, 0.5], variance: [Float] = [4, 0.25, 1]
        let folded = BatchNormFolding.fold(weight: w, bias: b, gamma: gamma, beta: beta, mean: mean, variance: variance)
        let reference = try numpyReference("""
            f = g / np.sqrt(v + 1e-5)
            out['w'] = w.reshape(3, -1) * f[:, None]
            out['b'] = be + (b - mu) * f
            """, inputs: ["w": ([3, 8], w), "b": ([3], b), "g": ([3], gamma), "be": ([3], beta), "mu": ([3], mean), "v": ([3], variance)])
        #expect(relativeError(folded.weight, reference["w"]!.values) < 1e-6)
        #expect(relativeError(folded.bias, reference["b"]!.values) < 1e-6)
    }
}
