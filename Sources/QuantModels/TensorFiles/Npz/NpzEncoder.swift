import Foundation
import QuantCore
import ZIPFoundation

/// How `.npz` members are stored.
public enum NpzCompression: String, Sendable, Hashable, CaseIterable {
    /// Members stored as is, as `numpy.savez` does.
    case stored
    /// Members compressed with deflate, as `numpy.savez_compressed` does.
    case deflated
}

/// Writes `.npz` archives: one `NAME.npy` member per tensor, each a `numpy.save` image.
enum NpzEncoder {
    /// Writes `tensors` to `path`, building the archive in memory and writing it atomically.
    ///
    /// - Throws: `TensorFileError.invalidWrite` for a type `.npy` cannot hold, `.writeFailed`
    ///   when the archive cannot be built or written.
    static func write(_ tensors: [Tensor], to path: String, as type: TensorElementType,
                      compression: NpzCompression) throws {
        let archive: Archive
        do {
            archive = try Archive(accessMode: .create)
        } catch {
            throw TensorFileError.writeFailed(path: path, reason: "cannot create a zip archive (\(error))")
        }
        for tensor in tensors {
            let image = try NpyEncoder.image(of: tensor, as: type, path: path)
            do {
                try archive.addEntry(
                    with: tensor.name + ".npy", type: .file, uncompressedSize: Int64(image.count),
                    compressionMethod: compression == .deflated ? .deflate : .none
                ) { position, size in
                    let start = Int(position)
                    return image.subdata(in: start..<min(image.count, start + size))
                }
            } catch {
                throw TensorFileError.writeFailed(path: path, reason: "cannot add member \(tensor.name).npy (\(error))")
            }
        }
        guard let data = archive.data else {
            throw TensorFileError.writeFailed(path: path, reason: "the in-memory zip archive has no data")
        }
        try FileAccess.write(data, to: path)
    }
}
