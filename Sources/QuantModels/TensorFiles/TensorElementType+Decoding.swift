import QuantCore

extension TensorElementType {
    /// Converts packed elements to `Float`, in the order they are stored.
    ///
    /// Every type is widened exactly except 32/64-bit integers and `float64`, which are rounded to
    /// the nearest `Float` (ties to even), as numpy's `astype(np.float32)` does. Float16 goes through
    /// its bit pattern; bfloat16 is the upper half of a float32; fp8 codes go through a 256-entry
    /// table built with QuantCore's `MinifloatCodec` (OCP e4m3fn and e5m2, the ml_dtypes semantics).
    ///
    /// - Parameters:
    ///   - source: The packed bytes; a trailing partial element is ignored.
    ///   - byteOrder: The order of bytes inside each stored element.
    /// - Returns: `source.count / byteCount` values.
    /// - Complexity: O(n); host-order float32 is one bulk copy.
    func decoded(_ source: UnsafeRawBufferPointer, byteOrder: ByteOrder) -> [Float] {
        let count = source.count / byteCount
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            decode(source, byteOrder: byteOrder, into: output)
            initialized = count
        }
    }

    private func decode(_ source: UnsafeRawBufferPointer, byteOrder: ByteOrder,
                        into out: UnsafeMutableBufferPointer<Float>) {
        let swap = byteOrder != .host
        switch self {
        case .float32 where !swap:
            if out.count > 0, let base = source.baseAddress, let target = out.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: base, byteCount: out.count * 4)
            }
        case .float32: convert(source, into: out, as: UInt32.self, swap) { Float(bitPattern: $0) }
        case .float64: convert(source, into: out, as: UInt64.self, swap) { Float(Double(bitPattern: $0)) }
        case .float16: convert(source, into: out, as: UInt16.self, swap, widenFloat16)
        case .bfloat16: convert(source, into: out, as: UInt16.self, swap) { Float(bitPattern: UInt32($0) << 16) }
        case .bool: convert(source, into: out, as: UInt8.self, false) { $0 == 0 ? 0 : 1 }
        case .int8: convert(source, into: out, as: UInt8.self, false) { Float(Int8(bitPattern: $0)) }
        case .int16: convert(source, into: out, as: UInt16.self, swap) { Float(Int16(bitPattern: $0)) }
        case .int32: convert(source, into: out, as: UInt32.self, swap) { Float(Int32(bitPattern: $0)) }
        case .int64: convert(source, into: out, as: UInt64.self, swap) { Float(Int64(bitPattern: $0)) }
        case .uint8: convert(source, into: out, as: UInt8.self, false) { Float($0) }
        case .uint16: convert(source, into: out, as: UInt16.self, swap) { Float($0) }
        case .uint32: convert(source, into: out, as: UInt32.self, swap) { Float($0) }
        case .uint64: convert(source, into: out, as: UInt64.self, swap) { Float($0) }
        case .float8E4M3FN: lookUp(source, into: out, table: fp8E4M3Table)
        case .float8E5M2: lookUp(source, into: out, table: fp8E5M2Table)
        }
    }
}

/// The float32 value of a float16 bit pattern, exactly.
///
/// Branch-light widening (no `Float16` library call per element): exponent and mantissa are
/// moved into float32 position and rescaled by 2^(127 − 15), which is exact for normal and
/// subnormal halves alike; an all-ones exponent (infinity, NaN with its payload) is kept all-ones.
@inline(__always)
private func widenFloat16(_ bits: UInt16) -> Float {
    let magnitude = UInt32(bits & 0x7FFF) << 13
    let sign = UInt32(bits & 0x8000) << 16
    let special = bits & 0x7C00 == 0x7C00
    let widened = special ? magnitude | 0x7F80_0000 : (Float(bitPattern: magnitude) * 0x1p112).bitPattern
    return Float(bitPattern: widened | sign)
}

/// The value of every e4m3fn code, indexed by code.
private let fp8E4M3Table: [Float] = (0..<256).map { MinifloatCodec.e4m3fn.decode(UInt32($0)) }
/// The value of every e5m2 code, indexed by code.
private let fp8E5M2Table: [Float] = (0..<256).map { MinifloatCodec.e5m2.decode(UInt32($0)) }

/// Loads `out.count` elements of type `Bits` from `source`, swapping bytes if asked, and converts them.
@inline(__always)
private func convert<Bits: FixedWidthInteger>(
    _ source: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>, as _: Bits.Type,
    _ swapped: Bool, _ transform: (Bits) -> Float
) {
    guard let base = source.baseAddress, let target = out.baseAddress else { return }
    let stride = MemoryLayout<Bits>.size
    assert(source.count >= out.count * stride, "decode source shorter than its output")
    if swapped {
        for index in 0..<out.count {
            target[index] = transform(base.loadUnaligned(fromByteOffset: index &* stride, as: Bits.self).byteSwapped)
        }
    } else {
        for index in 0..<out.count {
            target[index] = transform(base.loadUnaligned(fromByteOffset: index &* stride, as: Bits.self))
        }
    }
}

/// Maps each byte of `source` through a 256-entry table.
@inline(__always)
private func lookUp(_ source: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>, table: [Float]) {
    table.withUnsafeBufferPointer { values in
        for index in 0..<min(out.count, source.count) {
            out[index] = values[Int(source[index])]
        }
    }
}
