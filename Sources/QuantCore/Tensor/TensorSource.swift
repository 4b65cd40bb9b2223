/// What a tensor file says about one tensor before it is read.
public struct TensorInfo: Sendable, Hashable {
    public var name: String
    /// The element type in numpy's spelling: `float32`, `float16`, `bfloat16`, `int8`,
    /// `float8_e4m3fn`, ...
    public var dtype: String
    public var shape: [Int]

    public init(name: String, dtype: String, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }

    public var count: Int { shape.reduce(1, *) }
}

/// A file or checkpoint that holds named tensors, read one tensor at a time.
///
/// Native readers (`.npy`, `.npz`, `.safetensors`) and the Python bridge's loaders (torch
/// checkpoints, ONNX initializers) all conform, so every command works the same on each.
/// Loading converts to `Float`; a source never needs to hold more than the tensor asked for.
public protocol TensorSource: Sendable {
    /// The file this source reads, for messages.
    var path: String { get }
    /// Every tensor, in file order.
    var tensors: [TensorInfo] { get }
    /// Reads and converts one tensor.
    ///
    /// - Throws: an error naming the file and the tensor when it is missing or unreadable.
    func load(_ name: String) throws -> Tensor
}
