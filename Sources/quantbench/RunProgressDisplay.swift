import Foundation
import QuantBench
import QuantCore
import Synchronization

/// The run's progress on standard error: one live line on a terminal (cells done / total,
/// cells per second, ETA, current cell); on a pipe or with `--quiet`, plain lines.
final class RunProgressDisplay: RunObserver {
    private struct State {
        var total = 0, toRun = 0, done = 0, failed = 0
        var current = ""
        var start = ContinuousClock.now
        var lastPlain = ContinuousClock.now
    }

    private let live: Bool
    private let quiet: Bool
    private let state = Mutex(State())

    init(quiet: Bool) {
        self.quiet = quiet
        live = !quiet && isatty(STDERR_FILENO) == 1
    }

    func runStarting(total: Int, toRun: Int, stored: Int) {
        state.withLock { $0 = State(total: total, toRun: toRun) }
        write("\(total) cells: \(toRun) to run, \(stored) already stored\n")
    }

    func cellStarting(_ description: String) {
        guard live else { return }
        let line = state.withLock { state in
            state.current = description
            return status(state)
        }
        write("\r\u{1B}[2K" + line)
    }

    func cellFinished(_ record: CellRecord, description: String) {
        let (line, plain) = state.withLock { state -> (String, Bool) in
            state.done += 1
            if record.status == .failed { state.failed += 1 }
            let now = ContinuousClock.now
            // Quiet: a line every 10 s and at the end; piped: a line per cell.
            let due = !quiet || state.done == state.toRun || (now - state.lastPlain) > .seconds(10)
            if due { state.lastPlain = now }
            return (status(state), due)
        }
        if live {
            if record.status == .failed { write("\r\u{1B}[2Kfailed: \(description): \(record.error ?? "")\n") }
            write("\r\u{1B}[2K" + line)
        } else if plain || record.status == .failed {
            let outcome = record.status == .ok ? "ok" : "failed: \(record.error ?? "")"
            write("\(line) — \(description): \(outcome)\n")
        }
    }

    /// Ends the live line before the summary.
    func finish() { if live { write("\n") } }

    private func status(_ state: State) -> String {
        let elapsed = (ContinuousClock.now - state.start).seconds
        let rate = elapsed > 0 ? Double(state.done) / elapsed : 0
        let eta = rate > 0 ? Double(state.toRun - state.done) / rate : 0
        var text = String(format: "[%d/%d] %.2f cells/s, ETA %@", state.done, state.toRun, rate, Self.duration(eta))
        if state.failed > 0 { text += ", \(state.failed) failed" }
        if live, !state.current.isEmpty { text += " — " + state.current }
        return live ? String(text.prefix(Self.terminalWidth() - 1)) : text
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 100
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Ctrl-C during a run: the first asks the runner to stop after the cells in flight, the
/// second exits at once (every finished cell is already committed).
final class InterruptFlag: @unchecked Sendable {
    // @unchecked: `source` is set in init and only cancelled in deinit; the flag is atomic.
    private final class Flag: Sendable { let value = Atomic<Bool>(false) }
    private let raised = Flag()
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let raised = self.raised
        source.setEventHandler {
            if raised.value.exchange(true, ordering: .relaxed) {
                FileHandle.standardError.write(Data("\ninterrupted again: exiting now; finished cells are stored\n".utf8))
                exit(130)
            }
            FileHandle.standardError.write(
                Data("\ninterrupted: finishing the cells in flight (Ctrl-C again to quit at once)\n".utf8))
        }
        source.resume()
    }

    var isRaised: Bool { raised.value.load(ordering: .relaxed) }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
