/// Reads a strided view of a storage (a torch tensor: offset, shape, strides) as row-major values.
enum StridedGather {
    /// The tensor's elements in row-major order, converted to `Float`.
    ///
    /// A contiguous view is decoded straight from the storage bytes; any other view (a transpose,
    /// a slice with steps, an expanded axis of stride 0) is first gathered into a packed buffer of
    /// the tensor's own size, so the working set is one tensor whatever the storage's size.
    ///
    /// - Parameters:
    ///   - record: The view; its shape and strides are non-negative.
    ///   - storage: The storage's bytes.
    ///   - type: The element type to decode.
    ///   - byteOrder: The order of bytes inside each element.
    /// - Returns: The values, or `nil` when the view reaches past the end of `storage`.
    /// - Complexity: O(n) in the tensor's element count.
    static func values(of record: TorchTensorRecord, in storage: UnsafeRawBufferPointer, as type: TensorElementType,
                       byteOrder: ByteOrder) -> [Float]? {
        guard let reached = record.reachedBytes, reached <= storage.count, let count = record.elementCount else {
            return nil
        }
        if count == 0 { return [] }
        let size = type.byteCount
        if record.isContiguous {
            let start = record.offset * size
            return type.decoded(UnsafeRawBufferPointer(rebasing: storage[start..<(start + count * size)]), byteOrder: byteOrder)
        }
        var packed = [UInt8](repeating: 0, count: count * size)
        packed.withUnsafeMutableBytes { target in
            gather(record, from: storage, into: target, elementSize: size)
        }
        return packed.withUnsafeBytes { type.decoded($0, byteOrder: byteOrder) }
    }

    /// Copies the view's elements in row-major order, walking all axes but the last with an
    /// odometer and copying the last axis as one run when its stride is 1.
    private static func gather(_ record: TorchTensorRecord, from storage: UnsafeRawBufferPointer,
                               into target: UnsafeMutableRawBufferPointer, elementSize size: Int) {
        guard let source = storage.baseAddress, let destination = target.baseAddress, let last = record.shape.indices.last
        else { return }
        let inner = record.shape[last]
        let innerStride = record.strides[last]
        var index = [Int](repeating: 0, count: last)
        var base = record.offset
        var written = 0
        while written < target.count {
            if innerStride == 1 {
                (destination + written).copyMemory(from: source + base * size, byteCount: inner * size)
                written += inner * size
            } else {
                for step in 0..<inner {
                    (destination + written).copyMemory(from: source + (base + step * innerStride) * size, byteCount: size)
                    written += size
                }
            }
            var axis = last - 1
            while axis >= 0 {
                index[axis] += 1
                base += record.strides[axis]
                if index[axis] < record.shape[axis] { break }
                base -= record.strides[axis] * record.shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
