/// Conversion between Fortran (column-major) and C (row-major) element orders.
enum MemoryOrder {
    /// Reorders values stored column-major (first axis fastest) into row-major (last axis fastest).
    ///
    /// An element at index (i₀, …, iₙ₋₁) sits at i₀ + d₀·(i₁ + d₁·(i₂ + …)) in column-major order;
    /// the output is walked in row-major order with an odometer, reading the innermost axis with
    /// the column-major stride of the last axis.
    ///
    /// - Parameters:
    ///   - values: `shape.reduce(1, *)` values in column-major order.
    ///   - shape: The logical shape, outermost first.
    /// - Returns: The same values in row-major order.
    /// - Complexity: O(n) time, one output allocation.
    static func rowMajor(fromColumnMajor values: [Float], shape: [Int]) -> [Float] {
        let count = values.count
        guard shape.count >= 2, count > 0, count == FileAccess.elementCount(shape) else { return values }
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        let inner = shape[shape.count - 1]
        let innerStride = strides[shape.count - 1]
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            values.withUnsafeBufferPointer { source in
                var index = [Int](repeating: 0, count: shape.count - 1)
                var base = 0
                var written = 0
                while written < count {
                    for offset in 0..<inner { output[written + offset] = source[base + offset * innerStride] }
                    written += inner
                    var axis = shape.count - 2
                    while axis >= 0 {
                        index[axis] += 1
                        base += strides[axis]
                        if index[axis] < shape[axis] { break }
                        base -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
            initialized = count
        }
    }
}
