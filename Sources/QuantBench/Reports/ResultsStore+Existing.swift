import Foundation

extension ResultsStore {
    /// The store file's name inside a results folder.
    public static let fileName = "results.sqlite"

    /// The store file that `path` names: `path/results.sqlite` for a folder, `path` itself for a file.
    ///
    /// - Throws: ``ReportError/missingStore(path:)`` if there is no such file.
    public static func existingStorePath(_ path: String) throws(ReportError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .missingStore(path: path) }
        guard isFolder.boolValue else { return path }
        let file = URL(fileURLWithPath: path).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: file) else { throw .missingStore(path: file) }
        return file
    }

    /// Opens the store at `path` (a results folder or the `.sqlite` file) without creating one.
    ///
    /// - Throws: ``ReportError/missingStore(path:)`` if there is none; ``ResultsStoreError`` if
    ///   the file is not a results store.
    public static func openExisting(_ path: String) throws -> ResultsStore {
        try ResultsStore(path: try existingStorePath(path))
    }
}
