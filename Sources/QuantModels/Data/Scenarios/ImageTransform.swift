import QuantCore

/// A scenario shift of an image: brighter, lower or higher contrast, noisier, or a mix of these.
///
/// Every transform works on the image in [0, 1] **after** it has been upscaled and padded to
/// 28×28 and **before** the model's normalisation (see ``DigitsPreprocessing``): it is the whole
/// frame the camera saw that changes, padding included, and the model still normalises with
/// MNIST's mean and standard deviation afterwards. All arithmetic is `Float` (float32) except
/// where stated; `clip(v) = min(max(v, 0), 1)`.
///
/// - `none`: x′ = x.
/// - `brightness(delta)`: x′ = clip(x + Float(delta)).
/// - `contrast(factor)`: m = Float((Σ x as Double) / 784), the mean of the 28×28 image;
///   x′ = clip(m + Float(factor) · (x − m)).
/// - `noise(sigma)`: x′ = clip(x + Float(sigma · z)), one standard normal z per value in
///   row-major order from the item's generator (``ScenarioRandom``); `sigma · z` is computed in
///   `Double`.
/// - `mix`: item k (its position in its split or pool) gets ``mixScenarios``[k mod 6].
public enum ImageTransform: Sendable, Hashable, CustomStringConvertible {
    case none
    case brightness(delta: Double)
    case contrast(factor: Double)
    case noise(sigma: Double)
    case mix

    /// The scenarios `mix` cycles through: identity, contrast 0.5 and 1.5, brightness ±0.2 and
    /// noise 0.1 — the shifts practitioners report between deployment scenes.
    public static let mixScenarios: [ImageTransform] = [
        .none, .contrast(factor: 0.5), .contrast(factor: 1.5), .brightness(delta: 0.2), .brightness(delta: -0.2),
        .noise(sigma: 0.1),
    ]

    /// The transform item `item` gets: ``mixScenarios``[item mod 6] for `mix`, itself otherwise.
    public func scenario(forItem item: Int) -> ImageTransform {
        guard case .mix = self else { return self }
        return Self.mixScenarios[item % Self.mixScenarios.count]
    }

    /// The canonical name, e.g. `contrast(0.5)`; parsing it gives this transform back.
    public var description: String {
        switch self {
        case .none: "none"
        case let .brightness(delta): "brightness(\(delta))"
        case let .contrast(factor): "contrast(\(factor))"
        case let .noise(sigma): "noise(\(sigma))"
        case .mix: "mix"
        }
    }

    /// Whether the transform leaves every image as it is.
    public var isIdentity: Bool { self == .none }

    /// Applies this transform to one image in [0, 1], in place (`mix` picks its scenario first).
    ///
    /// - Parameters:
    ///   - image: The 28×28 values of one image, in [0, 1].
    ///   - item: The image's position in its split or pool (chooses `mix`'s scenario).
    ///   - rng: The item's generator (only `noise` draws from it).
    /// - Complexity: O(784).
    func apply(to image: UnsafeMutableBufferPointer<Float>, item: Int, rng: inout SplitMix64) {
        @inline(__always) func clip(_ v: Float) -> Float { Swift.min(Swift.max(v, 0), 1) }
        switch scenario(forItem: item) {
        case .none, .mix:
            return
        case let .brightness(delta):
            let d = Float(delta)
            for i in image.indices { image[i] = clip(image[i] + d) }
        case let .contrast(factor):
            var sum = 0.0
            for v in image { sum += Double(v) }
            let mean = Float(sum / Double(image.count)), f = Float(factor)
            for i in image.indices { image[i] = clip(mean + f * (image[i] - mean)) }
        case let .noise(sigma):
            for i in image.indices { image[i] = clip(image[i] + Float(sigma * ScenarioRandom.gaussian(&rng))) }
        }
    }
}

/// A transform with what seeds its noise: the seed and the split of the items it applies to.
public struct ImageScenario: Sendable, Hashable {
    public var transform: ImageTransform
    public var seed: Int
    public var split: ScenarioSplit

    public init(transform: ImageTransform = .none, seed: Int = 0, split: ScenarioSplit = .calibration) {
        self.transform = transform
        self.seed = seed
        self.split = split
    }
}
