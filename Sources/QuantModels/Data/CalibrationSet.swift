import QuantCore

/// A calibration set as a grid names it: how many items of the model's calibration pool, which
/// ones (by seed), and an optional scenario transform applied to them.
///
/// Seed 0 takes the first `size` items of the pool in split order; any other seed takes a
/// seeded random subset of `size` items. `transform` uses the plug-in name syntax
/// (`contrast(0.5)`, `noise(0.1)`, `mix`); `nil` leaves the items as they are.
public struct CalibrationSet: Sendable, Hashable, Codable {
    /// Items to draw; `nil` takes the whole pool.
    public var size: Int?
    /// Which items to draw.
    public var seed: Int
    /// The scenario transform, or `nil`.
    public var transform: String?

    public init(size: Int? = nil, seed: Int = 0, transform: String? = nil) {
        self.size = size
        self.seed = seed
        self.transform = transform
    }
}

/// What a model task offers a grid runner beyond calibrating and evaluating: its data as
/// calibration sets and scenarios, and the files and items its results depend on.
public protocol ScenarioTask: ModelTask {
    /// This task with its calibration split replaced by `set`, drawn from the calibration pool
    /// and transformed; the evaluation split is unchanged.
    ///
    /// - Throws: an error naming the set when the pool is too small or the transform is unknown
    ///   for this model.
    func calibrating(on set: CalibrationSet) throws -> any ScenarioTask

    /// This task with its evaluation split transformed (`nil`: unchanged).
    func evaluating(under transform: String?) throws -> any ScenarioTask

    /// SHA-256 (hex) of the calibration items exactly as ``ModelTask/calibrate(count:context:)`` sees them.
    func calibrationDigest() -> String

    /// The files the model was loaded from (weights, vocabulary), for provenance hashes.
    var sourceFiles: [String] { get }
}
