import Foundation

/// File-system helpers shared by the readers and writers: existence checks, memory mapping,
/// atomic writes, and overflow-checked sizes.
enum FileAccess {
    /// Maps a file read-only, after checking that it exists and is not a directory.
    ///
    /// The pages are read lazily by the kernel, so mapping a large checkpoint costs nothing until a
    /// tensor's bytes are touched. A file truncated by another process while mapped can still
    /// fault; QuantBench assumes tensor files are not rewritten while they are being read.
    ///
    /// - Throws: `TensorFileError.fileNotFound`, `.isDirectory` or `.unreadable`.
    static func mappedContents(of path: String) throws -> Data {
        try checkIsFile(path)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            // Mapping fails for empty files on some systems; an ordinary read covers them.
            if let data = FileManager.default.contents(atPath: path) { return data }
            throw TensorFileError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Throws unless `path` names an existing regular file (or a link to one).
    static func checkIsFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorFileError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw TensorFileError.isDirectory(path: path) }
    }

    /// Writes `data` to `path` through a temporary file, so a failed write leaves no partial file.
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorFileError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    /// The number of elements of `shape`, or `nil` when an extent is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// The byte size of `shape` elements of `byteCount` bytes each, or `nil` on a negative extent or overflow.
    static func byteSize(_ shape: [Int], byteCount: Int) -> Int? {
        guard let count = elementCount(shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: byteCount)
        return overflow ? nil : bytes
    }

    /// A shape written as numpy prints it: `(2, 3)`, `(5,)`, `()`.
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Up to 16 leading bytes written for a message, printable ASCII as is and others as `\xNN`.
    static func preview(_ bytes: some Collection<UInt8>) -> String {
        let shown = bytes.prefix(16).map { byte -> String in
            (0x20..<0x7F).contains(byte) && byte != 0x5C
                ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16).leftPadded(to: 2)
        }
        return bytes.isEmpty ? "nothing (the file is empty)" : "\"" + shown.joined() + "\""
    }
}

extension String {
    /// The string padded on the left with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
