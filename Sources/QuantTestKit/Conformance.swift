import QuantCore

/// A conformance check that a plug-in failed, with what was seen.
public struct ConformanceFailure: Sendable, CustomStringConvertible {
    public var plugin: String
    public var check: String
    public var detail: String
    public var description: String { "\(plugin): \(check) — \(detail)" }
}

/// The checks every plug-in must pass, built-in or custom. Each function returns the failures
/// (empty when the plug-in conforms), so any test framework can assert on them:
///
///     #expect(Conformance.check(format: myFormat).isEmpty)
public enum Conformance {
    /// Sample data the checks run on: Gaussian, one-sided, heavy-tailed, constant, all-zero,
    /// with NaN and Inf mixed in.
    public static func samples() -> [(name: String, values: [Float])] {
        var rng = SplitMix64(seed: 42)
        func uniform() -> Float { Float(Double(rng.next() >> 11) / Double(1 << 53)) }
        func gaussian() -> Float {
            // Sum of twelve uniforms minus 6: a Gaussian approximation with no library calls.
            var s: Float = 0
            for _ in 0..<12 { s += uniform() }
            return s - 6
        }
        let gauss = (0..<4096).map { _ in gaussian() }
        var outliers = gauss
        for k in 0..<8 { outliers[k * 500] = Float(k % 2 == 0 ? 30 : -25) }
        let relu = gauss.map { Swift.max($0, 0) }
        let shifted = gauss.map { 3 + 0.01 * $0 }
        var nonFinite = gauss
        nonFinite[3] = .nan
        nonFinite[70] = .infinity
        nonFinite[900] = -.infinity
        return [
            ("gaussian", gauss), ("gaussian-with-outliers", outliers), ("relu", relu), ("positive-narrow", shifted),
            ("constant", [Float](repeating: 0.5, count: 257)), ("all-zero", [Float](repeating: 0, count: 300)),
            ("with-non-finite", nonFinite), ("single-value", [-2.5]),
        ]
    }

    /// Statistics of one sample as the observer collects them for every calibrator.
    public static func statistics(_ values: [Float], request: StatisticsRequest = .all) -> GranuleStatistics {
        var statistics = GranuleStatistics(request: request)
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let half = buffer.count / 2
            if half > 0 && request.contains(.batchRanges) {
                statistics.observe(base, partition: .whole(count: half), granule: 0)
                statistics.observe(base + half, partition: .whole(count: buffer.count - half), granule: 0)
            } else {
                statistics.observe(base, partition: .whole(count: buffer.count), granule: 0)
            }
        }
        return statistics
    }
}
