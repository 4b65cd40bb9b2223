/// The element types a buffer can hold, as the bridge reads them.
enum ElementKind: Sendable {
    case float16, bfloat16Bits, float32, float64
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool

    /// Reads a PEP 3118 format string (`"<f"`, `"e"`, `"?"`, ...) with its item size.
    ///
    /// The width comes from `itemSize`, not the letter (`l` is 8 bytes on LP64 Linux, 4 on
    /// Windows). Byte-order prefixes are accepted only for the native (little-endian) order.
    ///
    /// - Returns: nil for anything else (complex, structured, strings, big-endian, ...).
    init?(format: String, itemSize: Int, bfloat16: Bool) {
        var letters = Substring(format)
        if let first = letters.first, "@=<".contains(first) { letters = letters.dropFirst() }
        guard letters.count == 1, let letter = letters.first else { return nil }
        switch (letter, itemSize) {
        case ("e", 2): self = .float16
        case ("f", 4): self = .float32
        case ("d", 8): self = .float64
        case ("?", 1): self = .bool
        case ("b", 1): self = .int8
        case ("h", 2), ("i", 2), ("l", 2), ("q", 2): self = .int16
        case ("h", 4), ("i", 4), ("l", 4), ("q", 4): self = .int32
        case ("h", 8), ("i", 8), ("l", 8), ("q", 8), ("n", 8): self = .int64
        case ("B", 1): self = .uint8
        case ("H", 2), ("I", 2), ("L", 2), ("Q", 2): self = bfloat16 ? .bfloat16Bits : .uint16
        case ("H", 4), ("I", 4), ("L", 4), ("Q", 4): self = .uint32
        case ("H", 8), ("I", 8), ("L", 8), ("Q", 8), ("N", 8): self = .uint64
        default: return nil
        }
    }

    /// numpy's name for the kind, for buffers that carry no dtype.
    var defaultName: String {
        switch self {
        case .bfloat16Bits: "bfloat16"
        default: String(describing: self)
        }
    }
}

/// Widens IEEE 754 binary16 bits to `Float` exactly (portable: `Float16` is missing on macOS x86-64).
@inline(__always)
func halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int(bits >> 10) & 0x1f
    let mantissa = UInt32(bits & 0x3ff)
    switch exponent {
    case 0: return sign * Float(mantissa) * 0x1p-24
    case 31: return Float(bitPattern: UInt32(bits & 0x8000) << 16 | 0x7f80_0000 | mantissa << 13)
    default: return Float(bitPattern: UInt32(bits & 0x8000) << 16 | UInt32(exponent + 112) << 23 | mantissa << 13)
    }
}
