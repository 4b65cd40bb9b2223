import QuantCore

/// Per-layer roofline latency on a named chip, summed over the model (REFERENCE §6).
///
/// For each layer: FLOPs = 2·M·K·N + MACs·overhead (the dequantization overhead of
/// ``LayerTraffic/dequantizationOverhead(_:native:)``), Bytes = ``LayerTraffic/bytes``, and
/// t = max(FLOPs/(η_c·P_peak), Bytes/(η_m·BW)) + t_launch, where P_peak is the chip's dense peak
/// in the layer's compute precision (``ComputePrecision/init(weights:activations:unquantized:)``),
/// or in the next wider precision the chip lists, which the estimate's notes name.
/// Example (REFERENCE §6): M = 1, K = N = 4096, int4 per-group(128) with fp16 scales on an
/// H100 SXM at 3.35 TB/s moves 8.67 MB and takes ≈ 2.6 µs, memory-bound.
public struct RooflineCostModel: CostModel {
    public static let assumptions = [
        "Each weight layer is one matrix product on an otherwise idle chip; layers run one after another and their times add.",
        "A layer takes max(compute, memory) time: perfect overlap of the two, at eta-compute and eta-memory of the chip's dense peak and bandwidth (1 = the datasheet figure).",
        "Every weight byte, input-activation byte and output byte crosses DRAM once per forward pass; no cache reuse across layers or passes.",
        "Weight bytes are the exact storage (scales and zero-points included); activation scales, biases, norms, embeddings, attention's activation-by-activation products and nonlinearities are not costed.",
        "Dequantization costs one extra op per rescale: 1/K of the MACs per-tensor/per-channel, 1/g group-wise, 1/block for MX/NVFP4 emulated, none for a block format the chip lists natively.",
        "A precision the chip does not list runs at the next wider one it lists (int4 → int8 → fp16 → fp32; fp8 → fp16; mxfp4 → mxfp6 → mxfp8 → fp8 → ...); the notes say which layers fell back.",
    ]

    public let name: String
    public let chip: Chip
    public let workload: Workload
    public let etaCompute: Double
    public let etaMemory: Double
    public let launchMicroseconds: Double

    public init(
        chip: Chip, workload: Workload, etaCompute: Double = 1, etaMemory: Double = 1, launchMicroseconds: Double = 0,
        name: String? = nil
    ) {
        self.chip = chip
        self.workload = workload
        self.etaCompute = etaCompute
        self.etaMemory = etaMemory
        self.launchMicroseconds = launchMicroseconds
        self.name = name ?? "roofline(chip=\(chip.id))"
    }

    public var assumptions: [String] {
        var figures = chip.peaks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.value / 1e12) T/s" }
        if let bw = chip.memoryBandwidth { figures.append("memory \(bw.value / 1e9) GB/s") }
        return Self.assumptions + ["Chip \(chip.id) (\(chip.summary)): " + figures.joined(separator: ", ") + "."]
    }

    /// The whole-model latency metric: `latency_us_<chip>` plus the workload suffix and, when
    /// the efficiencies or launch time differ from 1, 1 and 0, `_eff<c>x<m>` and `_launch<t>`.
    public var metricNames: [String] { ["latency_us_", "memory_bound_share_"].map { $0 + metricSuffix } }

    public var metricSuffix: String {
        var suffix = chip.metricID + workload.metricSuffix(standardUnquantized: .fp16)
        if etaCompute != 1 || etaMemory != 1 { suffix += "_eff\(metricNumber(etaCompute))x\(metricNumber(etaMemory))" }
        if launchMicroseconds != 0 { suffix += "_launch\(metricNumber(launchMicroseconds))" }
        return suffix
    }

    /// One layer's latency in seconds and its parts.
    public struct LayerTime: Sendable, Hashable {
        public var required: ComputePrecision
        public var executed: ComputePrecision
        public var flops: Double
        public var bytes: Double
        public var computeSeconds: Double
        public var memorySeconds: Double
        public var seconds: Double
        public var memoryBound: Bool { memorySeconds > computeSeconds }
    }

    /// The roofline of one layer.
    ///
    /// - Throws: ``CostModelError/unsupportedPrecision(chip:precision:layers:supported:)`` when
    ///   the chip lists nothing on the layer precision's ladder.
    public func time(_ layer: LayerPlan) throws -> LayerTime {
        let required = ComputePrecision(weights: layer.weights, activations: layer.activations, unquantized: workload.unquantized)
        guard let executed = chip.executionPrecision(for: required), let peak = chip.peaks[executed.name] else {
            throw CostModelError.unsupportedPrecision(
                chip: chip.id, precision: required.name, layers: 1, supported: chip.peaks.keys.sorted())
        }
        let traffic = LayerTraffic(layer, batch: workload.batch, tokens: workload.tokens, unquantized: workload.unquantized)
        let overhead = LayerTraffic.dequantizationOverhead(layer, native: executed.name)
        let flops = 2 * traffic.macs + traffic.macs * overhead
        let compute = flops / (etaCompute * peak.value)
        let memory = chip.memoryBandwidth.map { traffic.bytes / (etaMemory * $0.value) } ?? 0
        return LayerTime(
            required: required, executed: executed, flops: flops, bytes: traffic.bytes, computeSeconds: compute,
            memorySeconds: memory, seconds: max(compute, memory) + launchMicroseconds * 1e-6)
    }

    public func estimate(_ plan: CostPlan) throws -> CostEstimate {
        var layers: [CostEstimate.Layer] = []
        var total = 0.0, memoryBoundTime = 0.0
        var fallbacks: [Fallback: Int] = [:]
        var unknown = 0
        for layer in plan.layers {
            let t: LayerTime
            do { t = try time(layer) } catch CostModelError.unsupportedPrecision(let chip, let precision, _, let supported) {
                let count = plan.layers.filter {
                    ComputePrecision(weights: $0.weights, activations: $0.activations, unquantized: workload.unquantized).name == precision
                }.count
                throw CostModelError.unsupportedPrecision(chip: chip, precision: precision, layers: count, supported: supported)
            }
            total += t.seconds
            if t.memoryBound { memoryBoundTime += t.seconds }
            if t.executed != t.required { fallbacks[Fallback(from: t.required.name, to: t.executed.name), default: 0] += 1 }
            if LayerTraffic.hasUnknownKind(layer) { unknown += 1 }
            layers.append(
                CostEstimate.Layer(
                    weight: layer.geometry.weight,
                    metrics: [
                        "latency_us": t.seconds * 1e6, "compute_us": t.computeSeconds * 1e6, "memory_us": t.memorySeconds * 1e6,
                        "flops": t.flops, "bytes": t.bytes, "memory_bound": t.memoryBound ? 1 : 0,
                    ]))
        }
        let metrics = [
            "latency_us_\(metricSuffix)": total * 1e6,
            "memory_bound_share_\(metricSuffix)": total > 0 ? memoryBoundTime / total : 0,
        ]
        return CostEstimate(metrics: metrics, layers: layers, notes: notes(fallbacks: fallbacks, unknown: unknown))
    }

    private struct Fallback: Hashable, Comparable {
        var from: String, to: String
        static func < (a: Self, b: Self) -> Bool { (a.from, a.to) < (b.from, b.to) }
    }

    private func notes(fallbacks: [Fallback: Int], unknown: Int) -> [String] {
        var notes = fallbacks.sorted { $0.key < $1.key }.map { step, count in
            "\(count) layer(s) need \(step.from), which \(chip.id) does not list natively: costed at \(step.to), the next wider precision it lists."
        }
        if unknown > 0 {
            notes.append("\(unknown) layer(s) use a format of unknown number kind: costed as dequantized to fp16/fp32 (emulated).")
        }
        if chip.memoryBandwidth == nil {
            notes.append("\(chip.id) publishes no memory bandwidth: latency is the compute term only, a lower bound.")
        }
        return notes
    }
}
