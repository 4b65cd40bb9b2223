extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The shortest wall time of `repeats` runs of `body`, in seconds (at least one run).
public func bestTime(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<max(1, repeats) { best = min(best, try clock.measure(body).seconds) }
    return best
}
