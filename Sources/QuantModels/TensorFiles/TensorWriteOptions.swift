/// How `TensorFiles.write(_:to:options:)` stores tensors.
public struct TensorWriteOptions: Sendable, Hashable {
    /// The element type written; one of `TensorElementType.writableTypes` (`.npy`/`.npz` cannot
    /// hold `bfloat16`). Values are rounded to nearest-even when the type is narrower than float32.
    public var elementType: TensorElementType
    /// Whether `.npz` members are stored or deflated; ignored for other formats.
    public var npzCompression: NpzCompression
    /// The `__metadata__` strings of a `.safetensors` file; ignored for other formats.
    public var metadata: [String: String]

    /// Options for float32 tensors, stored `.npz` members and no metadata unless given.
    public init(elementType: TensorElementType = .float32, npzCompression: NpzCompression = .stored,
                metadata: [String: String] = [:]) {
        self.elementType = elementType
        self.npzCompression = npzCompression
        self.metadata = metadata
    }
}
