import QuantCore

/// Turns an 8×8 digits image into the 1×28×28 input of an MNIST CNN.
///
/// 1. Scale: x = pixel / 16, into [0, 1] (MNIST's `ToTensor` gives [0, 1] too).
/// 2. Upsample: each pixel becomes a 2×2 block, giving 16×16 (nearest neighbour).
/// 3. Pad: centre it in 28×28, 6 rows and columns of zeros on each side.
/// 4. Normalize the whole image, padding included, as torchvision's
///    `Normalize((0.1307,), (0.3081,))` does: y = (x − 0.1307) / 0.3081.
///
/// Everything is computed in `Float` (float32), in that order, so numpy's
/// `(np.float32(p) / np.float32(16) - np.float32(0.1307)) / np.float32(0.3081)` gives the same bits.
public enum DigitsPreprocessing {
    /// MNIST's mean, as torchvision's examples normalize with.
    public static let mean: Float = 0.1307
    /// MNIST's standard deviation.
    public static let standardDeviation: Float = 0.3081
    /// The output image's side.
    public static let side = 28
    /// How many times each pixel is repeated along each axis.
    public static let upscale = 2
    /// Zero rows (and columns) on each side: (28 − 8·2) / 2.
    public static let padding = 6
    /// One image's shape: channels, height, width.
    public static let imageShape = [1, side, side]
    /// Values per preprocessed image.
    public static let valuesPerImage = side * side

    /// The normalized value of a pixel (0…16).
    @inline(__always)
    public static func normalized(_ pixel: UInt8) -> Float {
        (Float(pixel) / Float(DigitsDataset.maximumPixel) - mean) / standardDeviation
    }

    /// Writes one preprocessed image into `output` (``valuesPerImage`` values): steps 1–4.
    ///
    /// - Parameters:
    ///   - pixels: 64 pixels, row-major.
    ///   - output: The image's 784 values, row-major.
    static func write(_ pixels: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Float>) {
        writeUnit(pixels, into: output)
        normalize(output)
    }

    /// Steps 1–3: the 28×28 image in [0, 1] (x = pixel / 16, upsampled and zero-padded), where
    /// scenario transforms apply (``ImageTransform``).
    static func writeUnit(_ pixels: ArraySlice<UInt8>, into output: UnsafeMutableBufferPointer<Float>) {
        for index in output.indices { output[index] = 0 }
        let start = pixels.startIndex, scale = Float(DigitsDataset.maximumPixel)
        for row in 0..<DigitsDataset.side {
            for column in 0..<DigitsDataset.side {
                let value = Float(pixels[start + row * DigitsDataset.side + column]) / scale
                let top = (padding + upscale * row) * side + padding + upscale * column
                output[top] = value
                output[top + 1] = value
                output[top + side] = value
                output[top + side + 1] = value
            }
        }
    }

    /// Step 4 in place: y = (x − 0.1307) / 0.3081, the same float32 operations as ``normalized(_:)``.
    static func normalize(_ image: UnsafeMutableBufferPointer<Float>) {
        for index in image.indices { image[index] = (image[index] - mean) / standardDeviation }
    }
}

/// Preprocessed digits images in one contiguous [N, 1, 28, 28] float32 buffer, with their labels.
public struct DigitsBatch: Sendable, Equatable {
    /// The images' indices in the data set.
    public var indices: [Int]
    /// Their labels 0…9.
    public var labels: [Int]
    /// [N, 1, 28, 28].
    public var shape: [Int]
    /// N × 784 values, C order.
    public var values: [Float]

    /// The batch as a QuantCore tensor of shape [N, 1, 28, 28].
    ///
    /// - Parameter name: The tensor's name.
    public func tensor(name: String = "digits") throws -> Tensor {
        try Tensor(name: name, shape: shape, values: values)
    }
}

extension DigitsDataset {
    /// The images at `indices`, preprocessed as ``DigitsPreprocessing`` describes, in that order.
    ///
    /// - Parameter indices: Row indices (repeats allowed), e.g. a split's `calibration`.
    /// - Returns: A contiguous [N, 1, 28, 28] batch.
    /// - Throws: `DatasetError.indexOutOfRange` for an index outside the data set.
    /// - Complexity: O(N · 784).
    public func batch(_ indices: [Int]) throws -> DigitsBatch {
        try batch(indices, items: Array(indices.indices), scenario: ImageScenario())
    }

    /// The images at `indices` under a scenario: steps 1–3 of ``DigitsPreprocessing``, then
    /// `scenario`'s transform on the [0, 1] image, then step 4 (the model's normalisation).
    ///
    /// With the identity transform this is exactly ``batch(_:)``, bit for bit.
    ///
    /// - Parameters:
    ///   - indices: Row indices (repeats allowed).
    ///   - items: Each image's position in its split or pool (as many as `indices`); it picks
    ///     `mix`'s scenario and the item's noise generator (``ScenarioRandom``).
    ///   - scenario: The transform, and the seed and split its noise is drawn for.
    /// - Throws: `DatasetError.indexOutOfRange` for an index outside the data set.
    /// - Complexity: O(N · 784).
    public func batch(_ indices: [Int], items: [Int], scenario: ImageScenario) throws -> DigitsBatch {
        precondition(items.count == indices.count, "one item position per image")
        let slices = try indices.map { try pixels(at: $0) }
        let perImage = DigitsPreprocessing.valuesPerImage
        let values = [Float](unsafeUninitializedCapacity: slices.count * perImage) { buffer, initialized in
            for (n, slice) in slices.enumerated() {
                let image = UnsafeMutableBufferPointer(rebasing: buffer[n * perImage..<(n + 1) * perImage])
                DigitsPreprocessing.writeUnit(slice, into: image)
                if !scenario.transform.isIdentity {
                    var rng = ScenarioRandom.generator(seed: scenario.seed, split: scenario.split, item: items[n])
                    scenario.transform.apply(to: image, item: items[n], rng: &rng)
                }
                DigitsPreprocessing.normalize(image)
            }
            initialized = slices.count * perImage
        }
        return DigitsBatch(
            indices: indices, labels: indices.map { labels[$0] }, shape: [indices.count] + DigitsPreprocessing.imageShape,
            values: values)
    }

    /// One preprocessed image, 784 values (shape [1, 28, 28]).
    ///
    /// - Throws: `DatasetError.indexOutOfRange`.
    public func image(at index: Int) throws -> [Float] { try batch([index]).values }
}
