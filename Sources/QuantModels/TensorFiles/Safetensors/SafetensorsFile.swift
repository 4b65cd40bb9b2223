import Foundation
import QuantCore

/// A `.safetensors` file, memory-mapped, its header validated on opening.
///
/// Reads dtypes F64, F32, F16, BF16, I8, I16, I32, I64, U8, U16, U32, U64, BOOL, F8_E4M3 and
/// F8_E5M2 (all little-endian, as the format requires). Loading a tensor touches only its own
/// byte range of the mapping, so a weights-only study of a large checkpoint holds one tensor at
/// a time beyond the mapped file.
public struct SafetensorsFile: TensorSource {
    public let path: String
    public let tensors: [TensorInfo]
    /// The file's `__metadata__` strings (empty when it has none).
    public let metadata: [String: String]
    private let header: SafetensorsHeader
    private let entryIndex: [String: Int]
    private let contents: Data

    /// Maps the file and validates its header.
    ///
    /// - Parameter path: The `.safetensors` file.
    /// - Throws: `TensorFileError` when the file is missing, the header length runs past the end,
    ///   the JSON is invalid, a dtype is unknown, a shape is negative, offsets lie outside the data
    ///   section or overlap, or a byte range disagrees with its shape and dtype.
    public init(path: String) throws {
        let contents = try FileAccess.mappedContents(of: path)
        let header = try contents.withUnsafeBytes { try SafetensorsHeader.parse($0, path: path) }
        self.path = path
        self.contents = contents
        self.header = header
        self.metadata = header.metadata
        self.tensors = header.entries.map {
            TensorInfo(name: $0.name, dtype: $0.elementType.numpyName, shape: $0.shape)
        }
        self.entryIndex = Dictionary(header.entries.enumerated().map { ($1.name, $0) }) { first, _ in first }
    }

    /// Reads one tensor's bytes from the mapping and converts them to `Float`.
    ///
    /// - Throws: `TensorFileError.tensorNotFound`, listing close names, for an unknown name.
    /// - Complexity: O(n) in the tensor's size; F32 is one bulk copy.
    public func load(_ name: String) throws -> Tensor {
        guard let index = entryIndex[name] else {
            throw TensorFileError.tensorNotFound(
                path: path, name: name, suggestions: NameSuggestions.closest(to: name, in: tensors.map(\.name)))
        }
        let entry = header.entries[index]
        let start = header.dataStart + entry.range.lowerBound
        let end = header.dataStart + entry.range.upperBound
        let values = contents.withUnsafeBytes { raw in
            entry.elementType.decoded(UnsafeRawBufferPointer(rebasing: raw[start..<end]), byteOrder: .little)
        }
        do {
            return try Tensor(name: name, shape: entry.shape, values: values, sourceDType: entry.elementType.numpyName)
        } catch {
            throw TensorFileError.malformedHeader(path: path, tensor: name, reason: "\(error)")
        }
    }
}
