import QuantCore

/// The pretrained MNIST CNN of the PyPI wheel `digit-recognizer-py` 0.1.0
/// (`handwriting_model.pth`): three blocks of Conv3×3(pad 1)-ReLU-MaxPool2
/// (1→32→64→128 channels, 28→14→7→3), then Linear 1152→256, ReLU, Linear 256→10.
///
/// Inputs are `[N, 1, 28, 28]` images normalised as MNIST's (x − 0.1307)/0.3081. Layer names are
/// the checkpoint's (`conv_layers.0`, `conv_layers.3`, `conv_layers.6`, `fc_layers.0`,
/// `fc_layers.2`, the indices of PyTorch `Sequential`s).
public struct DigitsCNN: Sendable {
    public static let modelName = "digits-cnn"
    public static let imageSize = 28
    public static let classes = 10

    let convolutions: [Conv2d]
    let hidden: Linear
    let classifier: Linear
    let pool = MaxPool2d(kernel: 2)

    /// Binds the checkpoint's tensors.
    ///
    /// - Throws: ``ModelError/weightsDoNotMatch(model:source:problems:)`` listing every missing,
    ///   misshapen or unexpected tensor.
    public init(weights: [String: Tensor], source: String) throws {
        var binder = WeightBinder(weights: weights, model: Self.modelName, source: source)
        convolutions = [(0, 1, 32), (3, 32, 64), (6, 64, 128)].map { index, input, output in
            Conv2d("conv_layers.\(index)", in: input, out: output, kernel: 3, padding: 1, binder: &binder)
        }
        hidden = Linear("fc_layers.0", in: 128 * 3 * 3, out: 256, binder: &binder)
        classifier = Linear("fc_layers.2", in: 256, out: Self.classes, binder: &binder)
        try binder.finish()
    }

    /// Every activation site, in forward order.
    public var activationSites: [ActivationSite] {
        convolutions.flatMap { [$0.inputSite, $0.outputSite] }
            + [hidden.inputSite, hidden.outputSite, classifier.inputSite, classifier.outputSite]
    }

    /// The names of the weight tensors (each conv and linear's `.weight`), in forward order.
    public var weightNames: [String] {
        convolutions.map { "\($0.name).weight" } + ["\(hidden.name).weight", "\(classifier.name).weight"]
    }

    /// The im2col product of every conv (one row per output position: 28², 14², 7²) and linear.
    public var layerGeometry: [LayerGeometry] {
        var side = Self.imageSize
        var result: [LayerGeometry] = []
        for conv in convolutions {
            let positions = conv.outputSize(side) * conv.outputSize(side)
            result.append(
                LayerGeometry(
                    weight: "\(conv.name).weight", inFeatures: conv.inChannels * conv.kernel * conv.kernel,
                    outFeatures: conv.outChannels, rows: .perItem(positions)))
            side = pool.outputSize(conv.outputSize(side))
        }
        return result + [hidden, classifier].map {
            LayerGeometry(weight: "\($0.name).weight", inFeatures: $0.inFeatures, outFeatures: $0.outFeatures, rows: .perItem(1))
        }
    }

    /// Class logits `[batch, 10]` for `batch` images of `[1, 28, 28]`.
    ///
    /// - Throws: ``ModelError/badInput(model:reason:)`` when `images` does not hold `batch` images.
    public func logits(_ images: [Float], batch: Int, context: ForwardContext = .plain) throws -> [Float] {
        let size = Self.imageSize
        guard batch > 0, images.count == batch * size * size else {
            throw ModelError.badInput(model: Self.modelName, reason: "expected \(batch) images of 1×28×28 (\(batch * size * size) values), got \(images.count) values")
        }
        var x = images, side = size
        for conv in convolutions {
            x = conv.forward(consume x, batch: batch, height: side, width: side, context: context)
            RowKernels.relu(&x)
            x = pool.forward(x, planes: batch * conv.outChannels, height: side, width: side)
            side = pool.outputSize(side)
        }
        x = hidden.forward(consume x, rows: batch, context: context)
        RowKernels.relu(&x)
        return classifier.forward(consume x, rows: batch, context: context)
    }
}
