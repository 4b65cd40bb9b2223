import Foundation

/// The lines of a text file, split as Python's text mode splits them, and decoded on demand.
///
/// Line ends are `\n`, `\r\n` or a lone `\r` (Python's universal newlines, which is how
/// `open(path, "r")` reads `vocab.txt` in Hugging Face's `load_vocab`). A final line end does
/// not start an extra empty line. Line numbers count from 1.
struct TextLines {
    /// One line: its number and its bytes without the line end.
    struct Line {
        var number: Int
        var bytes: ArraySlice<UInt8>
    }

    let path: String
    let lines: [Line]

    /// Reads the whole file.
    ///
    /// - Throws: `TextDataError.fileNotFound` or `.unreadable`.
    init(path: String) throws {
        self.path = path
        self.lines = Self.split(try Self.contents(of: path))
    }

    /// Splits bytes already in memory; `path` is only used in messages.
    init(bytes: [UInt8], path: String) {
        self.path = path
        self.lines = Self.split(bytes)
    }

    /// The bytes of the file at `path`.
    static func contents(of path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TextDataError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw TextDataError.unreadable(path: path, reason: "it is a directory") }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TextDataError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// The line ranges of `bytes`.
    ///
    /// - Complexity: O(n) in the byte count.
    static func split(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(Line(number: lines.count + 1, bytes: bytes[start..<index]))
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { lines.append(Line(number: lines.count + 1, bytes: bytes[start...])) }
        return lines
    }

    /// The line decoded as UTF-8.
    ///
    /// - Throws: `TextDataError.malformedLine` naming the byte offset within the line of the
    ///   first invalid UTF-8 sequence.
    func utf8(_ line: Line) throws -> String {
        if let text = String(validating: line.bytes, as: UTF8.self) { return text }
        var offset = 0
        var iterator = line.bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: break decoding
            }
        }
        throw TextDataError.malformedLine(
            path: path, line: line.number, reason: "invalid UTF-8 at byte \(offset + 1) of the line")
    }

    /// The line decoded as Windows-1252 (see ``Windows1252``); every byte sequence decodes.
    func windows1252(_ line: Line) -> String {
        Windows1252.decode(line.bytes)
    }
}
