import Dispatch
import Foundation
import QuantCore
import QuantModels
import Synchronization

/// How a grid run behaves.
public struct RunOptions: Sendable {
    /// Recompute cells whose hash is already stored.
    public var force = false
    /// Cells evaluated at once; each gets `cores / jobs` evaluation workers and BLAS runs
    /// single-threaded, so the cores are never oversubscribed.
    public var jobs = BatchScheduler.cores
    /// Run only this shard's cells (nil: every cell).
    public var shard: Shard?

    public init(force: Bool = false, jobs: Int = BatchScheduler.cores, shard: Shard? = nil) {
        self.force = force
        self.jobs = max(1, jobs)
        self.shard = shard
    }
}

/// Hears about a run as it goes (the CLI's progress display).
public protocol RunObserver: Sendable {
    /// Before the first cell: how many cells will run and how many are already stored.
    func runStarting(total: Int, toRun: Int, stored: Int)
    /// A cell is starting, described in one line.
    func cellStarting(_ description: String)
    /// A cell finished and was committed to the store.
    func cellFinished(_ record: CellRecord, description: String)
}

/// Runs an experiment's grid cells: observe once per (model, calibration set), quantize each
/// weight configuration once, evaluate the cells on the available cores, and commit each
/// finished cell to the store in its own transaction.
public struct GridRunner: Sendable {
    public let experiment: Experiment
    /// The experiment's name (the results folder's name).
    public let name: String
    public let store: ResultsStore
    public let options: RunOptions
    public let registry: PluginRegistry
    /// Loads a zoo model by name (tests substitute a small one).
    public let loader: @Sendable (String) throws -> any ScenarioTask

    public init(
        experiment: Experiment, name: String, store: ResultsStore, options: RunOptions = RunOptions(),
        registry: PluginRegistry = .builtIn, loader: @escaping @Sendable (String) throws -> any ScenarioTask = GridRunner.zooLoader
    ) {
        self.experiment = experiment
        self.name = name
        self.store = store
        self.options = options
        self.registry = registry
        self.loader = loader
    }

    /// Loads a model of the zoo.
    public static func zooLoader(_ name: String) throws -> any ScenarioTask { try ModelZoo.task(named: name) }

    /// Runs every cell not stored as `ok` (every cell with ``RunOptions/force``): a failed cell
    /// is tried again, since its cause (a missing asset, a plug-in bug) may have been fixed.
    ///
    /// - Parameter shouldStop: polled before each cell; when it turns true no new cell starts,
    ///   the cells in flight finish and are recorded, and the summary says how to resume.
    /// - Throws: ``ResultsStoreError`` when the store cannot be read or written (cell
    ///   failures do not throw: they are recorded).
    public func run(observer: any RunObserver, shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> RunSummary {
        let start = ContinuousClock.now
        let cells = experiment.cells.filter { options.shard?.contains(hash: $0.hash) ?? true }
        let stored = options.force ? [] : try store.completedHashes(status: .ok)
        let pending = cells.enumerated().filter { !stored.contains($0.element.hash) }
        let jobs = max(1, min(options.jobs, pending.count))
        let workers = max(1, BatchScheduler.cores / jobs)
        let (plans, unplanned) = plan(pending, threads: workers)
        observer.runStarting(total: cells.count, toRun: pending.count, stored: cells.count - pending.count)
        let caches = RunCaches(plans: plans, loader: loader)
        let costing = try CellCosting(names: experiment.costModels, registry: registry)
        let execution = CellExecution(
            caches: caches, workers: workers, experiment: name, provenance: Self.provenance(), costing: costing)
        let outcome = RunOutcome()
        for record in unplanned { try commit(record, description: record.axes.description, outcome: outcome, observer: observer) }
        caches.prepare(plans, jobs: jobs, shouldStop: shouldStop)
        execute(plans, jobs: jobs, execution: execution, outcome: outcome, observer: observer, shouldStop: shouldStop)
        if let error = outcome.storeError { throw error }
        let costed = shouldStop() ? 0 : try annotateStoredCosts(costing: costing, caches: caches)
        var summary = outcome.summary(
            name: name, total: cells.count, stored: cells.count - pending.count, stopped: shouldStop(),
            seconds: (ContinuousClock.now - start).seconds, shared: caches.seconds.withLock { $0 })
        summary.costed = costed
        return summary
    }

    /// Resolves the cells to run, ordered so that cells sharing a model and weight
    /// configuration run together (the weight cache then holds few configurations at once);
    /// a cell that does not resolve becomes a failed record.
    private func plan(_ pending: [(offset: Int, element: GridCell)], threads: Int) -> ([CellPlan], [CellRecord]) {
        var plans: [CellPlan] = [], unplanned: [CellRecord] = []
        for (index, cell) in pending {
            do {
                plans.append(try CellPlan(cell: cell, index: index, registry: registry, threads: threads))
            } catch {
                unplanned.append(Self.failedRecord(cell, experiment: name, error: error))
            }
        }
        // Observations are prepared before the cells start, so cells can be grouped by weight
        // configuration alone: each configuration is quantized once and freed after its cells.
        plans.sort { ($0.model, $0.weightKey ?? "", $0.scenarioKey, $0.index) < ($1.model, $1.weightKey ?? "", $1.scenarioKey, $1.index) }
        return (plans, unplanned)
    }

    /// Runs `plans` on `jobs` threads pulling from one queue, BLAS single-threaded throughout.
    private func execute(
        _ plans: [CellPlan], jobs: Int, execution: CellExecution, outcome: RunOutcome, observer: any RunObserver,
        shouldStop: @escaping @Sendable () -> Bool
    ) {
        let next = Atomic<Int>(0)
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                while !shouldStop(), !outcome.hasStoreError {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    guard i < plans.count else { return }
                    let description = Self.describe(plans[i], experiment: experiment)
                    observer.cellStarting(description)
                    let record = execution.run(plans[i])
                    outcome.addFloor(execution.caches.referenceSeconds.withLock { $0[plans[i].referenceKey] } ?? 0)
                    try? commit(record, description: description, outcome: outcome, observer: observer)
                }
            }
        }
    }

    /// Commits one record (its own transaction) and tells the observer.
    private func commit(_ record: CellRecord, description: String, outcome: RunOutcome, observer: any RunObserver) throws {
        let start = ContinuousClock.now
        do {
            try store.record(record)
        } catch {
            outcome.storeFailed(error)
            throw error
        }
        outcome.add(record, description: description, recordSeconds: (ContinuousClock.now - start).seconds)
        observer.cellFinished(record, description: description)
    }

    /// The cell's varying axes as `axis=value` text (all axes when none varies).
    static func describe(_ plan: CellPlan, experiment: Experiment) -> String {
        let varying = Set(experiment.grids.flatMap(\.varyingAxes))
        let axes = GridSpec.axisNames.filter { varying.contains($0) }
        let texts = plan.axisTexts
        return (axes.isEmpty ? ["model"] : axes).compactMap { axis in texts[axis].map { "\(axis)=\($0)" } }.joined(separator: " ")
    }

    static func failedRecord(_ cell: GridCell, experiment: String, error: any Error) -> CellRecord {
        let now = Date()
        return CellRecord(
            hash: cell.hash, experiment: experiment, axes: CellPlan.axisTexts(cell.values), status: .failed,
            error: CellExecution.describe(error), startedAt: now, finishedAt: now)
    }

    /// Workbench version and, when the working directory is a git checkout, its commit.
    static func provenance() -> [String: String] {
        var result = ["version": workbenchVersion]
        if let commit = GitRevision.current() { result["git_commit"] = commit }
        return result
    }
}
