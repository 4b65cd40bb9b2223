import Foundation

/// The one OS thread on which all Python code runs.
///
/// Python keeps per-thread state that outlives a call: the thread state `PyGILState_Ensure`
/// creates, and copies of it cached by extensions (pybind11, inside torch, keeps the thread
/// state of the thread that first imported it). Calling in from Swift's pool threads creates and
/// deletes those states call by call, and an extension's cached pointer then outlives the state
/// it points to. So the interpreter starts on this thread and every call runs here: Python sees
/// one thread, its main thread, for the life of the process. Callers on other threads hand their
/// work over and wait; calls made from this thread (nested calls) run directly.
///
/// A body must not wait for work that itself calls into Python from another thread (for example
/// a parallel loop whose iterations call Python): that work would queue behind the body.
final class PythonThread: @unchecked Sendable {
    // `@unchecked Sendable`: `jobs` is only touched with `condition` locked, and `identity` is
    // written once by the thread before `init` returns (the semaphore orders it), then only read.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var identity = pthread_self()

    /// Stack for the thread: Python's recursion limit of 1000 frames plus C extensions' own
    /// frames need more than a worker thread's default on some systems.
    private static let stackSize = 16 << 20

    /// Starts the thread and waits until it runs.
    init() {
        let running = DispatchSemaphore(value: 0)
        let thread = Thread { [unowned self] in
            identity = pthread_self()
            running.signal()
            serve()
        }
        thread.name = "quantbench.python"
        thread.stackSize = Self.stackSize
        thread.start()
        running.wait()
    }

    /// Whether the caller is running on this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), identity) != 0 }

    /// Runs `body` on this thread and returns its result, waiting for it.
    ///
    /// Runs `body` directly when called from this thread (a nested call).
    func perform<T>(_ body: () throws -> T) throws -> T {
        if isCurrent { return try body() }
        return try withoutActuallyEscaping(body) { body in
            let call = BlockingCall(body)
            post { call.run() }
            return try call.wait()
        }
    }

    /// Runs `job` on this thread: at once when called from it, otherwise later, without waiting.
    func performOrPost(_ job: @escaping @Sendable () -> Void) {
        if isCurrent { job() } else { post(job) }
    }

    private func post(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// The thread's loop: runs jobs in the order they were posted, forever.
    private func serve() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job() }
        }
    }
}

/// One call handed to the Python thread, and the caller waiting for its result.
///
/// `@unchecked Sendable`: `body` and `outcome` are written by the Python thread before `done` is
/// signalled and read by the caller only after waiting on it, so the semaphore orders every access.
private final class BlockingCall<T>: @unchecked Sendable {
    private var body: (() throws -> T)?
    private var outcome: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () throws -> T) { self.body = body }

    /// Runs the body on the Python thread, then drops it (it must not outlive the caller's frame).
    func run() {
        if let body { outcome = Result(catching: body) }
        body = nil
        done.signal()
    }

    /// Waits for ``run()`` and returns what the body returned or rethrows what it threw.
    func wait() throws -> T {
        done.wait()
        guard let outcome else { preconditionFailure("BlockingCall finished without running its body") }
        return try outcome.get()
    }
}
