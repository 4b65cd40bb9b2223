import Granularities
import QuantCore

/// One weight-quantization configuration: a format, a granularity and a calibrator.
public struct QuantizationRecipe: Sendable {
    public var format: any NumericFormat
    public var granularity: any Granularity
    public var calibrator: any Calibrator
    public var observer: ObserverConfiguration
    /// Worker threads for granules (2 on this project's machines).
    public var threads: Int

    public init(
        format: any NumericFormat, granularity: (any Granularity)? = nil, calibrator: any Calibrator,
        observer: ObserverConfiguration = ObserverConfiguration(), threads: Int = 2
    ) {
        self.format = format
        self.granularity = granularity ?? Self.defaultGranularity(for: format)
        self.calibrator = calibrator
        self.observer = observer
        self.threads = threads
    }

    /// The granularity a format implies when none is named: its blocks for MX and NVFP4
    /// (per-group along the last axis), per-tensor otherwise.
    public static func defaultGranularity(for format: any NumericFormat) -> any Granularity {
        if let block = format.requiredBlockSize { return PerGroup(size: block, axis: -1, ragged: true) }
        return PerTensor()
    }

    /// Resolves the three names through `registry`; a nil granularity takes the format's default.
    public init(format: String, granularity: String?, calibrator: String, registry: PluginRegistry, threads: Int = 2) throws {
        let f = try registry.format(format)
        self.init(
            format: f, granularity: try granularity.map { try registry.granularity($0) },
            calibrator: try registry.calibrator(calibrator), threads: threads)
    }

    /// Cuts a tensor shape, checking that the format can use these granules.
    func partition(shape: [Int], tensor: String) throws -> GranulePartition {
        let partition = try granularity.partition(shape: shape, tensor: tensor)
        if let block = format.requiredBlockSize {
            guard case let .groups(size) = partition.cut, size == block else {
                throw QuantCoreError.incompatible(
                    "\(format.name) shares one scale per block of \(block) consecutive elements, so it needs per-group(\(block)) "
                        + "(its default when no granularity is given), not \(granularity.name) (tensor '\(tensor)')")
            }
        }
        return partition
    }
}
