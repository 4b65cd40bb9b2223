import Foundation
import QuantCore

/// A `.npy` file: one array, memory-mapped, read as a tensor named after the file's stem.
///
/// Reads numpy format versions 1.0, 2.0 and 3.0, element types bool, int8…int64, uint8…uint64,
/// float16, float32 and float64 in either byte order, and C or Fortran memory order (Fortran
/// arrays are reordered to row-major). `weights/fc1.npy` holds one tensor named `fc1`.
public struct NpyFile: TensorSource {
    public let path: String
    public let tensors: [TensorInfo]
    /// The format details of the array.
    let header: NpyHeader
    private let contents: Data

    /// Maps the file and parses its header; the data is not read until ``load(_:)``.
    ///
    /// - Parameter path: The `.npy` file.
    /// - Throws: `TensorFileError` when the file is missing, is not a `.npy` file, has an
    ///   unsupported element type, or holds fewer or more data bytes than its header promises.
    public init(path: String) throws {
        let contents = try FileAccess.mappedContents(of: path)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let header = try contents.withUnsafeBytes { try NpyHeader.parse($0, path: path, tensor: name) }
        self.path = path
        self.contents = contents
        self.header = header
        self.tensors = [TensorInfo(name: name, dtype: header.elementType.numpyName, shape: header.shape)]
    }

    /// Reads the array and converts it to `Float`, row-major.
    ///
    /// - Parameter name: The file's stem (the only tensor in a `.npy` file).
    /// - Throws: `TensorFileError.tensorNotFound` for any other name.
    /// - Complexity: One pass over the data; a little-endian float32 C-order array is one bulk copy.
    public func load(_ name: String) throws -> Tensor {
        let names = tensors.map(\.name)
        guard names.contains(name) else {
            throw TensorFileError.tensorNotFound(
                path: path, name: name, suggestions: NameSuggestions.closest(to: name, in: names).nilIfEmpty ?? names)
        }
        return try NpyFile.tensor(in: contents, header: header, name: name, path: path)
    }

    /// Decodes the array described by `header` from an image of a `.npy` file.
    ///
    /// - Parameters:
    ///   - image: The whole `.npy` image (a file, or an `.npz` member).
    ///   - header: Its parsed header, whose sizes `image` has been checked against.
    ///   - name: The tensor name to give the result.
    ///   - path: The file, for messages.
    static func tensor(in image: Data, header: NpyHeader, name: String, path: String) throws -> Tensor {
        let range = header.dataOffset..<(header.dataOffset + header.dataByteCount)
        guard range.upperBound <= image.count else {
            throw TensorFileError.sizeMismatch(path: path, tensor: name, expectedBytes: header.dataByteCount,
                                               actualBytes: max(0, image.count - header.dataOffset))
        }
        var values = image.withUnsafeBytes { raw in
            header.elementType.decoded(UnsafeRawBufferPointer(rebasing: raw[range]), byteOrder: header.byteOrder)
        }
        if header.fortranOrder {
            values = MemoryOrder.rowMajor(fromColumnMajor: values, shape: header.shape)
        }
        do {
            return try Tensor(name: name, shape: header.shape, values: values, sourceDType: header.elementType.numpyName)
        } catch {
            throw TensorFileError.malformedHeader(path: path, tensor: name, reason: "\(error)")
        }
    }
}

extension Array {
    /// The array, or `nil` when it is empty.
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
