/// One accelerator or CPU as the roofline model sees it: peak throughput per precision and
/// memory bandwidth, each figure with its source.
///
/// Chips are data: the built-in ones are in `chips.toml` beside this file, and a user adds one
/// with a chips file of the same shape (see ``ChipTable``).
public struct Chip: Sendable, Hashable {
    /// One published or measured figure.
    public struct Figure: Sendable, Hashable {
        /// In base units: operations per second, or bytes per second.
        public var value: Double
        /// Where the figure comes from (a datasheet, REFERENCE.md, a measurement).
        public var source: String
        /// True only when measured on the machine or checked against a primary datasheet.
        public var verified: Bool
        /// A conversion applied (sparse → dense), a caveat.
        public var note: String?

        public init(value: Double, source: String, verified: Bool, note: String? = nil) {
            self.value = value
            self.source = source
            self.verified = verified
            self.note = note
        }
    }

    /// The id used in `roofline(chip=...)`, e.g. `h100-sxm`.
    public var id: String
    public var summary: String
    /// Dense peak operations per second by compute precision name (`int8`, `fp16`, ...).
    public var peaks: [String: Figure]
    /// Bytes per second; nil when the vendor publishes none (then latency is compute-only).
    public var memoryBandwidth: Figure?

    public init(id: String, summary: String, peaks: [String: Figure], memoryBandwidth: Figure?) {
        self.id = id
        self.summary = summary
        self.peaks = peaks
        self.memoryBandwidth = memoryBandwidth
    }

    /// The first precision on `precision`'s ladder that this chip lists, if any.
    public func executionPrecision(for precision: ComputePrecision) -> ComputePrecision? {
        precision.ladder.first { peaks[$0.name] != nil }
    }

    /// The store-safe form of the id: `h100-sxm` → `h100_sxm`.
    public var metricID: String {
        String(id.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}
