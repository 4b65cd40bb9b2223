import QuantCore

/// The number type a layer's matrix product runs in: `int8`, `fp16`, `mxfp4`, ...
///
/// Names are the ones a chips table uses in its `peak_<precision>_tops` keys. The rule that
/// picks a layer's precision from its operands is ``init(weights:activations:unquantized:)``.
public struct ComputePrecision: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The bits of one operand element.
    public var bits: Int

    public init(name: String, bits: Int) {
        self.name = name
        self.bits = bits
    }

    public var description: String { name }

    public static let fp32 = ComputePrecision(name: "fp32", bits: 32)
    public static let fp16 = ComputePrecision(name: "fp16", bits: 16)
    public static let bf16 = ComputePrecision(name: "bf16", bits: 16)
    public static let fp8 = ComputePrecision(name: "fp8", bits: 8)
    public static let int8 = ComputePrecision(name: "int8", bits: 8)
    public static let int4 = ComputePrecision(name: "int4", bits: 4)

    /// Integer products of `bits`-bit operands: int4, int8, int16 (wider: fp32).
    public static func integer(bits: Int) -> ComputePrecision {
        switch bits {
        case ...4: return .int4
        case ...8: return .int8
        case ...16: return ComputePrecision(name: "int16", bits: 16)
        default: return .fp32
        }
    }

    /// Float products of `bits`-bit operands: fp4, fp6, fp8, fp16, fp32.
    public static func float(bits: Int) -> ComputePrecision {
        switch bits {
        case ...4: return ComputePrecision(name: "fp4", bits: 4)
        case ...6: return ComputePrecision(name: "fp6", bits: 6)
        case ...8: return .fp8
        case ...16: return .fp16
        default: return .fp32
        }
    }

    /// This precision, then the wider ones a chip that lacks it falls back to, in order.
    ///
    /// Integers widen int4 → int8 → fp16 → fp32 (int16 → fp32); floats fp4/fp6 → fp8 → fp16 →
    /// fp32, bf16 → fp16 → fp32; MX and NVFP4 block formats run as their own type only where a
    /// chip lists it, else emulated: mxfp4 → mxfp6 → mxfp8 → fp8 → fp16 → fp32, nvfp4 → fp8 → …,
    /// mxint8 → int8 → fp16 → fp32.
    public var ladder: [ComputePrecision] {
        let tail: [ComputePrecision]
        switch name {
        case "int4": tail = [.int8, .fp16, .fp32]
        case "int8": tail = [.fp16, .fp32]
        case "fp4", "fp6", "nvfp4": tail = [.fp8, .fp16, .fp32]
        case "fp8": tail = [.fp16, .fp32]
        case "fp16", "bf16": tail = name == "bf16" ? [.fp16, .fp32] : [.fp32]
        case "mxfp4": tail = [Self(name: "mxfp6", bits: 6), Self(name: "mxfp8", bits: 8), .fp8, .fp16, .fp32]
        case "mxfp6": tail = [Self(name: "mxfp8", bits: 8), .fp8, .fp16, .fp32]
        case "mxfp8": tail = [.fp8, .fp16, .fp32]
        case "mxint8": tail = [.int8, .fp16, .fp32]
        case "fp32": tail = []
        default: tail = [.fp32]
        }
        return [self] + tail
    }

    /// The precision a layer's product runs in before any chip fallback.
    ///
    /// - Both operands quantized, same kind: integer × integer → int of the wider width (int4,
    ///   int8, int16); float × float → fp of the wider width (fp8 × fp8 → fp8; bf16 × bf16 →
    ///   bf16); the same block format on both sides → that format (`mxfp4`, `nvfp4`).
    /// - Mixed kinds (int × fp, two different block formats, a custom format): both are
    ///   dequantized to fp16, or fp32 when an operand is wider than 16 bits.
    /// - Only one operand quantized (W4A16 weight-only): the other's `unquantized` precision,
    ///   with the quantized operand dequantized into it.
    public init(weights: OperandEncoding, activations: OperandEncoding?, unquantized: ComputePrecision) {
        guard weights.isQuantized, let activations, activations.isQuantized else {
            self = unquantized
            return
        }
        let bits = max(weights.elementBits, activations.elementBits)
        switch (weights.kind, activations.kind) {
        case (.integer, .integer): self = .integer(bits: bits)
        case (.float, .float):
            let bf16 = weights.format.hasPrefix("bf16") && activations.format.hasPrefix("bf16")
            self = bf16 ? .bf16 : .float(bits: bits)
        case let (.block(w, _), .block(a, _)) where w == a: self = ComputePrecision(name: w, bits: bits)
        default: self = bits > 16 ? .fp32 : .fp16
        }
    }

    /// The precision an unquantized operand is held in: `fp32`, `fp16` or `bf16`.
    public init?(unquantized name: String) {
        switch name {
        case "fp32": self = .fp32
        case "fp16": self = .fp16
        case "bf16": self = .bf16
        default: return nil
        }
    }
}
