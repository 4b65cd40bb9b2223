/// The header of a `.npy` array: element type, byte order, memory order, shape, and where the data starts.
///
/// Implements numpy's format description (`numpy.lib.format`): the magic string `\x93NUMPY`, a
/// major and minor version byte (1.0, 2.0, 3.0), a little-endian header length (2 bytes in 1.0,
/// 4 bytes after), then the repr of a dict with keys `descr`, `fortran_order` and `shape`, padded
/// with spaces and a newline. Version 3.0 encodes the header as UTF-8, earlier ones as Latin-1.
struct NpyHeader: Sendable, Hashable {
    var elementType: TensorElementType
    var byteOrder: ByteOrder
    var fortranOrder: Bool
    var shape: [Int]
    /// The offset of the first data byte from the start of the array's bytes.
    var dataOffset: Int
    /// The number of data bytes the shape and element type need.
    var dataByteCount: Int

    /// The six magic bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The byte count of the header (magic through padding), read from the first bytes.
    ///
    /// - Returns: `nil` when `prefix` is too short to tell; the total header size otherwise.
    /// - Throws: `TensorFileError` when the magic or version is wrong.
    static func headerSize(prefix: some Collection<UInt8>, path: String, tensor: String?) throws -> Int? {
        let bytes = Array(prefix.prefix(12))
        guard bytes.count >= magic.count || !magic.starts(with: bytes) else { return nil }
        guard bytes.starts(with: magic) else {
            throw TensorFileError.badMagic(path: path, format: ".npy", expected: "\"\\x93NUMPY\"",
                                           found: FileAccess.preview(prefix))
        }
        guard bytes.count >= 8 else { return nil }
        let (major, minor) = (bytes[6], bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor,
                reason: "format version \(major).\(minor) is unknown (numpy writes 1.0, 2.0 and 3.0)")
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { return nil }
        let length = bytes[8..<(8 + lengthBytes)].reversed().reduce(0) { $0 << 8 | Int($1) }
        return 8 + lengthBytes + length
    }

    /// Parses the header at the start of an array's bytes and checks the data size against it.
    ///
    /// - Parameters:
    ///   - bytes: The array's bytes: a whole `.npy` file or `.npz` member (or, with
    ///     `checkDataSize: false`, just its leading bytes).
    ///   - path: The file, for messages.
    ///   - tensor: The tensor name, for messages.
    ///   - checkDataSize: Whether `bytes` must hold exactly the data the header promises.
    /// - Throws: `TensorFileError` naming what is wrong.
    static func parse(_ bytes: UnsafeRawBufferPointer, path: String, tensor: String,
                      checkDataSize: Bool = true) throws -> NpyHeader {
        guard bytes.count >= magic.count else {
            throw TensorFileError.badMagic(path: path, format: ".npy", expected: "\"\\x93NUMPY\"",
                                           found: FileAccess.preview(bytes))
        }
        guard let size = try headerSize(prefix: bytes, path: path, tensor: tensor), size <= bytes.count else {
            throw TensorFileError.malformedHeader(
                path: path, tensor: tensor, reason: "the file ends inside the header (it has \(bytes.count) bytes)")
        }
        let text = try headerText(UnsafeRawBufferPointer(rebasing: bytes[0..<size]), path: path, tensor: tensor)
        let dictionary: PythonLiteral
        do {
            dictionary = try PythonLiteralParser.parse(text)
        } catch {
            throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "header dict: \(error.reason)")
        }
        var header = try fields(of: dictionary, path: path, tensor: tensor)
        header.dataOffset = size
        guard let byteCount = FileAccess.byteSize(header.shape, byteCount: header.elementType.byteCount) else {
            throw TensorFileError.invalidShape(path: path, tensor: tensor, shape: FileAccess.describe(header.shape),
                                               reason: "its size in bytes does not fit in a 64-bit integer")
        }
        header.dataByteCount = byteCount
        if checkDataSize && bytes.count - size != byteCount {
            throw TensorFileError.sizeMismatch(path: path, tensor: tensor, expectedBytes: byteCount,
                                               actualBytes: bytes.count - size)
        }
        return header
    }

    /// The header dict's text: UTF-8 in version 3.0, Latin-1 before.
    private static func headerText(_ bytes: UnsafeRawBufferPointer, path: String, tensor: String) throws -> String {
        let start = bytes[6] == 1 ? 10 : 12
        let body = bytes[start...]
        if bytes[6] == 3 {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw TensorFileError.malformedHeader(path: path, tensor: tensor, reason: "the header is not valid UTF-8")
            }
            return text
        }
        return String(String.UnicodeScalarView(body.map { Unicode.Scalar($0) }))
    }

    /// Reads `descr`, `fortran_order` and `shape` from the parsed dict.
    private static func fields(of dictionary: PythonLiteral, path: String, tensor: String) throws -> NpyHeader {
        func malformed(_ reason: String) -> TensorFileError {
            .malformedHeader(path: path, tensor: tensor, reason: reason)
        }
        guard case .dictionary = dictionary else { throw malformed("the header is \(dictionary), not a dict") }
        guard let descr = dictionary["descr"], let order = dictionary["fortran_order"],
              let shapeValue = dictionary["shape"] else {
            throw malformed("the header dict needs the keys 'descr', 'fortran_order' and 'shape' but is \(dictionary)")
        }
        let (type, byteOrder) = try NpyDescr.elementType(of: descr, path: path, tensor: tensor)
        guard case let .boolean(fortranOrder) = order else {
            throw malformed("'fortran_order' is \(order), not True or False")
        }
        let shape = try shapeExtents(shapeValue, path: path, tensor: tensor)
        return NpyHeader(elementType: type, byteOrder: byteOrder, fortranOrder: fortranOrder, shape: shape,
                         dataOffset: 0, dataByteCount: 0)
    }

    /// The shape tuple's extents, each a non-negative integer.
    private static func shapeExtents(_ value: PythonLiteral, path: String, tensor: String) throws -> [Int] {
        let items: [PythonLiteral]
        switch value {
        case let .tuple(elements), let .list(elements): items = elements
        default:
            throw TensorFileError.malformedHeader(path: path, tensor: tensor,
                                                  reason: "'shape' is \(value), not a tuple of integers")
        }
        var shape: [Int] = []
        for item in items {
            guard case let .integer(extent) = item else {
                throw TensorFileError.invalidShape(path: path, tensor: tensor, shape: value.description,
                                                   reason: "\(item) is not an integer")
            }
            guard extent >= 0 else {
                throw TensorFileError.invalidShape(path: path, tensor: tensor, shape: value.description,
                                                   reason: "extent \(extent) is negative")
            }
            shape.append(extent)
        }
        return shape
    }
}
