import Foundation

/// The parsed and validated header of a `.safetensors` file.
///
/// Format (huggingface/safetensors): an 8-byte little-endian unsigned length N, N bytes of JSON
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` plus an optional
/// `"__metadata__"` object of strings, then the data section; offsets count from the start of the
/// data section. Validation follows the reference `Metadata::validate` except that gaps between
/// tensors are tolerated: every range must lie inside the data section, no two may overlap, and
/// each must hold exactly `product(shape) × dtype size` bytes.
struct SafetensorsHeader: Sendable {
    /// One tensor's entry.
    struct Entry: Sendable, Hashable {
        var name: String
        var elementType: TensorElementType
        var shape: [Int]
        /// The byte range inside the data section.
        var range: Range<Int>
    }

    /// The tensors, ordered by their position in the data section.
    var entries: [Entry]
    /// The `__metadata__` strings.
    var metadata: [String: String]
    /// The offset of the data section from the start of the file (8 + N).
    var dataStart: Int

    /// Parses and validates the header of a whole mapped file.
    ///
    /// - Throws: `TensorFileError` naming the file, the tensor where there is one, and the problem.
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws -> SafetensorsHeader {
        guard file.count >= 8 else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil,
                reason: "the file has \(file.count) bytes, fewer than the 8-byte header length every safetensors file starts with")
        }
        let length = file.loadUnaligned(as: UInt64.self).littleEndian
        guard length <= UInt64(file.count - 8) else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil,
                reason: "the header length \(length) runs past the end of the file (\(file.count) bytes); the file is truncated or is not a safetensors file")
        }
        let dataStart = 8 + Int(length)
        let raw = try decodeJSON(Data(file[8..<dataStart]), path: path)
        let dataSize = file.count - dataStart
        var entries: [Entry] = []
        for (name, rawEntry) in raw.tensors {
            entries.append(try validated(rawEntry, name: name, dataSize: dataSize, path: path))
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound, $0.name) < ($1.range.lowerBound, $1.range.upperBound, $1.name) }
        try checkOverlaps(entries, path: path)
        return SafetensorsHeader(entries: entries, metadata: raw.metadata, dataStart: dataStart)
    }

    private static func decodeJSON(_ json: Data, path: String) throws -> RawHeader {
        do {
            return try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let problem as HeaderProblem {
            throw TensorFileError.malformedHeader(path: path, tensor: problem.tensor, reason: problem.reason)
        } catch DecodingError.typeMismatch {
            throw TensorFileError.malformedHeader(path: path, tensor: nil, reason: "the header JSON is not an object")
        } catch {
            let preview = FileAccess.preview(json)
            throw TensorFileError.malformedHeader(
                path: path, tensor: nil, reason: "the header is not valid JSON (it starts with \(preview))")
        }
    }

    /// Checks one entry's dtype, shape and offsets against each other and the data section.
    private static func validated(_ raw: RawEntry, name: String, dataSize: Int, path: String) throws -> Entry {
        guard let type = TensorElementType(safetensorsName: raw.dtype) else {
            throw TensorFileError.unsupportedDType(
                path: path, tensor: name, dtype: raw.dtype, supported: TensorElementType.safetensorsNames)
        }
        let shapeText = "[" + raw.shape.map(String.init).joined(separator: ", ") + "]"
        if let negative = raw.shape.first(where: { $0 < 0 }) {
            throw TensorFileError.invalidShape(path: path, tensor: name, shape: shapeText,
                                               reason: "extent \(negative) is negative")
        }
        guard let byteCount = FileAccess.byteSize(raw.shape, byteCount: type.byteCount) else {
            throw TensorFileError.invalidShape(path: path, tensor: name, shape: shapeText,
                                               reason: "its size in bytes does not fit in a 64-bit integer")
        }
        let (begin, end) = (raw.begin, raw.end)
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw TensorFileError.offsetsOutOfRange(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        guard end - begin == byteCount else {
            throw TensorFileError.sizeMismatch(path: path, tensor: name, expectedBytes: byteCount, actualBytes: end - begin)
        }
        return Entry(name: name, elementType: type, shape: raw.shape, range: begin..<end)
    }

    /// Throws when two non-empty ranges of `entries` (sorted by start) share a byte.
    private static func checkOverlaps(_ entries: [Entry], path: String) throws {
        var furthest: Entry?
        for entry in entries where !entry.range.isEmpty {
            if let previous = furthest, entry.range.lowerBound < previous.range.upperBound {
                throw TensorFileError.overlappingTensors(path: path, first: previous.name, second: entry.name)
            }
            if entry.range.upperBound > (furthest?.range.upperBound ?? 0) { furthest = entry }
        }
    }
}

// MARK: - JSON decoding

/// A problem found while decoding the JSON, before the file path is known.
private struct HeaderProblem: Error {
    var tensor: String?
    var reason: String
}

/// Any JSON object key.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The header JSON as written, before validation.
private struct RawHeader: Decodable {
    var tensors: [(String, RawEntry)] = []
    var metadata: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                guard let metadata = try? container.decode([String: String].self, forKey: key) else {
                    throw HeaderProblem(tensor: nil, reason: "'__metadata__' must be an object mapping strings to strings")
                }
                self.metadata = metadata
                continue
            }
            do {
                tensors.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            } catch let problem as HeaderProblem {
                throw HeaderProblem(tensor: key.stringValue, reason: problem.reason)
            } catch {
                throw HeaderProblem(tensor: key.stringValue,
                                    reason: "the entry is not an object with 'dtype', 'shape' and 'data_offsets'")
            }
        }
    }
}

/// One tensor's JSON entry, before validation.
private struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var begin: Int
    var end: Int

    private enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let dtype = try? container.decode(String.self, forKey: .dtype) else {
            throw HeaderProblem(reason: "'dtype' is missing or not a string")
        }
        guard let shape = try? container.decode([Int].self, forKey: .shape) else {
            throw HeaderProblem(reason: "'shape' is missing or not a list of integers")
        }
        guard let offsets = try? container.decode([Int].self, forKey: .dataOffsets), offsets.count == 2 else {
            throw HeaderProblem(reason: "'data_offsets' is missing or not a pair of integers [begin, end]")
        }
        self.dtype = dtype
        self.shape = shape
        (begin, end) = (offsets[0], offsets[1])
    }
}
