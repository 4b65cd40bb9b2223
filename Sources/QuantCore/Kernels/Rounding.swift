/// How a value exactly halfway between two codes is rounded.
///
/// The two rules differ only on exact ties (2.5 → 2 under ``even``, 3 under ``away``).
/// Round-half-to-even is what numpy, PyTorch, ONNX QuantizeLinear and ml_dtypes casts do;
/// round-half-away-from-zero is C `round()`, TensorFlow's QuantizeV2 default and microxcaling's
/// `round="nearest"` (sign·floor(|x| + 0.5)).
public enum Rounding: String, Sendable, Codable, CaseIterable {
    /// Round half to even (RNE), the default everywhere in QuantBench.
    case even
    /// Round half away from zero.
    case away
}
