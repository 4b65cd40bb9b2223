import PythonBridge
import QuantCore

/// A calibrator implemented by a Python function, named `python(module:function)`.
///
/// The function is called as `function(stats)` with one granule's statistics in a dict:
///
/// | key | value |
/// |---|---|
/// | `abs_hist_counts`, `abs_hist_edges` | the 2048-bin histogram of \|x\| over [0, max\|x\|] (numpy float64; edges has bins + 1 entries), or `None` when nothing finite was seen |
/// | `hist_counts`, `hist_edges` | the signed histogram over [min, max], likewise |
/// | `min`, `max`, `abs_max` | the observed range (finite values only) |
/// | `count`, `non_finite_count` | how many finite and non-finite values were seen |
/// | `mean`, `std`, `kurtosis` | population moments (`kurtosis` is Pearson's, 3 for a Gaussian; NaN for a constant) |
/// | `batch_ranges` | a list of (lo, hi) per calibration batch |
/// | `format` | a dict: `name`, `range_mode` (`'symmetric'` or `'affine'`), `element_bits`, `levels_per_side` |
///
/// It returns a `(low, high)` pair or one threshold `t`. A threshold means ±t for symmetric
/// formats and [max(min, −t), min(max, t)] for affine ones, as the built-in calibrators do; a
/// pair given for a symmetric format becomes ±max(|low|, |high|). Anything else (a string, NaN,
/// low > high, a negative threshold) is a ``PythonPluginError/badResult(reference:returned:reason:)``
/// naming the function and what it returned.
///
/// Requirements: ``StatisticsRequest/range``, ``StatisticsRequest/absHistogram``,
/// ``StatisticsRequest/signedHistogram``, ``StatisticsRequest/moments`` and
/// ``StatisticsRequest/batchRanges`` — everything the dict carries, since the observer cannot
/// know which keys the function reads.
///
/// Each call takes the GIL through the bridge, so calibrations on many tasks are safe (and run
/// one at a time inside Python). The module is loaded at the first call, once per process.
public struct PythonCalibrator: Calibrator {
    public let reference: PythonFunctionReference

    /// Makes the calibrator; nothing is loaded and Python is not started until ``calibrate(_:)``.
    ///
    /// - Parameter reference: `module:function` or `path/to/file.py:function`.
    /// - Throws: ``PythonPluginError/malformedReference(_:reason:)`` for a malformed reference.
    public init(function reference: String) throws {
        self.reference = try PythonFunctionReference(parsing: reference)
    }

    public var name: String { "python(\(reference.text))" }

    public var requirements: StatisticsRequest { [.range, .absHistogram, .signedHistogram, .moments, .batchRanges] }

    /// Calls the Python function on the granule's statistics.
    ///
    /// - Parameter input: The granule's statistics and the target format.
    /// - Returns: The range the function chose.
    /// - Throws: ``PythonPluginError`` naming this function: Python unavailable, a package
    ///   missing (with the install command), the module or function not found, an exception
    ///   raised (with its traceback), or a result that is not a range.
    public func calibrate(_ input: CalibrationInput) throws -> CalibrationResult {
        let answer: (kind: String, first: Double, second: Double, text: String)
        do {
            answer = try Python.withGIL {
                let function = try PythonModuleLoader.function(for: reference)
                let stats = try Self.statisticsDict(input)
                let result: PythonObject
                do {
                    result = try function.call([stats])
                } catch {
                    throw PythonPluginError.calling(error, reference: reference.text)
                }
                let parts = try PythonModuleLoader.helper("classify").call([result]).asArray()
                guard parts.count == 4 else { throw PythonBridgeError.typeMismatch(expected: "4-tuple", actual: "\(parts.count) items") }
                return (try parts[0].asString(), try parts[1].asDouble(), try parts[2].asDouble(), try parts[3].asString())
            }
        } catch {
            throw PythonPluginError.calling(error, reference: reference.text)
        }
        return CalibrationResult(range: try range(answer, input: input))
    }

    /// Checks a classified result and turns it into a range for the format.
    private func range(_ answer: (kind: String, first: Double, second: Double, text: String), input: CalibrationInput) throws -> ClipRange {
        func bad(_ reason: String) -> PythonPluginError {
            .badResult(reference: reference.text, returned: answer.text, reason: reason)
        }
        switch answer.kind {
        case "number":
            let t = answer.first
            guard t.isFinite else { throw bad("the threshold is not finite") }
            guard t >= 0 else { throw bad("a threshold must be ≥ 0") }
            let threshold = Float(t)
            switch input.format.rangeMode {
            case .symmetric: return ClipRange(symmetric: threshold)
            case .affine:
                let s = input.statistics
                return ClipRange(lower: Swift.max(s.min, -threshold), upper: Swift.min(s.max, threshold))
            }
        case "pair":
            let (low, high) = (answer.first, answer.second)
            guard low.isFinite, high.isFinite else { throw bad("the range is not finite") }
            guard low <= high else { throw bad("low > high") }
            let lower = Float(low), upper = Float(high)
            switch input.format.rangeMode {
            case .symmetric: return ClipRange(symmetric: Swift.max(Swift.abs(lower), Swift.abs(upper)))
            case .affine: return ClipRange(lower: lower, upper: upper)
            }
        default:
            throw bad("that is neither a number nor a (low, high) pair of numbers")
        }
    }

    /// The `stats` dict the function receives; the caller holds the GIL.
    private static func statisticsDict(_ input: CalibrationInput) throws -> PythonObject {
        let s = input.statistics
        let none = try PythonObject.none
        func counts(_ h: Histogram?) -> any PythonConvertible { h.map { $0.counts } ?? none }
        func edges(_ h: Histogram?) -> any PythonConvertible { h.map { h in (0...h.binCount).map(h.edge) } ?? none }
        let moments = s.moments
        let scalars: [Double] = [
            Double(s.min), Double(s.max), Double(s.absMax), moments?.mean ?? s.mean,
            moments?.standardDeviation ?? .nan, moments?.kurtosis ?? .nan, Double(s.count), Double(s.nonFiniteCount),
        ]
        let batches = s.batchRanges.map { [Double($0.lower), Double($0.upper)] }
        let format = input.format
        let fmt: [any PythonConvertible] = [format.name, format.rangeMode.rawValue, format.elementBits, format.levelsPerSide]
        let fmtList = try PythonObject(list: fmt.map { try $0.pythonObject() })
        return try PythonModuleLoader.helper("make_stats").call([
            counts(s.absHistogram), edges(s.absHistogram), counts(s.signedHistogram), edges(s.signedHistogram),
            batches, fmtList, scalars,
        ])
    }
}
