/// A named, dense, row-major tensor of `Float` values, the form every tensor takes for study.
///
/// Tensor files store many element types (f16, bf16, int8, fp8, ...); readers convert them to
/// `Float` exactly (every such type is a subset of `Float` except f64 and 64/32-bit integers,
/// which are rounded to nearest) and keep the original type in ``sourceDType``.
public struct Tensor: Sendable {
    /// The tensor's name in its file (for example `encoder.layer.0.attention.self.query.weight`).
    public var name: String
    /// The extent of each axis, outermost first. A scalar has an empty shape.
    public var shape: [Int]
    /// The values in row-major (C) order; `values.count == shape.reduce(1, *)`.
    public var values: [Float]
    /// The element type the tensor had in its file, in numpy's spelling (`float16`, `bfloat16`, ...).
    public var sourceDType: String

    /// Creates a tensor, checking that `values` fills `shape`.
    ///
    /// - Throws: ``QuantCoreError/shapeMismatch(tensor:shape:count:)`` when the counts differ.
    public init(name: String, shape: [Int], values: [Float], sourceDType: String = "float32") throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw QuantCoreError.shapeMismatch(tensor: name, shape: shape, count: values.count)
        }
        self.name = name
        self.shape = shape
        self.values = values
        self.sourceDType = sourceDType
    }

    /// The number of elements.
    public var count: Int { values.count }

    /// The shape written as `[4096, 4096]`.
    public var shapeDescription: String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
