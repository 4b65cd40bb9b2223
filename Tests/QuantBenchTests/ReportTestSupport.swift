import Foundation
import QuantBench

/// Hand-made cells for the report tests: a grid of calibrator × weights × seed with the
/// values of ``ReportFixtures``, recorded in grid order.
enum ReportCells {
    static let calibrators = ["minmax", "mse", "kl"]
    static let weights = ["int8", "int4"]

    /// One ok cell (or failed, with `error`) whose hash names its axes.
    static func cell(
        calibrator: String, weights: String, seed: Int, metrics: [String: Double], index: Int, granularity: String = "per-channel",
        calibration: String = #"{ seed = 0, size = 256, split = "calibration" }"#, error: String? = nil
    ) -> CellRecord {
        CellRecord(
            hash: "\(calibrator)-\(weights)-\(granularity)-\(seed)-\(index)", experiment: "grid",
            axes: [
                "model": "digits-cnn", "calibration": calibration, "calibrator": calibrator, "granularity": granularity,
                "weights": weights, "activations": "int8", "seed": String(seed),
            ],
            status: error == nil ? .ok : .failed, error: error, metrics: metrics,
            startedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(index)),
            finishedAt: Date(timeIntervalSince1970: 1_790_000_000.5 + Double(index)))
    }

    /// The top1/kl grid of ``ReportFixtures``, plus one failed kl × int4 cell, in grid order.
    static func grid() -> [CellRecord] {
        var cells: [CellRecord] = []
        for calibrator in calibrators {
            for weights in weights {
                let key = "\(calibrator)/\(weights)"
                guard let top1 = ReportFixtures.top1[key], let kl = ReportFixtures.kl[key] else {
                    cells.append(cell(calibrator: calibrator, weights: weights, seed: 0, metrics: [:], index: cells.count,
                                      error: "calibration diverged: histogram is empty"))
                    continue
                }
                for seed in top1.indices {
                    cells.append(cell(calibrator: calibrator, weights: weights, seed: seed, metrics: ["top1": top1[seed], "kl": kl[seed]],
                                      index: cells.count))
                }
            }
        }
        return cells
    }

    /// A store in `scratch` holding `cells`.
    static func store(_ cells: [CellRecord], in scratch: Scratch, name: String = "results.sqlite") throws -> ResultsStore {
        let store = try ResultsStore(path: scratch.path(name))
        for cell in cells { try store.record(cell) }
        return store
    }
}

extension Double {
    /// Whether `self` is within `relativeTolerance` of `other` (relative to the larger magnitude).
    func isClose(to other: Double, relativeTolerance: Double = 1e-12) -> Bool {
        abs(self - other) <= relativeTolerance * Swift.max(abs(self), abs(other))
    }
}
