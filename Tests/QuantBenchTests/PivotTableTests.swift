import Foundation
import QuantBench
import Testing

@Suite("Pivot tables")
struct PivotTableTests {
    /// The grid read back from a store, as export reads it.
    static func storedGrid() throws -> (Scratch, [CellRecord]) {
        let scratch = try Scratch()
        let store = try ReportCells.store(ReportCells.grid(), in: scratch)
        return (scratch, try store.rows())
    }

    @Test func slotsMatchPythonStatistics() throws {
        let (_, records) = try Self.storedGrid()
        let table = try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "top1"))
        #expect(table.rowKeys == [["minmax"], ["mse"], ["kl"]])
        #expect(table.columnKeys == [["int8"], ["int4"]])
        for (key, oracle) in ReportFixtures.top1Slots {
            let parts = key.split(separator: "/").map(String.init)
            let slot = try #require(table.slot(row: [parts[0]], column: [parts[1]]), "\(key)")
            #expect(slot.count == oracle.n, "\(key)")
            #expect(slot.mean.isClose(to: oracle.mean), "\(key): \(slot.mean) vs \(oracle.mean)")
            #expect(slot.median.isClose(to: oracle.median), "\(key)")
            if let std = oracle.std {
                #expect(try #require(slot.standardDeviation).isClose(to: std, relativeTolerance: 1e-9), "\(key)")
            } else {
                #expect(slot.standardDeviation == nil, "\(key)")
            }
        }
        #expect(table.slot(row: ["kl"], column: ["int4"]) == nil)
        #expect(table.hasReplicates)
        #expect(table.selectedCount == 14)
    }

    @Test(arguments: PivotAggregation.allCases)
    func aggregations(_ aggregation: PivotAggregation) throws {
        let (_, records) = try Self.storedGrid()
        let table = try PivotTable(
            records: records, spec: PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "top1", aggregation: aggregation))
        let oracle = try #require(ReportFixtures.top1Slots["minmax/int4"])
        let expected: Double
        switch aggregation {
        case .mean: expected = oracle.mean
        case .median: expected = oracle.median
        case .max: expected = 0.711  // the largest of 0.702, 0.690, 0.711
        case .min: expected = 0.690
        }
        #expect(try #require(table.value(row: ["minmax"], column: ["int4"])).isClose(to: expected))
    }

    @Test func failedCellsAreCountedAndListed() throws {
        let (_, records) = try Self.storedGrid()
        let table = try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "top1"))
        #expect(table.failedCells.map(\.hash) == ["kl-int4-per-channel-0-13"])
        #expect(table.failureNote == "1 failed cell left out: kl-int4-per- (calibrator=kl weights=int4): calibration diverged: histogram is empty")
    }

    @Test func valueOrderFollowsTheGridThenFirstAppearance() throws {
        let (_, records) = try Self.storedGrid()
        let spec = PivotSpec(
            rows: ["calibrator"], columns: ["weights"], metric: "top1", valueOrder: ["calibrator": ["kl", "percentile"], "weights": ["int4"]])
        let table = try PivotTable(records: records, spec: spec)
        #expect(table.rowKeys == [["kl"], ["minmax"], ["mse"]])
        #expect(table.columnKeys == [["int4"], ["int8"]])
    }

    @Test func twoRowAxesAndNoColumnAxis() throws {
        let (_, records) = try Self.storedGrid()
        let table = try PivotTable(records: records, spec: PivotSpec(rows: ["weights", "calibrator"], metric: "kl"))
        #expect(table.rowKeys == [["int8", "minmax"], ["int8", "mse"], ["int8", "kl"], ["int4", "minmax"], ["int4", "mse"], ["int4", "kl"]])
        #expect(table.columnKeys == [[]])
        let oracle = try #require(ReportFixtures.klSlots["mse/int4"])
        #expect(try #require(table.value(row: ["int4", "mse"])).isClose(to: oracle.mean))
    }

    @Test func filtersSelectCells() throws {
        let (_, records) = try Self.storedGrid()
        let spec = PivotSpec(rows: ["calibrator"], metric: "top1", filters: ["weights": ["int8"], "seed": ["0", "2"]])
        let table = try PivotTable(records: records, spec: spec)
        #expect(table.rowKeys == [["minmax"], ["mse"], ["kl"]])
        // minmax × int8 over seeds 0 and 2: 0.881 and 0.887.
        #expect(try #require(table.slot(row: ["minmax"])).values == [0.881, 0.887])
        #expect(table.failedCells.isEmpty)
    }

    @Test func cellsDifferingInAnotherAxisAreAnError() throws {
        var cells = ReportCells.grid()
        cells.append(ReportCells.cell(calibrator: "mse", weights: "int8", seed: 0, metrics: ["top1": 0.9], index: 99, granularity: "per-tensor"))
        let spec = PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "top1")
        #expect(throws: ReportError.ambiguousSlot(
            slot: "calibrator=mse, weights=int8",
            differing: [ReportError.AxisValues(axis: "granularity", values: ["per-channel", "per-tensor"])])
        ) { try PivotTable(records: cells, spec: spec) }
        let message = ReportError.ambiguousSlot(
            slot: "calibrator=mse, weights=int8", differing: [ReportError.AxisValues(axis: "granularity", values: ["per-channel", "per-tensor"])]
        ).description
        #expect(message.contains("differ in granularity (per-channel, per-tensor)"))
        #expect(message.contains("--where granularity=per-channel"))
        #expect(message.contains("add them to the rows or columns"))
        // Pinning the axis, or adding it to the columns, resolves it.
        var pinned = spec
        pinned.filters = ["granularity": ["per-channel"]]
        #expect(try PivotTable(records: cells, spec: pinned).slot(row: ["mse"], column: ["int8"])?.count == 3)
        var widened = spec
        widened.columns = ["weights", "granularity"]
        #expect(try PivotTable(records: cells, spec: widened).value(row: ["mse"], column: ["int8", "per-tensor"]) == 0.9)
    }

    @Test func calibrationSeedsAreReplicates() throws {
        let values = [0.25, 0.5, 0.75]
        let cells = values.enumerated().map { i, value in
            ReportCells.cell(calibrator: "minmax", weights: "int8", seed: 0, metrics: ["top1": value], index: i,
                             calibration: "{ seed = \(i), size = 256, split = \"calibration\" }")
        }
        let table = try PivotTable(records: cells, spec: PivotSpec(rows: ["calibrator"], metric: "top1"))
        let slot = try #require(table.slot(row: ["minmax"]))
        // mean 0.5; sample variance ((-0.25)² + 0 + 0.25²) / 2 = 0.0625, so std 0.25.
        #expect(slot.count == 3)
        #expect(slot.mean.isClose(to: 0.5))
        #expect(try #require(slot.standardDeviation).isClose(to: 0.25))

        var differentSize = cells
        differentSize[2].axes["calibration"] = "{ seed = 2, size = 512, split = \"calibration\" }"
        #expect {
            try PivotTable(records: differentSize, spec: PivotSpec(rows: ["calibrator"], metric: "top1"))
        } throws: { error in
            guard case let .ambiguousSlot(_, differing) = error as? ReportError else { return false }
            return differing.map(\.axis) == ["calibration"]
        }
    }

    @Test func identicalCellsAreNotReplicates() throws {
        let one = ReportCells.cell(calibrator: "minmax", weights: "int8", seed: 0, metrics: ["top1": 0.5], index: 0)
        var other = one
        other.hash = "rerun"
        other.experiment = "grid-v2"
        #expect(throws: ReportError.duplicateCells(slot: "calibrator=minmax", hashes: [String(one.hash.prefix(12)), "rerun"], experiments: ["grid", "grid-v2"])) {
            try PivotTable(records: [one, other], spec: PivotSpec(rows: ["calibrator"], metric: "top1"))
        }
    }

    @Test func unknownNamesSuggestCloseMatches() throws {
        let (_, records) = try Self.storedGrid()
        #expect {
            try PivotTable(records: records, spec: PivotSpec(rows: ["calibrater"], metric: "top1"))
        } throws: { error in
            guard case let .unknownAxis(axis, role, _, suggestions) = error as? ReportError else { return false }
            return axis == "calibrater" && role == "rows" && suggestions.first == "calibrator"
        }
        #expect {
            try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], metric: "top-1"))
        } throws: { error in
            guard case let .unknownMetric(_, known, suggestions) = error as? ReportError else { return false }
            return known == ["kl", "top1"] && suggestions.contains("top1")
        }
        #expect {
            try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], metric: "top1", filters: ["weights": ["int3"]]))
        } throws: { error in
            guard let error = error as? ReportError, case let .unknownValue(axis, value, known, _) = error else { return false }
            return axis == "weights" && value == "int3" && known == ["int8", "int4"]
                && error.description.hasPrefix("--where weights=int3 matched nothing")
        }
        #expect(throws: ReportError.repeatedAxis("weights")) {
            try PivotTable(records: records, spec: PivotSpec(rows: ["weights"], columns: ["weights"], metric: "top1"))
        }
        #expect(throws: ReportError.noRows) { try PivotTable(records: records, spec: PivotSpec(rows: [], metric: "top1")) }
    }

    @Test func emptySelectionsSayWhy() throws {
        let (_, records) = try Self.storedGrid()
        // Each filter alone matches cells; together none (kl ran with seed 0 only).
        #expect {
            try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], metric: "top1", filters: ["calibrator": ["kl"], "seed": ["2"]]))
        } throws: { error in
            guard let error = error as? ReportError, case .emptySelection = error else { return false }
            return error.description.contains("no cell has all of calibrator=kl, seed=2")
        }
        #expect(throws: ReportError.allCellsFailed(count: 1, firstError: "calibration diverged: histogram is empty")) {
            try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], metric: "top1", filters: ["calibrator": ["kl"], "weights": ["int4"]]))
        }
    }

    @Test func catalogDescribesMetricsAndBaselines() {
        let catalog = MetricCatalog.standard
        #expect(catalog.info(for: "top1") == MetricInfo(name: "top1", label: "Top-1", unit: "%", direction: .higherIsBetter, scale: 100, precision: 2))
        #expect(catalog.info(for: "kl").direction == .lowerIsBetter)
        #expect(catalog.info(for: "kl").unit == "nats")
        let baseline = catalog.info(for: "fp32_top1")
        #expect(baseline.unit == "%" && baseline.scale == 100 && baseline.label == "FP32 Top-1")
        let unknown = catalog.info(for: "mystery")
        #expect(unknown.label == "mystery" && unknown.unit == nil && unknown.direction == .unknown)
        #expect(catalog.info(for: "fp32_mystery").direction == .unknown)
        for name in ["agreement", "lee_pearson", "wordsim_spearman", "simlex_spearman", "polarity_accuracy", "cosine_to_fp32",
                     "min_cosine_to_fp32", "weight_sqnr_db", "activation_sqnr_db"] {
            #expect(catalog.info(for: name).direction == .higherIsBetter, "\(name)")
        }
        #expect(catalog.info(for: "weight_bits").direction == .lowerIsBetter)
        #expect(catalog.info(for: "seconds").unit == "s")
    }
}
