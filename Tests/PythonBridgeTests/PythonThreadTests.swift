import Foundation
import PythonBridge
import Testing

@Suite("Python threads", .tags(.python))
struct PythonThreadTests {
    /// pybind11 (inside torch) caches the Python thread state of the thread that first imports it.
    /// If the bridge deleted that state when a call ended, the next call on the same OS thread
    /// would use freed memory. Each `Python.run` below is a separate call on one fresh thread.
    @Test("torch imported and used across separate calls on one thread")
    func torchAcrossCallsOnOneThread() throws {
        try Python.start()  // on this thread, so the fresh thread below is not Python's main thread
        let outcome = runOnFreshThread {
            try Python.run("import torch")
            var junk: [UnsafeMutableRawPointer] = []
            defer { junk.forEach { free($0) } }
            for round in 0..<20 {
                junk += occupyFreedBlocks()
                let namespace = try Python.run("""
                    import io, torch
                    buffer = io.BytesIO()
                    torch.save({"w": torch.arange(\(round + 4)).float()}, buffer)
                    buffer.seek(0)
                    total = float(torch.load(buffer, weights_only=True)["w"].sum())
                    """)
                let n = Double(round + 4)
                guard try namespace.item("total").asDouble() == n * (n - 1) / 2 else { return false }
            }
            return true
        }
        #expect(try outcome.get())
    }
}

/// Takes (and scribbles over) the blocks malloc would hand out next on this thread, so a new
/// Python thread state cannot land at the address of a deleted one by luck.
private func occupyFreedBlocks() -> [UnsafeMutableRawPointer] {
    var blocks: [UnsafeMutableRawPointer] = []
    for size in stride(from: 16, through: 4096, by: 16) {
        for _ in 0..<8 {
            guard let block = malloc(size) else { continue }
            memset(block, 0xA5, size)
            blocks.append(block)
        }
    }
    return blocks
}

/// Runs `body` on a new thread and waits for it.
private func runOnFreshThread(_ body: @escaping @Sendable () throws -> Bool) -> Result<Bool, any Error> {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<Bool, any Error> = .success(false)
    let thread = Thread {
        outcome = Result { try body() }
        done.signal()
    }
    thread.start()
    done.wait()
    return outcome
}
