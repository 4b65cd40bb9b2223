import Dispatch
import QuantModels
import Synchronization

/// Runs independent evaluations side by side, each single-threaded.
///
/// Up to `jobs` threads pull items from one queue; BLAS runs on one thread and every parallel
/// evaluation is held to one batch worker (`BatchScheduler.workerLimit = 1`), as the grid
/// runner does, so `jobs` evaluations use `jobs` cores without oversubscription.
enum ValidationWorkers {
    /// `body` applied to every item, results in item order; an item's error is its result.
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], jobs: Int, _ body: @Sendable (Item) throws -> Output
    ) -> [Result<Output, any Error>] {
        let width = max(1, min(jobs, items.count))
        let next = Mutex(0)
        let results = Mutex<[Int: Result<Output, any Error>]>([:])
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: width) { _ in
                BatchScheduler.$workerLimit.withValue(1) {
                    while true {
                        let i = next.withLock { n in
                            defer { n += 1 }
                            return n
                        }
                        guard i < items.count else { break }
                        let outcome = Result { try body(items[i]) }
                        results.withLock { $0[i] = outcome }
                    }
                }
            }
        }
        return results.withLock { all in
            items.indices.map { all[$0] ?? .failure(ValidationSetupError.badCalibratorList("internal: item \($0) did not run")) }
        }
    }
}
