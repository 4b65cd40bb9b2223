import QuantCore
import QuantModels

/// How activations are quantized: a format, how they are cut, and a calibrator.
public struct ActivationRecipe: Sendable {
    /// How an activation is cut into granules that share parameters.
    public enum Cut: String, Sendable, CaseIterable {
        /// One static range per site, calibrated on the calibration split.
        case perTensor = "per-tensor"
        /// One static range per channel (axis 1: conv channels, token features).
        case perChannel = "per-channel"
        /// One range per token (row), computed at run time from that row: dynamic quantization.
        case perToken = "per-token"
    }

    public var format: any NumericFormat
    public var cut: Cut
    public var calibrator: any Calibrator
    public var observer: ObserverConfiguration
    /// Which sites are quantized; by default the inputs of every weight layer (what "A8" means).
    public var includes: @Sendable (ActivationSite) -> Bool

    public init(
        format: any NumericFormat, cut: Cut = .perTensor, calibrator: any Calibrator,
        observer: ObserverConfiguration = ObserverConfiguration(),
        includes: @escaping @Sendable (ActivationSite) -> Bool = { $0.role == .input }
    ) {
        self.format = format
        self.cut = cut
        self.calibrator = calibrator
        self.observer = observer
        self.includes = includes
    }

    /// Throws when the format cannot be used with this cut: block formats (MX, NVFP4) compute
    /// each block's scale at run time, so they need the dynamic per-token cut.
    public func validate() throws {
        if let block = format.requiredBlockSize, cut != .perToken {
            throw QuantCoreError.incompatible(
                "\(format.name) shares one scale per block of \(block) consecutive features, computed from the values at run time; "
                    + "quantize activations with it per-token (--activation-granularity per-token), not \(cut.rawValue)")
        }
    }

    /// Whether the ranges come from calibration data (false for dynamic per-token).
    public var isStatic: Bool { cut != .perToken }

    /// The granules of one activation of `shape` at `site`.
    func partition(_ site: ActivationSite, shape: [Int]) -> GranulePartition {
        let count = shape.reduce(1, *)
        switch cut {
        case .perTensor:
            return .whole(count: count)
        case .perChannel:
            let axis = min(site.channelAxis, shape.count - 1)
            let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
            return GranulePartition(cut: .channels, outer: outer, axisLength: shape[axis], inner: inner)
        case .perToken:
            let width = shape.last ?? 1
            return GranulePartition(cut: .groups(size: width), outer: 1, axisLength: count, inner: 1)
        }
    }
}
