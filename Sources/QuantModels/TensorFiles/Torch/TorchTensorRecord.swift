/// A storage as a checkpoint's pickle refers to it: the persistent id
/// `("storage", storage_type, key, location, numel)` that `torch.save` writes for each one.
struct TorchStorageReference: Sendable, Hashable {
    /// The record name under `<prefix>/data/`.
    var key: String
    /// The storage's element type (`uint8` for an untyped storage, whose count is in bytes).
    var dtype: TorchDType
    /// The number of elements of `dtype` the storage holds.
    var count: Int
    /// Where the tensor lived when saved (`cpu`, `cuda:0`); informational only.
    var location: String

    /// The storage's size in bytes, or `nil` on overflow.
    var byteCount: Int? {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
        return overflow ? nil : bytes
    }
}

/// A tensor as a checkpoint describes it: a view of a storage with an element offset, a shape and
/// strides (`torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...)`).
struct TorchTensorRecord: Sendable, Hashable {
    var storage: TorchStorageReference
    /// The tensor's element type: the storage's, or the dtype argument of `_rebuild_tensor_v3`.
    var dtype: TorchDType
    /// The element offset of the tensor's first element in the storage (in units of `dtype`).
    var offset: Int
    var shape: [Int]
    /// Elements to step in the storage for one step along each axis.
    var strides: [Int]

    /// The number of elements, or `nil` on overflow.
    var elementCount: Int? { FileAccess.elementCount(shape) }

    /// Whether the elements lie in row-major order without gaps from `offset` on, so that the tensor
    /// is one byte range. Axes of extent 1 may have any stride, as in `torch.Tensor.is_contiguous`.
    var isContiguous: Bool {
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard strides[axis] == expected else { return false }
            expected = expected &* shape[axis]
        }
        return true
    }

    /// The number of bytes of the storage the view reaches, from the storage's start: the byte after
    /// its last element. Zero for an empty tensor.
    ///
    /// - Returns: `nil` when a stride is negative or the arithmetic overflows.
    var reachedBytes: Int? {
        guard strides.allSatisfy({ $0 >= 0 }), offset >= 0, let count = elementCount else { return nil }
        if count == 0 { return 0 }
        var last = offset
        for (extent, stride) in zip(shape, strides) {
            let (step, overflow) = (extent - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflowSum) = last.addingReportingOverflow(step)
            if overflow || overflowSum { return nil }
            last = sum
        }
        let (elements, overflow) = last.addingReportingOverflow(1)
        let (bytes, overflowBytes) = elements.multipliedReportingOverflow(by: dtype.byteCount)
        return overflow || overflowBytes ? nil : bytes
    }
}
