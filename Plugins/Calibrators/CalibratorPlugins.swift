import QuantCore

/// The built-in calibrators, for the registry.
public enum CalibratorPlugins {
    public static var descriptors: [PluginDescriptor<any Calibrator>] {
        [
            PluginDescriptor(.exact("minmax"), summary: "global min and max over all batches (PyTorch MinMaxObserver, ORT MinMax)") { _ in
                MinMax()
            },
            PluginDescriptor(
                .exact("ema-minmax"),
                parameters: [PluginParameter("momentum", .real(0...1, openLower: true), default: "0.01", "weight of each new batch")],
                summary: "moving average of per-batch min and max (PyTorch MovingAverageMinMaxObserver)"
            ) { args in EMAMinMax(momentum: args.real("momentum")) },
            PluginDescriptor(
                .exact("percentile"),
                parameters: [PluginParameter("percentile", .real(0...100, openLower: true), default: "99.99", "percent of |x| kept")],
                summary: "clip at a percentile of a 2048-bin histogram (pytorch_quantization; affine: ORT's two tails)"
            ) { args in Percentile(percentile: args.real("percentile")) },
            PluginDescriptor(
                .exact("mse"),
                parameters: [PluginParameter("start", .integer(1...2047), default: "128", "first candidate bin")],
                summary: "threshold minimising the format's squared error over the histogram (pytorch_quantization mse)"
            ) { args in MSE(startBin: args.integer("start")) },
            PluginDescriptor(
                .exact("kl"),
                parameters: [PluginParameter("start", .integer(1...2047), default: "128", "first candidate bin")],
                summary: "TensorRT entropy calibration: threshold minimising KL(P||Q) (pytorch_quantization entropy)"
            ) { args in Entropy(startBin: args.integer("start")) },
            PluginDescriptor(
                .exact("ort-entropy"),
                parameters: [
                    PluginParameter("quantized-bins", .integer(1...2048), default: "128", "ORT's num_quantized_bins (255 or 256 for uint8)")
                ],
                summary: "ONNX Runtime EntropyCalibrater (2048-bin signed histogram, smoothed KL), reproduced exactly"
            ) { args in ORTEntropy(quantizedBins: args.integer("quantized-bins")) },
            PluginDescriptor(
                .exact("hist-l2"), summary: "PyTorch HistogramObserver's greedy L2 range search"
            ) { _ in HistogramL2() },
            PluginDescriptor(
                .exact("aciq"),
                parameters: [PluginParameter("distribution", .choice(ACIQ.Distribution.allCases.map(\.rawValue)), default: "laplace", "the fitted prior")],
                summary: "analytical clipping for a Laplace or Gaussian fit (Banner et al. 2019)"
            ) { args in ACIQ(distribution: ACIQ.Distribution(rawValue: args.choice("distribution")) ?? .laplace) },
        ]
    }
}
