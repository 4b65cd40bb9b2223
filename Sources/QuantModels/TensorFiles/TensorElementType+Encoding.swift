import Foundation

extension TensorElementType {
    /// The types the writers can store: floating-point types that hold any `Float` (`float32`,
    /// `float64`) or round it to nearest-even (`float16`, `bfloat16`), and integer and bool types,
    /// which take only values they hold exactly (an integral value in range; 0 or 1 for bool).
    public static let writableTypes: [TensorElementType] = [
        .float32, .float16, .bfloat16, .float64, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .bool,
    ]

    /// Packs values as little-endian elements of this type, refusing values an integer or bool
    /// type cannot hold exactly.
    ///
    /// - Throws: `TensorFileError.invalidWrite` naming the tensor, the first offending element and
    ///   its value.
    func encodedLittleEndian(_ values: [Float], tensor: String, path: String) throws -> Data {
        if let data = encodedLittleEndian(values) { return data }
        guard let range = exactIntegerRange else {
            throw TensorFileError.invalidWrite(path: path, reason: "tensor '\(tensor)' cannot be stored as \(numpyName)")
        }
        if let bad = values.firstIndex(where: { !($0 >= range.lowerBound && $0 <= range.upperBound && $0 == $0.rounded()) }) {
            throw TensorFileError.invalidWrite(
                path: path,
                reason: "tensor '\(tensor)' element \(bad) is \(values[bad]), which \(numpyName) cannot hold exactly "
                    + "(it takes \(self == .bool ? "0 or 1" : "integers in [\(range.lowerBound), \(range.upperBound)]")); "
                    + "write float32 instead")
        }
        return packed(values.count, byteCount) { index, out in
            let v = values[index]
            for byte in 0..<byteCount {
                let bits: UInt64 = v < 0 ? UInt64(bitPattern: Int64(v)) : UInt64(v)
                out.storeBytes(of: UInt8(truncatingIfNeeded: bits >> (8 * UInt64(byte))), toByteOffset: index * byteCount + byte, as: UInt8.self)
            }
        }
    }

    /// The values an integer or bool type holds, as floats (the largest float not above the
    /// type's maximum for 32- and 64-bit types), or nil for floating-point types.
    var exactIntegerRange: ClosedRange<Float>? {
        switch self {
        case .bool: return 0...1
        case .int8: return -128...127
        case .int16: return -32768...32767
        case .int32: return -2_147_483_648...Float(Int32.max).nextDown
        case .int64: return Float(Int64.min)...Float(Int64.max).nextDown
        case .uint8: return 0...255
        case .uint16: return 0...65535
        case .uint32: return 0...Float(UInt32.max).nextDown
        case .uint64: return 0...Float(UInt64.max).nextDown
        default: return nil
        }
    }

    /// Packs values as little-endian elements of this type.
    ///
    /// `float16` uses Swift's `Float16` conversion (round to nearest, ties to even, overflow to
    /// infinity); `bfloat16` keeps the upper 16 bits of the float32 after rounding to nearest-even,
    /// as PyTorch and ml_dtypes do, and keeps NaN a quiet NaN.
    ///
    /// - Returns: The bytes, or `nil` when this type is not one of ``writableTypes``.
    /// - Complexity: O(n); float32 is one bulk copy.
    func encodedLittleEndian(_ values: [Float]) -> Data? {
        switch self {
        case .float32 where ByteOrder.host == .little:
            return values.withUnsafeBytes { Data($0) }
        case .float32:
            return packed(values.count, 4) { index, out in
                out.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        case .float64:
            return packed(values.count, 8) { index, out in
                out.storeBytes(of: Double(values[index]).bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
            }
        case .float16:
            return packed(values.count, 2) { index, out in
                out.storeBytes(of: Float16(values[index]).bitPattern.littleEndian, toByteOffset: index * 2, as: UInt16.self)
            }
        case .bfloat16:
            return packed(values.count, 2) { index, out in
                out.storeBytes(of: bfloat16Bits(values[index]).littleEndian, toByteOffset: index * 2, as: UInt16.self)
            }
        default:
            return nil
        }
    }

    /// Builds `count * size` bytes by calling `store` once per element index.
    private func packed(_ count: Int, _ size: Int, _ store: (Int, UnsafeMutableRawPointer) -> Void) -> Data {
        var data = Data(count: count * size)
        data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for index in 0..<count { store(index, base) }
        }
        return data
    }
}

/// The bfloat16 bit pattern nearest to `value` (ties to even); NaN stays a quiet NaN with its sign.
func bfloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
    let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
}
