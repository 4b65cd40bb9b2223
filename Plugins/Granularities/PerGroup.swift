import QuantCore

/// One set of parameters per `size` consecutive elements along an axis (the input dimension,
/// the last axis of a PyTorch Linear weight, by default): GPTQ/AWQ-style group-wise INT4,
/// and the blocks of MX (32) and NVFP4 (16).
///
/// When `size` does not divide the axis, the last group of each row is shorter (`ragged=true`,
/// the default, as llama.cpp and ONNX `block_size` do at the tail); with `ragged=false` that is
/// an error. A size larger than the axis is always an error: it would silently be per-channel.
public struct PerGroup: Granularity {
    public var size: Int
    public var axis: Int
    public var ragged: Bool

    public init(size: Int = 128, axis: Int = -1, ragged: Bool = true) {
        self.size = size
        self.axis = axis
        self.ragged = ragged
    }

    public var name: String {
        var args = ["\(size)"]
        if axis != -1 { args.append("axis=\(axis)") }
        if !ragged { args.append("ragged=false") }
        return "per-group(\(args.joined(separator: ", ")))"
    }

    public func partition(shape: [Int], tensor: String) throws -> GranulePartition {
        let a = try resolveAxis(axis, shape: shape, granularity: name, tensor: tensor)
        let v = view(shape, around: a)
        guard size <= v.axisLength else {
            throw QuantCoreError.granularityMismatch(
                granularity: name, tensor: tensor,
                reason: "group size \(size) is larger than axis \(a) of shape \(shape) (length \(v.axisLength)); use a size ≤ \(v.axisLength) or per-channel")
        }
        guard ragged || v.axisLength % size == 0 else {
            throw QuantCoreError.granularityMismatch(
                granularity: name, tensor: tensor,
                reason: "group size \(size) does not divide axis \(a) of length \(v.axisLength) (remainder \(v.axisLength % size)); pick a divisor or allow a short last group with ragged=true")
        }
        return GranulePartition(cut: .groups(size: size), outer: v.outer, axisLength: v.axisLength, inner: v.inner)
    }
}
