import Foundation
import QuantModels
import Testing

/// Compresses `path` with coreutils' gzip (an independent writer) and returns the `.gz` bytes.
func gzipWithCoreutils(_ path: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "gzip -c \(path) failed")
    return output
}

/// Runs `body`, requires a `DatasetError`, and checks that its message names each of `fragments`.
@discardableResult
func expectDatasetError(
    mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> DatasetError? {
    let error = #expect(throws: DatasetError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    for fragment in fragments {
        #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)", sourceLocation: sourceLocation)
    }
    return error
}

@Suite("Digits data set: bad input")
struct DigitsBadInputTests {
    /// A valid row: 64 pixels cycling 0…16, then `label`.
    static func row(label: String = "3", replacing column: Int? = nil, with text: String = "") -> String {
        var fields = (0..<64).map { String($0 % 17) } + [label]
        if let column { fields[column] = text }
        return fields.joined(separator: ",")
    }

    @Test("gzip written by coreutils reads back; so do concatenated members and plain CSV")
    func gzipRoundTrip() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let csv = [Self.row(label: "1"), Self.row(label: "9")].joined(separator: "\n") + "\n"
        let plain = try scratch.write(Array(csv.utf8), to: "two.csv")
        let gz = try gzipWithCoreutils(plain)
        let gzPath = try scratch.write(Array(gz), to: "two.csv.gz")
        let fromGzip = try DigitsDataset(contentsOf: gzPath)
        #expect(fromGzip.labels == [1, 9] && fromGzip.pixels.count == 128)
        #expect(fromGzip == (try DigitsDataset(contentsOf: plain)))
        #expect(try fromGzip.pixels(at: 1).map(Int.init) == (0..<64).map { $0 % 17 })
        let doubled = try scratch.write(Array(gz + gz), to: "four.csv.gz")
        #expect(try DigitsDataset(contentsOf: doubled).labels == [1, 9, 1, 9])
    }

    @Test("a truncated gzip file is an error naming it, never a short data set")
    func truncatedGzip() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let csv = (0..<50).map { _ in Self.row() }.joined(separator: "\n")
        let gz = try gzipWithCoreutils(try scratch.write(Array(csv.utf8), to: "rows.csv"))
        for keep in [gz.count - 4, gz.count / 2, 12] {
            let path = try scratch.write(Array(gz.prefix(keep)), to: "cut-\(keep).csv.gz")
            expectDatasetError(mentioning: [path, "cut short", "quantbench fetch-assets"]) {
                _ = try DigitsDataset(contentsOf: path)
            }
        }
    }

    @Test("a damaged gzip file (flipped byte, bad trailer, trailing junk) is an error naming it")
    func corruptGzip() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let csv = (0..<50).map { _ in Self.row() }.joined(separator: "\n")
        let gz = try gzipWithCoreutils(try scratch.write(Array(csv.utf8), to: "rows.csv"))
        var badCRC = Array(gz)
        badCRC[badCRC.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
        var junk = Array(gz)
        junk += [0x00, 0x01, 0x02]
        for (name, bytes) in [("crc.csv.gz", badCRC), ("junk.csv.gz", junk), ("magic-only.gz", [0x1F, 0x8B, 0x00])] {
            let path = try scratch.write(bytes, to: name)
            expectDatasetError(mentioning: [path]) { _ = try DigitsDataset(contentsOf: path) }
        }
    }

    @Test("a row with the wrong column count names the file and line")
    func wrongColumnCount() throws {
        let short = Self.row().split(separator: ",").dropLast(2).joined(separator: ",")
        let csv = [Self.row(), short, Self.row()].joined(separator: "\n")
        expectDatasetError(mentioning: ["bad.csv:2:", "63 comma-separated values, expected 65"]) {
            _ = try DigitsDataset(csv: Data(csv.utf8), path: "bad.csv")
        }
        expectDatasetError(mentioning: ["gap.csv:2:", "0 comma-separated values"]) {
            _ = try DigitsDataset(csv: Data((Self.row() + "\n\n" + Self.row()).utf8), path: "gap.csv")
        }
        expectDatasetError(mentioning: ["none.csv", "no rows"]) { _ = try DigitsDataset(csv: Data("\n\n".utf8), path: "none.csv") }
    }

    @Test("pixel values outside 0…16 or not integers name the file, line and column", arguments: ["17", "-1", "2.5", "inf", "nan"])
    func pixelOutOfRange(text: String) throws {
        let csv = Self.row() + "\n" + Self.row(replacing: 2, with: text)
        expectDatasetError(mentioning: ["px.csv:2:", "column 3", text, "0…16"]) {
            _ = try DigitsDataset(csv: Data(csv.utf8), path: "px.csv")
        }
    }

    @Test("a pixel that is not a number names the file, line and column")
    func notANumber() throws {
        expectDatasetError(mentioning: ["nan.csv:1:", "column 64", "'x'"]) {
            _ = try DigitsDataset(csv: Data(Self.row(replacing: 63, with: "x").utf8), path: "nan.csv")
        }
    }

    @Test("labels that are not integers 0…9 name the file and line", arguments: ["10", "3.5", "-1", "seven", ""])
    func invalidLabel(text: String) throws {
        expectDatasetError(mentioning: ["lab.csv:1:", "label", "0…9"]) {
            _ = try DigitsDataset(csv: Data(Self.row(label: text).utf8), path: "lab.csv")
        }
    }

    @Test("a missing file names it; a missing asset says to run fetch-assets")
    func missingFiles() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        expectDatasetError(mentioning: [scratch.path("absent.csv.gz"), "no such file"]) {
            _ = try DigitsDataset(contentsOf: scratch.path("absent.csv.gz"))
        }
        expectAssetError(mentioning: ["sklearn-digits/digits.csv.gz", "run 'quantbench fetch-assets'"]) {
            _ = try DigitsDataset.load(from: AssetStore(root: scratch.path("no-cache")))
        }
    }
}
