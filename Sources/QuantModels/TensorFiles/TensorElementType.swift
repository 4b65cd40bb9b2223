/// An element type a tensor file can store, named as numpy (and ml_dtypes) name it.
///
/// Readers convert every type to `Float`: exactly for all types except `int32`, `uint32`,
/// `int64`, `uint64` and `float64`, which are rounded to the nearest `Float` (ties to even).
public enum TensorElementType: String, Sendable, Hashable, CaseIterable {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float16, bfloat16, float32, float64
    case float8E4M3FN = "float8_e4m3fn"
    case float8E5M2 = "float8_e5m2"

    /// The numpy spelling (`float16`, `bfloat16`, `float8_e4m3fn`, ...), as kept in `Tensor.sourceDType`.
    public var numpyName: String { rawValue }

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .bool, .int8, .uint8, .float8E4M3FN, .float8E5M2: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .uint64, .float64: return 8
        }
    }
}

/// The order of bytes inside one stored element.
enum ByteOrder: Sendable, Hashable {
    case little, big

    /// The order of this machine.
    static var host: ByteOrder { 1.littleEndian == 1 ? .little : .big }
}

// MARK: - Safetensors names

extension TensorElementType {
    /// The type a safetensors `dtype` string names, or `nil` for a type QuantBench does not read.
    init?(safetensorsName: String) {
        guard let match = Self.allCases.first(where: { $0.safetensorsName == safetensorsName }) else {
            return nil
        }
        self = match
    }

    /// The safetensors spelling: `F32`, `BF16`, `F8_E4M3`, ...
    var safetensorsName: String {
        switch self {
        case .bool: return "BOOL"
        case .int8: return "I8"
        case .int16: return "I16"
        case .int32: return "I32"
        case .int64: return "I64"
        case .uint8: return "U8"
        case .uint16: return "U16"
        case .uint32: return "U32"
        case .uint64: return "U64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        case .float8E4M3FN: return "F8_E4M3"
        case .float8E5M2: return "F8_E5M2"
        }
    }

    /// Every safetensors dtype QuantBench reads, for messages.
    static var safetensorsNames: [String] { allCases.map(\.safetensorsName) }
}

// MARK: - numpy type strings

extension TensorElementType {
    /// The types that `.npy` files can hold (numpy has no native bfloat16 or fp8).
    static let npyTypes: [TensorElementType] = [
        .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64,
    ]

    /// The type of a numpy kind character and item size (`"f"`, 4 → `float32`), or `nil`.
    init?(numpyKind kind: Character, size: Int) {
        let match = Self.npyTypes.first { type in
            type.byteCount == size && type.numpyKind == kind
        }
        guard let match else {
            if kind == "?" && size == 1 {
                self = .bool
                return
            }
            return nil
        }
        self = match
    }

    /// The numpy kind character: `f`, `i`, `u` or `b`.
    var numpyKind: Character {
        switch self {
        case .bool: return "b"
        case .int8, .int16, .int32, .int64: return "i"
        case .uint8, .uint16, .uint32, .uint64: return "u"
        default: return "f"
        }
    }

    /// The numpy type string in little-endian form (`<f4`, `|u1`).
    var numpyDescr: String {
        (byteCount == 1 ? "|" : "<") + String(numpyKind) + String(byteCount)
    }
}
