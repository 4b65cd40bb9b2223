extension MinifloatCodec {
    /// The code of the format value nearest to `x`, rounded directly from the float32 bits.
    ///
    /// Bit-exact with ml_dtypes 0.6's `astype` from float32 for every float32 input: all 2^32
    /// inputs were compared for `e4m3fn`, `e5m2`, `e3m2fn`, `e2m3fn`, `e2m1fn`, `bf16` and the
    /// IEEE-like E4M3 (`float8_e4m3`), and against numpy's float16 for `fp16` (NaN payloads
    /// aside); the fixtures in `Tests/PluginTests/Fixtures/minifloat` keep a sample of them.
    ///
    /// - The significand is rounded once, at the format's precision, including into and within
    ///   the subnormal range, so no double rounding occurs.
    /// - Overflow follows the format's ``Specials``: `.ieee` formats round to ±Inf (E5M2: 61439 →
    ///   57344, 61440 → Inf), `.finiteAndNaN` (E4M3FN) gives NaN (464 → 448, 465 → NaN) and
    ///   `.finiteOnly` (FP6, FP4) saturates to ±max.
    /// - ±Inf becomes ±Inf, the NaN code of that sign, or ±max, by the same rule.
    /// - NaN becomes the canonical quiet NaN of the same sign (all-ones exponent, top mantissa
    ///   bit; E4M3FN: S.1111.111), whatever its payload, as ml_dtypes does. numpy's float16 cast
    ///   keeps NaN payloads instead; the two agree on the canonical NaN. A `.ieee` format without
    ///   mantissa bits has no NaN code and returns its infinity code.
    /// - Formats without NaN (FP6, FP4) map NaN to zero of the *opposite* sign (+NaN → −0,
    ///   −NaN → +0): ml_dtypes' behaviour, reproduced for bit-exactness. Fake quantization does
    ///   not use this path; ``roundSaturating(_:rounding:)`` passes NaN through.
    /// - −0 stays −0.
    ///
    /// The format's range must lie within float32's (exponentBits ≤ 8 with the default bias).
    /// - Parameters:
    ///   - x: The value to encode.
    ///   - rounding: The tie rule; ml_dtypes casts use ``Rounding/even``.
    /// - Returns: The code in the low ``totalBits`` bits.
    /// - Complexity: O(1).
    public func encode(_ x: Float, rounding: Rounding = .even) -> UInt32 {
        let bits = x.bitPattern
        let negative = bits >> 31 == 1
        let signBit: UInt32 = negative ? 1 << UInt32(exponentBits + mantissaBits) : 0
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude > 0x7F80_0000 { return nanCode(negative: negative) }
        if magnitude == 0x7F80_0000 { return signBit | overflowCode }
        let code = magnitudeCode(magnitude, rounding: rounding)
        return signBit | (code > maxFiniteCode ? overflowCode : UInt32(code))
    }

    /// The code of the largest finite magnitude (sign bit clear).
    public var maxFiniteCode: UInt32 {
        let allOnes = UInt32(1 << (exponentBits + mantissaBits)) - 1
        switch specials {
        case .ieee: return UInt32(((1 << exponentBits) - 1) << mantissaBits) - 1
        case .finiteAndNaN: return allOnes - 1
        case .finiteOnly: return allOnes
        }
    }

    /// What a finite value beyond the range (or an infinity) encodes to, sign bit clear.
    var overflowCode: UInt32 {
        switch specials {
        case .ieee: return UInt32(((1 << exponentBits) - 1) << mantissaBits)
        case .finiteAndNaN: return UInt32(1 << (exponentBits + mantissaBits)) - 1
        case .finiteOnly: return maxFiniteCode
        }
    }

    /// The code a NaN encodes to; see ``encode(_:rounding:)``.
    func nanCode(negative: Bool) -> UInt32 {
        let signBit = UInt32(1) << UInt32(exponentBits + mantissaBits)
        switch specials {
        case .ieee:
            let quiet: UInt32 = mantissaBits > 0 ? 1 << UInt32(mantissaBits - 1) : 0
            return (negative ? signBit : 0) | overflowCode | quiet
        case .finiteAndNaN:
            return (negative ? signBit : 0) | overflowCode
        case .finiteOnly:
            return negative ? 0 : signBit
        }
    }

    /// The rounded magnitude code of a finite float32 magnitude `a` (bits, sign clear), before
    /// the overflow check; may exceed ``maxFiniteCode``.
    func magnitudeCode(_ a: UInt32, rounding: Rounding) -> Int {
        let exponent32 = Int(a >> 23)
        let effectiveExponent = Swift.max(exponent32, 1)
        let targetExponent = effectiveExponent - 127 + bias
        if exponent32 >= 1 && targetExponent >= 1 {
            // Normal in both formats: round the float32 pattern at the format's last mantissa
            // bit (a carry moves into the exponent correctly), then re-bias the exponent.
            let rounded = Self.shiftRounding(UInt64(a), by: 23 - mantissaBits, rounding: rounding)
            return Int(rounded) - ((127 - bias) << mantissaBits)
        }
        // Subnormal in the format: the code is the significand divided by the subnormal step,
        // rounded once. A result of 1 << mantissaBits is the smallest normal code, as it should be.
        let significand = exponent32 == 0 ? UInt64(a) : UInt64((a & 0x7F_FFFF) | 0x80_0000)
        let shift = (1 - targetExponent) + (23 - mantissaBits)
        return Int(Self.shiftRounding(significand, by: shift, rounding: rounding))
    }

    /// `value / 2^shift` rounded to an integer by `rounding` (a left shift when `shift < 0`).
    static func shiftRounding(_ value: UInt64, by shift: Int, rounding: Rounding) -> UInt64 {
        if shift <= 0 { return value << UInt64(-shift) }
        if shift >= 40 { return 0 }
        let half = UInt64(1) << UInt64(shift - 1)
        switch rounding {
        case .even:
            let lsb = (value >> UInt64(shift)) & 1
            return (value + half - 1 + lsb) >> UInt64(shift)
        case .away:
            return (value + half) >> UInt64(shift)
        }
    }
}
