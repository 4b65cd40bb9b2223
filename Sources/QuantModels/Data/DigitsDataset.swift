import Foundation

/// scikit-learn's handwritten digits: 1797 images of 8×8 pixels with values 0…16, labels 0…9.
///
/// Read from `sklearn/datasets/data/digits.csv.gz` of the pinned `scikit-learn==1.5.2` wheel (the
/// `sklearn-digits` asset): one row per image, 64 comma-separated pixel values in row-major order
/// then the label, written as integers (`0`) or floats (`0.0`) alike. This is what
/// `sklearn.datasets.load_digits()` returns, before any scaling. ``split(seed:calibrationCount:)``
/// draws the calibration and evaluation sets; ``batch(_:)`` preprocesses images for an MNIST CNN.
public struct DigitsDataset: Sendable, Equatable {
    /// The asset that holds the file.
    public static let assetID = "sklearn-digits"
    /// The file's name in the asset.
    public static let assetFile = "digits.csv.gz"
    /// Pixels per image side.
    public static let side = 8
    /// Pixels per image.
    public static let pixelsPerImage = 64
    /// The largest pixel value (the UCI set counts ink in 4×4 blocks of a 32×32 bitmap).
    public static let maximumPixel = 16

    /// Every image's pixels, row-major, ``pixelsPerImage`` per image, image after image.
    public let pixels: [UInt8]
    /// Every image's label 0…9.
    public let labels: [Int]

    /// The number of images.
    public var count: Int { labels.count }

    /// The data set read from the pinned asset in `store`.
    ///
    /// - Parameter store: The asset cache (the default one unless given).
    /// - Throws: `AssetError.missingFile` (saying to run `quantbench fetch-assets`) when the cache
    ///   does not hold it, or any error of ``init(contentsOf:)``.
    public static func load(from store: AssetStore = .default) throws -> DigitsDataset {
        try DigitsDataset(contentsOf: store.require(asset: assetID, file: assetFile))
    }

    /// Reads a digits CSV file, gzip-compressed (recognized by its magic bytes) or plain.
    ///
    /// - Parameter path: The file.
    /// - Throws: `DatasetError.unreadable`, `.corruptGzip`, `.truncatedGzip`, or any error of
    ///   ``init(csv:path:)``.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw DatasetError.unreadable(path: path, reason: reason)
        }
        let text = Gzip.isGzip(data) ? try Gzip.decompress(data, path: path) : data
        try self.init(csv: text, path: path)
    }

    /// Parses digits CSV text: each row 64 pixels (integers 0…16) then the label (0…9).
    ///
    /// Empty lines at the end are ignored; `\r\n` line ends are accepted.
    ///
    /// - Parameters:
    ///   - csv: The file's bytes (UTF-8 or ASCII).
    ///   - path: The file's name, for messages.
    /// - Throws: `DatasetError.empty`, `.wrongColumnCount`, `.notANumber`, `.pixelOutOfRange` or
    ///   `.invalidLabel`, each naming the file and line.
    public init(csv: Data, path: String) throws {
        var lines = csv.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy({ $0 == UInt8(ascii: "\r") }) { lines.removeLast() }
        guard !lines.isEmpty else { throw DatasetError.empty(path: path) }
        var pixels: [UInt8] = []
        var labels: [Int] = []
        pixels.reserveCapacity(lines.count * Self.pixelsPerImage)
        labels.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let label = try Self.parseRow(line, number: offset + 1, path: path, into: &pixels)
            labels.append(label)
        }
        self.pixels = pixels
        self.labels = labels
    }

    /// The pixels of image `index` (64 values, row-major).
    ///
    /// - Throws: `DatasetError.indexOutOfRange`.
    public func pixels(at index: Int) throws -> ArraySlice<UInt8> {
        guard labels.indices.contains(index) else { throw DatasetError.indexOutOfRange(index: index, count: count) }
        return pixels[index * Self.pixelsPerImage..<(index + 1) * Self.pixelsPerImage]
    }

    /// Parses one row, appending its pixels, and returns its label.
    private static func parseRow(_ line: Data.SubSequence, number: Int, path: String, into pixels: inout [UInt8]) throws -> Int {
        var fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        if line.isEmpty { fields = [] }
        guard fields.count == pixelsPerImage + 1 else {
            throw DatasetError.wrongColumnCount(path: path, line: number, expected: pixelsPerImage + 1, found: fields.count)
        }
        for (column, field) in fields.prefix(pixelsPerImage).enumerated() {
            let text = trimmed(field)
            guard let value = Double(text) else {
                throw DatasetError.notANumber(path: path, line: number, column: column + 1, text: text)
            }
            guard value.rounded() == value, value >= 0, value <= Double(maximumPixel) else {
                throw DatasetError.pixelOutOfRange(path: path, line: number, column: column + 1, text: text)
            }
            pixels.append(UInt8(value))
        }
        let text = trimmed(fields[pixelsPerImage])
        guard let value = Double(text), value.rounded() == value, value >= 0, value <= 9 else {
            throw DatasetError.invalidLabel(path: path, line: number, text: text)
        }
        return Int(value)
    }

    /// A field as text without surrounding spaces, tabs or a carriage return.
    private static func trimmed(_ field: Data.SubSequence) -> String {
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }
        guard let first = field.firstIndex(where: { !isBlank($0) }), let last = field.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: field[first...last], as: UTF8.self)
    }
}
