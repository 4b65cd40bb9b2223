/// The integer codes of a format and how values are rounded onto them.
public struct IntegerGrid: Sendable, Hashable {
    /// The smallest code, e.g. −127 for restricted int8, −128 for full int8, 0 for uint8.
    public var qmin: Int
    /// The largest code, e.g. 127 for int8, 255 for uint8.
    public var qmax: Int
    /// How ties between two codes are broken.
    public var rounding: Rounding

    /// The codes qmin…qmax; they must contain 0 and span fewer than 2^20 codes (16-bit codes
    /// and more than enough margin for the kernels' float rounding, which needs |q| < 2^22).
    public init(qmin: Int, qmax: Int, rounding: Rounding = .even) {
        precondition(qmin <= 0 && 0 <= qmax && qmax - qmin < 1 << 20, "an integer grid must contain 0 and span < 2^20")
        self.qmin = qmin
        self.qmax = qmax
        self.rounding = rounding
    }

    /// The code of `x`: q = clamp(round(x/s) + z, qmin, qmax), one value at a time.
    ///
    /// The scalar reference of ``IntegerKernels/fakeQuantize(_:_:count:stride:params:grid:)``
    /// (which never builds codes); NaN gives the zero-point.
    public func quantize(_ x: Float, params: QuantParams) -> Int {
        let y = x / params.scale
        guard !y.isNaN else { return Int(params.zeroPoint) }
        let low = Float(qmin) - params.zeroPoint, high = Float(qmax) - params.zeroPoint
        let clamped = Swift.min(Swift.max(y, low), high)
        let rule: FloatingPointRoundingRule = rounding == .even ? .toNearestOrEven : .toNearestOrAwayFromZero
        return Int(clamped.rounded(rule)) + Int(params.zeroPoint)
    }

    /// The value of code `q`: x̂ = s·(q − z).
    public func dequantize(_ q: Int, params: QuantParams) -> Float {
        params.scale * Float(q - Int(params.zeroPoint))
    }
}
