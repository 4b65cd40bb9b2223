#if canImport(Glibc)
import Glibc
#endif

/// The shape and byte strides of a buffer, and the copy of its elements into row-major `Float`s.
struct StridedLayout {
    var shape: [Int]
    /// Byte strides, possibly negative or zero.
    var strides: [Int]
    var itemSize: Int

    var count: Int { shape.reduce(1, *) }

    /// Whether the elements lie one after another in row-major order.
    var isRowMajorContiguous: Bool {
        var expected = itemSize
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard strides[axis] == expected else { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Copies the elements at `base` into a row-major array, converting each to `Float`.
    ///
    /// - Complexity: O(n); a contiguous `float32` buffer is one `memcpy`.
    func gather(_ kind: ElementKind, from base: UnsafeRawPointer?) -> [Float] {
        let count = count
        guard count > 0, let base else { return [] }
        if kind == .float32, isRowMajorContiguous {
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let destination = buffer.baseAddress {
                    adviseHugePages(UnsafeMutableRawPointer(destination), byteCount: count * 4)
                    UnsafeMutableRawPointer(destination).copyMemory(from: base, byteCount: count * 4)
                }
                initialized = count
            }
        }
        switch kind {
        case .float16: return gather(base, as: UInt16.self) { halfToFloat($0) }
        case .bfloat16Bits: return gather(base, as: UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
        case .float32: return gather(base, as: Float.self) { $0 }
        case .float64: return gather(base, as: Double.self) { Float($0) }
        case .int8: return gather(base, as: Int8.self) { Float($0) }
        case .int16: return gather(base, as: Int16.self) { Float($0) }
        case .int32: return gather(base, as: Int32.self) { Float($0) }
        case .int64: return gather(base, as: Int64.self) { Float($0) }
        case .uint8: return gather(base, as: UInt8.self) { Float($0) }
        case .uint16: return gather(base, as: UInt16.self) { Float($0) }
        case .uint32: return gather(base, as: UInt32.self) { Float($0) }
        case .uint64: return gather(base, as: UInt64.self) { Float($0) }
        case .bool: return gather(base, as: UInt8.self) { $0 == 0 ? 0 : 1 }
        }
    }

    /// Walks the elements in row-major order: tiles over the last two axes (so a Fortran-order or
    /// transposed source is read a cache-sized block at a time), an odometer over the others.
    @inline(__always)
    private func gather<T>(_ base: UnsafeRawPointer, as type: T.Type, convert: (T) -> Float) -> [Float] {
        let count = count
        let rank = shape.count
        let contiguous = isRowMajorContiguous
        // A contiguous buffer is one long row; otherwise planes of rows × columns.
        let rows = contiguous || rank < 2 ? 1 : shape[rank - 2]
        let columns = contiguous ? count : (rank == 0 ? 1 : shape[rank - 1])
        let rowStride = contiguous || rank < 2 ? 0 : strides[rank - 2]
        let columnStride = contiguous ? itemSize : (rank == 0 ? 0 : strides[rank - 1])
        let outerRank = contiguous ? 0 : max(rank - 2, 0)
        let tile = 64
        let columnTile = abs(columnStride) <= itemSize ? columns : tile
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(destination), byteCount: count * 4) }
            var odometer = [Int](repeating: 0, count: outerRank)
            var plane = 0
            var offset = 0
            while plane * rows * columns < count {
                let planeStart = plane * rows * columns
                for rowStart in stride(from: 0, to: rows, by: tile) {
                    for columnStart in stride(from: 0, to: columns, by: columnTile) {
                        for row in rowStart..<min(rowStart + tile, rows) {
                            var source = offset + row * rowStride + columnStart * columnStride
                            var destination = planeStart + row * columns + columnStart
                            for _ in columnStart..<min(columnStart + columnTile, columns) {
                                buffer[destination] = convert(base.loadUnaligned(fromByteOffset: source, as: T.self))
                                source += columnStride
                                destination += 1
                            }
                        }
                    }
                }
                plane += 1
                offset = advance(&odometer, offset: offset)
            }
            initialized = count
        }
    }

    /// Steps the odometer over the outer axes (all but the last two) and returns the new byte offset.
    @inline(__always)
    private func advance(_ odometer: inout [Int], offset: Int) -> Int {
        var offset = offset
        var axis = odometer.count - 1
        while axis >= 0 {
            odometer[axis] += 1
            offset += strides[axis]
            if odometer[axis] < shape[axis] { return offset }
            offset -= strides[axis] * shape[axis]
            odometer[axis] = 0
            axis -= 1
        }
        return offset
    }
}

/// Asks Linux to back a large, not yet touched destination with transparent huge pages.
///
/// A fresh 256 MB array otherwise takes 65,536 page faults, which cost more than the copy itself
/// (numpy does the same for its own large allocations). Only whole 2 MB pages inside the range
/// are advised; elsewhere, and for small buffers, this does nothing.
func adviseHugePages(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    #if os(Linux)
    let hugePage = 2 << 20
    guard byteCount >= 2 * hugePage else { return }
    let start = (Int(bitPattern: pointer) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: pointer) + byteCount) & ~(hugePage - 1)
    guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    #endif
}
