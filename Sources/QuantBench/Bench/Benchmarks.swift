import QuantCore

/// The hot paths' throughput, each beside the memory-copy bandwidth measured in the same run.
public enum Benchmarks {
    public struct Measurement: Sendable, Codable {
        public var name: String
        /// Bytes of float32 input processed per second (GB/s), for streaming kernels.
        public var gigabytesPerSecond: Double?
        /// Ratio to memory-copy bandwidth (bytes copied per second) from the same run.
        public var ratioToCopy: Double?
        /// Milliseconds per call, for calibrators.
        public var millisecondsPerCall: Double?
        public var note: String?

        public init(
            name: String, gigabytesPerSecond: Double? = nil, ratioToCopy: Double? = nil, millisecondsPerCall: Double? = nil,
            note: String? = nil
        ) {
            self.name = name
            self.gigabytesPerSecond = gigabytesPerSecond
            self.ratioToCopy = ratioToCopy
            self.millisecondsPerCall = millisecondsPerCall
            self.note = note
        }
    }

    /// Best-of-`repeats` wall time of `body`, in seconds.
    static func time(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        try bestTime(repeats: repeats, body)
    }

    /// memcpy of `count` floats: bytes copied per second.
    public static func copyBandwidth(count: Int, repeats: Int) -> Double {
        let source = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let target = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { source.deallocate(); target.deallocate() }
        source.initialize(repeating: 1, count: count)
        target.initialize(repeating: 0, count: count)
        let seconds = time(repeats: repeats) { UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4) }
        return Double(count * 4) / seconds
    }

    /// A rows × cols tensor of N(0, 1) values with a few planted outliers.
    public static func gaussianTensor(rows: Int, cols: Int, seed: UInt64 = 1) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        var values = [Float](repeating: 0, count: rows * cols)
        for i in values.indices { values[i] = DemoTensors.gaussian(&rng) }
        for k in 0..<16 { values[(k * 7919 * 4099) % values.count] = Float(20 + k) }
        return try Tensor(name: "bench", shape: [rows, cols], values: values)
    }
}
