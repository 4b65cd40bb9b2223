/// A torch dtype as a checkpoint names it: through a legacy storage class (`torch.FloatStorage`)
/// or a dtype global (`torch.float8_e4m3fn`, for `_rebuild_tensor_v3`).
///
/// The name is torch's without the `torch.` prefix, which is also numpy's spelling of the same
/// type, so it is what ``TensorInfo/dtype`` and ``Tensor/sourceDType`` hold (`float32`, `bfloat16`).
struct TorchDType: Hashable, Sendable {
    /// `float32`, `bfloat16`, `complex64`, ...
    let name: String
    /// Bytes per element.
    let byteCount: Int

    /// The element type QuantBench decodes, or `nil` for dtypes it lists but cannot read (complex).
    var elementType: TensorElementType? { TensorElementType(rawValue: name) }

    /// The dtypes a checkpoint may name, by their `torch.<name>` global.
    static let known: [String: TorchDType] = Dictionary(uniqueKeysWithValues: [
        ("bool", 1), ("uint8", 1), ("int8", 1), ("int16", 2), ("uint16", 2), ("int32", 4), ("uint32", 4),
        ("int64", 8), ("uint64", 8), ("float16", 2), ("bfloat16", 2), ("float32", 4), ("float64", 8),
        ("float8_e4m3fn", 1), ("float8_e5m2", 1), ("float8_e4m3fnuz", 1), ("float8_e5m2fnuz", 1),
        ("float8_e8m0fnu", 1), ("complex32", 4), ("complex64", 8), ("complex128", 16),
    ].map { ($0.0, TorchDType(name: $0.0, byteCount: $0.1)) })

    /// The legacy storage classes `torch.save` names in a storage's persistent id, and their dtypes.
    static let storageClasses: [String: String] = [
        "DoubleStorage": "float64", "FloatStorage": "float32", "HalfStorage": "float16",
        "BFloat16Storage": "bfloat16", "LongStorage": "int64", "IntStorage": "int32", "ShortStorage": "int16",
        "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
        "ComplexFloatStorage": "complex64", "ComplexDoubleStorage": "complex128",
    ]

    /// The dtype of an untyped storage (`torch.UntypedStorage`): bytes.
    static let untyped = TorchDType(name: "uint8", byteCount: 1)

    /// The dtype of a legacy storage class name (`FloatStorage` → `float32`), if known.
    init?(storageClass name: String) {
        guard let dtype = Self.storageClasses[name].flatMap({ Self.known[$0] }) else { return nil }
        self = dtype
    }

    private init(name: String, byteCount: Int) {
        self.name = name
        self.byteCount = byteCount
    }

    /// The dtype names QuantBench reads, for messages.
    static var readableNames: [String] {
        known.values.filter { $0.elementType != nil }.map(\.name).sorted()
    }
}
