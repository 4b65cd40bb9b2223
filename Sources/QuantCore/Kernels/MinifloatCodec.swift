/// A small binary floating-point format (sign, exponent, mantissa) and its exact codes.
///
/// Decoding is exact into `Float` for every format here. Encoding lives in
/// `MinifloatCodec+Encode.swift`.
public struct MinifloatCodec: Sendable, Hashable {
    /// How the all-ones exponent is used.
    public enum Specials: String, Sendable, Hashable {
        /// IEEE 754: all-ones exponent is ±Inf (mantissa 0) or NaN.
        case ieee
        /// OCP "fn" formats (E4M3FN): no infinities; only S.1111.111 is NaN.
        case finiteAndNaN
        /// OCP FP6/FP4: every code is a finite number.
        case finiteOnly
    }

    public let exponentBits: Int
    public let mantissaBits: Int
    public let bias: Int
    public let specials: Specials

    public init(exponentBits: Int, mantissaBits: Int, bias: Int? = nil, specials: Specials) {
        precondition((1...8).contains(exponentBits) && (0...23).contains(mantissaBits))
        self.exponentBits = exponentBits
        self.mantissaBits = mantissaBits
        self.bias = bias ?? ((1 << (exponentBits - 1)) - 1)
        self.specials = specials
    }

    public static let e4m3fn = MinifloatCodec(exponentBits: 4, mantissaBits: 3, specials: .finiteAndNaN)
    public static let e5m2 = MinifloatCodec(exponentBits: 5, mantissaBits: 2, specials: .ieee)
    public static let e3m2fn = MinifloatCodec(exponentBits: 3, mantissaBits: 2, specials: .finiteOnly)
    public static let e2m3fn = MinifloatCodec(exponentBits: 2, mantissaBits: 3, specials: .finiteOnly)
    public static let e2m1fn = MinifloatCodec(exponentBits: 2, mantissaBits: 1, specials: .finiteOnly)
    public static let fp16 = MinifloatCodec(exponentBits: 5, mantissaBits: 10, specials: .ieee)
    public static let bf16 = MinifloatCodec(exponentBits: 8, mantissaBits: 7, specials: .ieee)

    /// Bits per code, sign included.
    public var totalBits: Int { 1 + exponentBits + mantissaBits }
    /// Number of distinct codes.
    public var codeCount: Int { 1 << totalBits }

    /// The largest finite value.
    public var maxFinite: Float {
        let topExponent: Int
        let topMantissa: Int
        switch specials {
        case .ieee:
            topExponent = (1 << exponentBits) - 2
            topMantissa = (1 << mantissaBits) - 1
        case .finiteAndNaN:
            topExponent = (1 << exponentBits) - 1
            topMantissa = (1 << mantissaBits) - 2
        case .finiteOnly:
            topExponent = (1 << exponentBits) - 1
            topMantissa = (1 << mantissaBits) - 1
        }
        return Float(sign: .plus, exponent: topExponent - bias, significand: 1 + Float(topMantissa) / Float(1 << mantissaBits))
    }

    /// The smallest positive normal value, 2^(1 − bias).
    public var minNormal: Float { Float(sign: .plus, exponent: 1 - bias, significand: 1) }
    /// The smallest positive subnormal value, 2^(1 − bias − mantissaBits).
    public var minSubnormal: Float { Float(sign: .plus, exponent: 1 - bias - mantissaBits, significand: 1) }

    /// The value of `code` (its low ``totalBits`` bits).
    public func decode(_ code: UInt32) -> Float {
        let sign: FloatingPointSign = (code >> UInt32(exponentBits + mantissaBits)) & 1 == 1 ? .minus : .plus
        let e = Int((code >> UInt32(mantissaBits)) & UInt32((1 << exponentBits) - 1))
        let m = Int(code & UInt32((1 << mantissaBits) - 1))
        let allOnes = (1 << exponentBits) - 1
        switch specials {
        case .ieee where e == allOnes:
            return m == 0 ? (sign == .minus ? -.infinity : .infinity) : (sign == .minus ? -Float.nan : .nan)
        case .finiteAndNaN where e == allOnes && m == (1 << mantissaBits) - 1:
            return sign == .minus ? -Float.nan : .nan
        default:
            break
        }
        let magnitude: Float
        if e == 0 {
            magnitude = Float(m) * minSubnormal
        } else {
            magnitude = Float(sign: .plus, exponent: e - bias, significand: 1 + Float(m) / Float(1 << mantissaBits))
        }
        return sign == .minus ? -magnitude : magnitude
    }
}
