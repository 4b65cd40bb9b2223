import Foundation
import QuantCore

/// Writes `.npy` images byte for byte as `numpy.save` does.
///
/// numpy's `_write_array_header`: the dict `{'descr': …, 'fortran_order': False, 'shape': …, }`,
/// then spare spaces so the first axis can grow to 21 digits in place, then spaces and a newline
/// so that magic, version, length and header together fill a multiple of 64 bytes (a full extra
/// 64 when already aligned). Version 1.0 unless the header needs more than 65535 bytes.
enum NpyEncoder {
    /// The alignment numpy gives the data section.
    private static let alignment = 64
    /// numpy's `GROWTH_AXIS_MAX_DIGITS`.
    private static let growthDigits = 21

    /// The types `.npy` files can be written in (numpy has no native bfloat16).
    static let writableTypes = TensorElementType.writableTypes.filter { $0 != .bfloat16 }

    /// A complete `.npy` image of `tensor` stored as `type`, C order, little-endian.
    ///
    /// - Throws: `TensorFileError.invalidWrite` when `type` cannot be written to `.npy`.
    static func image(of tensor: Tensor, as type: TensorElementType, path: String) throws -> Data {
        guard writableTypes.contains(type) else {
            throw TensorFileError.invalidWrite(
                path: path,
                reason: "tensor '\(tensor.name)' cannot be stored as \(type.numpyName) in .npy; "
                    + "choose one of \(writableTypes.map(\.numpyName).joined(separator: ", "))")
        }
        let payload = try type.encodedLittleEndian(tensor.values, tensor: tensor.name, path: path)
        var image = header(descr: type.numpyDescr, shape: tensor.shape)
        image.append(payload)
        return image
    }

    /// The header bytes (magic through newline) for a C-order array.
    static func header(descr: String, shape: [Int]) -> Data {
        var dictionary = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(FileAccess.describe(shape)), }"
        if let first = shape.first {
            dictionary += String(repeating: " ", count: max(0, growthDigits - String(first).count))
        }
        let text = Array(dictionary.utf8)
        let fitsVersion1 = paddedLength(text.count, prefixCount: 10) <= Int(UInt16.max)
        let (major, lengthBytes): (UInt8, Int) = fitsVersion1 ? (1, 2) : (2, 4)
        let length = paddedLength(text.count, prefixCount: NpyHeader.magic.count + 2 + lengthBytes)
        var data = Data(NpyHeader.magic + [major, 0])
        for byte in 0..<lengthBytes { data.append(UInt8(truncatingIfNeeded: length >> (8 * byte))) }
        data.append(contentsOf: text)
        data.append(contentsOf: [UInt8](repeating: 0x20, count: length - text.count - 1))
        data.append(0x0A)
        return data
    }

    /// The header length after the dict: the text, spaces, and a newline, ending on the alignment.
    private static func paddedLength(_ textCount: Int, prefixCount: Int) -> Int {
        let unpadded = textCount + 1
        return unpadded + alignment - (prefixCount + unpadded) % alignment
    }
}
