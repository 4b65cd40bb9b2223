import QuantModels

/// The version of the workbench's cell semantics; it enters every cell's content hash, so
/// changing what a cell computes means bumping it.
public let workbenchVersion = "0.1.0"

/// A grid cell's TOML, parsed and validated: the axes to sweep and the rules that shape the sweep.
///
/// Axes (each a list to sweep, or a scalar for a fixed setting; defaults in ``defaults``):
/// - `model`: `digits-cnn`, `minilm`, or `weights-only:PATH`. Required.
/// - `calibration`: a table `{ split = "calibration", size = N, seed = 0, transform = "…" }`;
///   `split` defaults to `"calibration"`, `seed` to 0, and a missing `size` means the model's
///   default. Seed 0 takes the first `size` items of the model's calibration pool, another seed
///   a seeded random subset (``CalibrationSet``). `transform` is a scenario transform
///   (`brightness(0.2)`, `contrast(0.5)`, `noise(0.1)`, `mix`, `none`; see ``ScenarioTransforms``),
///   checked when the grid is parsed and kept in its canonical form, `none` left out.
/// - `evaluation`: a table `{ transform = "…" }`, the scenario the evaluation split is seen
///   under; the default `{}` (or `none`) leaves it unchanged. A cell with the default has no
///   `evaluation` in its hash, so grids written before this axis keep their hashes.
/// - `calibrator` (default `minmax`), `granularity` (default `per-tensor`; block formats such as
///   `mxfp4` need `per-group(32)`), `weights` (a format or `"none"`, default `int8`),
///   `activations` (a format or `"none"`, the default), `activation_granularity`
///   (`per-tensor`, the default, `per-channel` or `per-token`), `seed` (default 0).
/// - `plan`: `uniform` (the default: every layer takes `weights`) or a mixed-precision plan
///   `mixed(budget_bits=6, high=int8)` (``WeightPlan``). Like `evaluation`, the default is left
///   out of the hash, so grids written before this axis keep their hashes.
///
/// Rules: `zip = [["a", "b"]]` makes axes vary together; `exclude = [{ … }]` removes every
/// product cell matching all the given values; `include = [{ … }]` adds a cell (keys it leaves
/// out take the axis's first value). `metrics`, `cost_models` (lists of strings) and `name` are
/// carried for the runner.
public struct GridSpec: Sendable {
    /// The axes in the order cells are expanded (the first varies slowest).
    public static let axisNames = [
        "model", "calibration", "evaluation", "calibrator", "granularity", "weights", "activations", "activation_granularity", "plan",
        "seed",
    ]
    /// Every key a grid cell may have.
    public static let knownKeys = axisNames + ["name", "zip", "exclude", "include", "metrics", "cost_models"]
    /// The model names of the zoo.
    public static let zooModels = ModelZoo.names
    /// The prefix of a model that is a weights file studied without running it.
    public static let weightsOnlyPrefix = "weights-only:"
    /// The axes that name plug-ins, with the registry family each resolves in.
    static let pluginAxes: [String: PluginFamily] = [
        "calibrator": .calibrator, "granularity": .granularity, "weights": .format, "activations": .format,
    ]
    /// The value of every axis a grid leaves out (`model` has none: it is required).
    public static let defaults: [String: GridValue] = [
        "calibration": .table(["split": .string("calibration"), "seed": .int(0)]),
        "evaluation": .table([:]),
        "calibrator": .string("minmax"), "granularity": .string("per-tensor"), "weights": .string("int8"),
        "activations": .string("none"), "activation_granularity": .string("per-tensor"), "plan": .string("uniform"), "seed": .int(0),
    ]

    /// The experiment's name, if the cell gives one.
    public var name: String?
    /// Every axis with its values (one value for a fixed setting), defaults filled in.
    public var axes: [String: [GridValue]]
    /// Groups of axes that vary together.
    public var zips: [[String]]
    /// Partial cells removed from the product.
    public var excludes: [[String: GridValue]]
    /// Cells added to the product; already completed with each missing axis's first value.
    public var includes: [[String: GridValue]]
    /// The metrics to compute, as written.
    public var metrics: [String]
    /// The cost models to apply, as written (not validated yet).
    public var costModels: [String]
    /// Each plug-in name as written, per axis, mapped to its canonical `name@version`.
    public var canonicalNames: [String: [String: String]]
    /// The cell this grid came from.
    public var cell: ExperimentCell

    /// The axes with more than one value, in expansion order.
    public var varyingAxes: [String] {
        Self.axisNames.filter { (axes[$0]?.count ?? 0) > 1 }
    }
}

/// The registry family a plug-in axis resolves in.
enum PluginFamily: Sendable {
    case format, granularity, calibrator
}
