import Foundation

extension TensorElementType {
    /// The types the writers can store: floating-point types that hold any `Float` (`float32`,
    /// `float64`) or round it to nearest-even (`float16`, `bfloat16`).
    public static let writableTypes: [TensorElementType] = [.float32, .float16, .bfloat16, .float64]

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
