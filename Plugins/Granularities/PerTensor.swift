import QuantCore

/// One set of parameters for the whole tensor.
public struct PerTensor: Granularity {
    public init() {}
    public var name: String { "per-tensor" }
    public func partition(shape: [Int], tensor: String) throws -> GranulePartition {
        .whole(count: shape.reduce(1, *))
    }
}

/// One set of parameters per index along an axis: per output channel for weights (axis 0 of a
/// PyTorch Linear or Conv weight, axis 1 of a ConvTranspose weight; REFERENCE.md §3).
public struct PerChannel: Granularity {
    public var axis: Int
    public init(axis: Int = 0) { self.axis = axis }
    public var name: String { axis == 0 ? "per-channel" : "per-channel(axis=\(axis))" }
    public func partition(shape: [Int], tensor: String) throws -> GranulePartition {
        let a = try resolveAxis(axis, shape: shape, granularity: name, tensor: tensor)
        let v = view(shape, around: a)
        return GranulePartition(cut: .channels, outer: v.outer, axisLength: v.axisLength, inner: v.inner)
    }
}

/// One set of parameters per row of the tensor seen as `[tokens, features]` (every axis but
/// the last flattened into tokens): dynamic per-token activation quantization, where each
/// token's scale is max|x|/qmax of its own row.
public struct PerToken: Granularity {
    public init() {}
    public var name: String { "per-token" }
    public func partition(shape: [Int], tensor: String) throws -> GranulePartition {
        guard let features = shape.last else {
            throw QuantCoreError.granularityMismatch(
                granularity: name, tensor: tensor, reason: "a scalar has no rows; use per-tensor")
        }
        let tokens = shape.dropLast().reduce(1, *)
        // Rows are granules along axis 0 of the [tokens, features] view.
        return GranulePartition(cut: .channels, outer: 1, axisLength: tokens, inner: features)
    }
}
