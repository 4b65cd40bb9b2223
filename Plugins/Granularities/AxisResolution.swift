import QuantCore

/// Resolves a possibly negative axis against a shape (`-1` is the last axis), or says why not.
func resolveAxis(_ axis: Int, shape: [Int], granularity: String, tensor: String) throws -> Int {
    guard !shape.isEmpty else {
        throw QuantCoreError.granularityMismatch(
            granularity: granularity, tensor: tensor, reason: "the tensor is a scalar (shape []), which has no axis; use per-tensor")
    }
    let resolved = axis < 0 ? shape.count + axis : axis
    guard (0..<shape.count).contains(resolved) else {
        throw QuantCoreError.granularityMismatch(
            granularity: granularity, tensor: tensor,
            reason: "axis \(axis) is out of range for shape \(shape) (rank \(shape.count): axes \(-shape.count)…\(shape.count - 1))")
    }
    return resolved
}

/// The `[outer, axis, inner]` view of `shape` around `axis`.
func view(_ shape: [Int], around axis: Int) -> (outer: Int, axisLength: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}
