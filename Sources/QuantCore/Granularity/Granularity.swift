/// How a tensor is cut into granules that share quantization parameters.
public protocol Granularity: Sendable {
    /// The canonical plug-in name, e.g. `per-channel(axis=1)`.
    var name: String { get }
    /// The granules of a tensor of this shape, described without copying data.
    ///
    /// - Throws: ``QuantCoreError/granularityMismatch(granularity:tensor:reason:)`` when the
    ///   shape cannot be cut this way (an axis out of range, a group size that does not divide).
    func partition(shape: [Int], tensor: String) throws -> GranulePartition
}

/// The granules of one tensor shape, as strided runs of element positions.
///
/// The tensor is viewed as `[outer, axis, inner]` around the cut axis. Every granule is a set of
/// runs `(start, count, stride)`; the cuts below cover every layout the built-in granularities
/// need, and a custom granularity builds one of them.
public struct GranulePartition: Sendable, Hashable {
    public enum Cut: Sendable, Hashable {
        /// One granule holding every element.
        case whole
        /// One granule per index along the axis.
        case channels
        /// One granule per `size` consecutive indices along the axis, for each outer and inner
        /// position; the last group is shorter when `size` does not divide the axis.
        case groups(size: Int)
    }

    public let cut: Cut
    public let outer: Int
    public let axisLength: Int
    public let inner: Int

    public init(cut: Cut, outer: Int, axisLength: Int, inner: Int) {
        self.cut = cut
        self.outer = outer
        self.axisLength = axisLength
        self.inner = inner
    }

    /// One granule over `count` elements.
    public static func whole(count: Int) -> GranulePartition {
        GranulePartition(cut: .whole, outer: 1, axisLength: count, inner: 1)
    }

    public var elementCount: Int { outer * axisLength * inner }

    /// Groups along the axis (1 unless cut into groups).
    public var groupsPerAxis: Int {
        if case let .groups(size) = cut { return (axisLength + size - 1) / size }
        return 1
    }

    public var granuleCount: Int {
        switch cut {
        case .whole: return elementCount == 0 ? 0 : 1
        case .channels: return axisLength
        case .groups: return outer * groupsPerAxis * inner
        }
    }

    /// The number of elements in granule `g`.
    public func granuleSize(_ g: Int) -> Int {
        switch cut {
        case .whole: return elementCount
        case .channels: return outer * inner
        case let .groups(size):
            let group = (g / inner) % groupsPerAxis
            return Swift.min(size, axisLength - group * size)
        }
    }

    /// Calls `body(start, count, stride)` for every run of granule `g`, in memory order.
    public func forEachRun(of g: Int, _ body: (_ start: Int, _ count: Int, _ stride: Int) -> Void) {
        switch cut {
        case .whole:
            body(0, elementCount, 1)
        case .channels:
            if inner == 1 {
                body(g, outer, axisLength)
            } else {
                for o in 0..<outer { body((o * axisLength + g) * inner, inner, 1) }
            }
        case let .groups(size):
            let i = g % inner
            let group = (g / inner) % groupsPerAxis
            let o = g / (inner * groupsPerAxis)
            let first = group * size
            let length = Swift.min(size, axisLength - first)
            body((o * axisLength + first) * inner + i, length, inner)
        }
    }

    /// Whether every granule is one contiguous run (stride 1), so kernels can read it in place.
    public var isContiguousPerGranule: Bool {
        switch cut {
        case .whole: return true
        case .channels: return outer == 1 || inner == 1 && axisLength == 1
        case .groups: return inner == 1
        }
    }
}
