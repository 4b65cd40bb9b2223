/// Rounds float32 values to a minifloat format's values, saturating, eight lanes at a time.
///
/// `round(x)` equals `codec.decode(codec.encode(clamp(x, ±maxFinite)))` for every finite or
/// infinite `x` (infinities saturate to ±max), and returns NaN unchanged. It works on the
/// float32 bit pattern and never builds a code, so it suits fake quantization:
///
/// - In the format's normal range the pattern is rounded at the format's last mantissa bit with
///   integer adds and masks (a carry moves into the exponent, as it should).
/// - In the subnormal range it adds and subtracts `minSubnormal · 2^23`, which rounds to a
///   multiple of the subnormal step with the float unit's round-half-even; ties away from zero
///   are fixed up by comparing the residual with half a step.
///
/// Everything is SSE2 integer and float arithmetic on `SIMD8`; there are no tables and no
/// allocation. Build one per kernel call (``MinifloatCodec/rounder(_:)``), not per element.
public struct MinifloatRounder: Sendable, Hashable {
    /// The largest finite value.
    let maxFinite: Float
    /// The smallest normal value; magnitudes below it take the subnormal path.
    let minNormal: Float
    /// 23 − mantissaBits: how many float32 mantissa bits are dropped.
    let shift: Int32
    /// Added before masking: half a step minus one (even) or half a step (away).
    let increment: Int32
    /// 1 when the kept least significant bit breaks ties (even, shift > 0), else 0.
    let lsbMask: Int32
    /// Clears the dropped mantissa bits.
    let keepMask: Int32
    /// minSubnormal · 2^23: adding then subtracting it rounds to a multiple of minSubnormal.
    let magic: Float
    /// The subnormal step and half of it, for the away-from-zero fix-up.
    let quantum: Float
    let halfQuantum: Float
    /// Whether ties round away from zero.
    public let awayFromZero: Bool

    /// A rounder for `codec` with tie rule `rounding`.
    public init(_ codec: MinifloatCodec, rounding: Rounding = .even) {
        let shift = 23 - codec.mantissaBits
        maxFinite = codec.maxFinite
        minNormal = codec.minNormal
        self.shift = Int32(shift)
        let half: Int32 = shift > 0 ? 1 << Int32(shift - 1) : 0
        awayFromZero = rounding == .away
        increment = awayFromZero || shift == 0 ? half : half - 1
        lsbMask = !awayFromZero && shift > 0 ? 1 : 0
        keepMask = ~((Int32(1) << Int32(shift)) - 1)
        quantum = codec.minSubnormal
        halfQuantum = codec.minSubnormal / 2
        magic = codec.minSubnormal * Float(1 << 23)
    }

    /// Rounds eight values; see the type's discussion.
    ///
    /// - Complexity: O(1), branch-free.
    @inline(__always)
    public func round(_ x: SIMD8<Float>) -> SIMD8<Float> {
        round(x, away: awayFromZero)
    }

    /// The eight-lane rounding with the tie rule as an argument, so that kernels can pass a
    /// constant and get a loop without the test.
    ///
    /// Comparisons are made on floats (the magnitudes are non-negative, so they order like their
    /// bits), between vectors, and selects are bitwise (``SIMD8/replacing(with:lanes:)``): a
    /// comparison with a scalar or `replace(with:where:)` can leave a lane-by-lane loop that is
    /// an order of magnitude slower.
    @inline(__always)
    func round(_ x: SIMD8<Float>, away: Bool) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        let sign = bits & SIMD8(repeating: Int32.min)
        var ax = unsafeBitCast(bits & SIMD8(repeating: Int32.max), to: SIMD8<Float>.self)
        let top = SIMD8(repeating: maxFinite)
        ax = ax.replacing(with: top, lanes: ax .> top)
        let a = unsafeBitCast(ax, to: SIMD8<Int32>.self)
        let lsb = (a &>> SIMD8(repeating: shift)) & SIMD8(repeating: lsbMask)
        let normal = (a &+ SIMD8(repeating: increment) &+ lsb) & SIMD8(repeating: keepMask)
        let magicLanes = SIMD8(repeating: magic)
        var small = (ax + magicLanes) - magicLanes
        if away {
            let half = SIMD8(repeating: halfQuantum)
            small = small.replacing(with: small + SIMD8(repeating: quantum), lanes: ax - small .== half)
        }
        var out = unsafeBitCast(normal, to: SIMD8<Float>.self)
        out = out.replacing(with: small, lanes: SIMD8(repeating: minNormal) .> ax)
        out = unsafeBitCast(unsafeBitCast(out, to: SIMD8<Int32>.self) | sign, to: SIMD8<Float>.self)
        out = out.replacing(with: x, lanes: x .!= x)
        return out
    }

    /// Rounds one value (through a one-lane use of the eight-lane path).
    @inline(__always)
    public func round(_ x: Float) -> Float {
        round(SIMD8(repeating: x))[0]
    }
}

extension MinifloatCodec {
    /// A saturating rounder for this format; see ``MinifloatRounder``.
    public func rounder(_ rounding: Rounding = .even) -> MinifloatRounder {
        MinifloatRounder(self, rounding: rounding)
    }

    /// The format value nearest to `x` after clamping to ±``maxFinite``, as a float:
    /// `decode(encode(clamp(x, ±maxFinite)))`, with NaN passed through.
    ///
    /// Builds a ``MinifloatRounder`` per call; hot loops build one rounder and call its
    /// `round` on ``SIMD8`` lanes instead (as ``MinifloatKernels`` does).
    /// - Complexity: O(1).
    public func roundSaturating(_ x: Float, rounding: Rounding = .even) -> Float {
        MinifloatRounder(self, rounding: rounding).round(x)
    }
}
