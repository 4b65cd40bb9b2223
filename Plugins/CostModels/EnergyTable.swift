/// Energy per arithmetic operation, by operation and width, with the rule for widths it lacks.
public struct EnergyTable: Sendable, Hashable {
    public var name: String
    /// pJ per multiply, keyed `int8`, `int32`, `fp16`, `fp32`.
    public var multiply: [String: Double]
    /// pJ per add, same keys.
    public var add: [String: Double]

    /// Horowitz, ISSCC 2014, 45 nm at 0.9 V (REFERENCE §6, a secondary source): int8 multiply
    /// 0.2 + add 0.03, int32 3.1 + 0.1, fp16 1.1 + 0.4, fp32 3.7 + 0.9 pJ.
    public static let horowitz45 = EnergyTable(
        name: "horowitz45",
        multiply: ["int8": 0.2, "int32": 3.1, "fp16": 1.1, "fp32": 3.7],
        add: ["int8": 0.03, "int32": 0.1, "fp16": 0.4, "fp32": 0.9])

    public static let all = [horowitz45]

    /// One MAC's energy in pJ and, when the table lacks the widths, how it was extrapolated.
    ///
    /// - Integer × integer (`int<b>`): the table's entry when both operands have the same
    ///   tabulated width; otherwise REFERENCE's labelled heuristic generalised to a
    ///   b_w × b_a array multiplier, e_mult ≈ 0.2·(b_w/8)·(b_a/8) pJ (= 0.2·(b/8)² for equal
    ///   widths), and e_add ≈ 0.03·(max(b_w, b_a)/8) pJ.
    /// - Float products run at the compute precision: fp16 and fp32 from the table, bf16 at
    ///   fp16's figures, fp8/fp6/fp4 and MX/NVFP4 elements at the heuristic for their width.
    public func mac(_ precision: ComputePrecision, weightBits: Int, activationBits: Int) -> (picojoules: Double, extrapolated: String?) {
        if precision.name.hasPrefix("int") {
            if weightBits == activationBits, let m = multiply["int\(weightBits)"], let a = add["int\(weightBits)"] {
                return (m + a, nil)
            }
            let mult = 0.2 * Double(weightBits) / 8 * Double(activationBits) / 8
            let sum = 0.03 * Double(max(weightBits, activationBits)) / 8
            return (mult + sum, "int\(weightBits)×int\(activationBits) by the heuristic 0.2·(b_w/8)·(b_a/8) + 0.03·(max b/8) pJ")
        }
        if let m = multiply[precision.name], let a = add[precision.name] { return (m + a, nil) }
        if precision == .bf16, let m = multiply["fp16"], let a = add["fp16"] { return (m + a, "bf16 at fp16's figures") }
        let b = Double(precision.bits) / 8
        return (0.2 * b * b + 0.03 * b, "\(precision.name) by the heuristic 0.2·(b/8)² + 0.03·(b/8) pJ")
    }

    /// pJ for one rescale multiply: the table's fp32 multiply (accumulators rescale in fp32).
    public var rescale: Double { multiply["fp32"] ?? 3.7 }
}
