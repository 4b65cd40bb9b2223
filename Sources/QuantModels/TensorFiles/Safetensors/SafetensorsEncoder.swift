import Foundation
import QuantCore

/// Writes `.safetensors` images laid out as the reference implementation lays them out.
///
/// huggingface/safetensors `serialize`: tensors sorted by dtype size (largest first) then name,
/// packed back to back in that order; the header JSON has no spaces, lists `__metadata__` first
/// (when there is any) and the tensors in data order, and is padded with spaces to a multiple of
/// 8 bytes so the data section starts aligned. With one dtype this is sorted by name, and the
/// output is byte-identical to `safetensors.numpy.save_file`.
enum SafetensorsEncoder {
    /// The types the writer can store.
    static let writableTypes = TensorElementType.writableTypes

    /// A complete `.safetensors` image of `tensors` stored as `type`.
    ///
    /// - Throws: `TensorFileError.invalidWrite` when `type` is not writable.
    static func image(of tensors: [Tensor], as type: TensorElementType, metadata: [String: String],
                      path: String) throws -> Data {
        guard writableTypes.contains(type) else {
            throw TensorFileError.invalidWrite(
                path: path, reason: "tensors cannot be stored as \(type.numpyName) in .safetensors; choose one of "
                    + writableTypes.map(\.numpyName).joined(separator: ", "))
        }
        let ordered = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var payloads: [Data] = []
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { jsonString($0.key) + ":" + jsonString($0.value) }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for tensor in ordered {
            let payload = try type.encodedLittleEndian(tensor.values, tensor: tensor.name, path: path)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(jsonString(tensor.name) + ":{\"dtype\":\"\(type.safetensorsName)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + payload.count)]}")
            offset += payload.count
            payloads.append(payload)
        }
        var json = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var image = Data()
        image.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { image.append(contentsOf: $0) }
        image.append(contentsOf: json)
        for payload in payloads { image.append(payload) }
        return image
    }

    /// `text` as a JSON string literal, escaped as serde_json escapes it.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\u{08}": escaped += "\\b"
            case "\u{0C}": escaped += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
