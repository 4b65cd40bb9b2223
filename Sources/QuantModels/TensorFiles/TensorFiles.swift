import Foundation
import QuantCore

/// Opens and writes native tensor files, choosing the format by extension.
///
/// | extension      | reader            | holds            |
/// |----------------|-------------------|------------------|
/// | `.npy`         | ``NpyFile``         | one tensor, named after the file's stem |
/// | `.npz`         | ``NpzFile``         | many tensors, one `NAME.npy` member each |
/// | `.safetensors` | ``SafetensorsFile`` | many tensors, memory-mapped |
/// | `.pt`, `.pth`, `.bin`, `.ckpt` | ``TorchZipFile`` | a `torch.save` zip checkpoint (PyTorch ≥ 1.6), memory-mapped; read only |
///
/// A torch checkpoint in the legacy (pre-1.6, non-zip) format is refused with
/// `TensorFileError.legacyTorchFormat`, so that a caller with Python can hand it to torch.
public enum TensorFiles {
    /// The formats, identified by lower-case extension.
    enum Format: String, CaseIterable {
        case npy, npz, safetensors, torch

        /// The format of a lower-case extension, if QuantBench reads it.
        init?(extension pathExtension: String) {
            switch pathExtension {
            case "npy": self = .npy
            case "npz": self = .npz
            case "safetensors": self = .safetensors
            case "pt", "pth", "bin", "ckpt": self = .torch
            default: return nil
            }
        }
    }

    /// Opens a tensor file for reading, choosing the reader by extension and checking the magic bytes.
    ///
    /// - Parameter path: A `.npy`, `.npz`, `.safetensors`, `.pt`, `.pth`, `.bin` or `.ckpt` file
    ///   (extension case-insensitive).
    /// - Returns: The reader; its `tensors` lists what the file holds and `load(_:)` reads one.
    /// - Throws: `TensorFileError.fileNotFound`, `.isDirectory` or `.unsupportedExtension` (each
    ///   listing the supported extensions), `.badMagic` when the content is another format (the
    ///   message says which), `.legacyTorchFormat` for a torch file that is not a zip archive, or
    ///   any error of the chosen reader.
    public static func open(path: String) throws -> any TensorSource {
        try FileAccess.checkIsFile(path)
        let format = try format(of: path)
        try checkMagic(of: path, expected: format)
        switch format {
        case .npy: return try NpyFile(path: path)
        case .npz: return try NpzFile(path: path)
        case .safetensors: return try SafetensorsFile(path: path)
        case .torch: return try TorchZipFile(path: path)
        }
    }

    /// Writes tensors to a file, choosing the format by extension.
    ///
    /// `.npy` takes exactly one tensor (its name is not stored); `.npz` and `.safetensors` take
    /// any number with distinct, non-empty names. Files are written as numpy and the safetensors
    /// package write them (C order, little-endian; see ``NpzFile`` and ``SafetensorsFile``), through
    /// a temporary file so that a failed write never leaves a partial file behind.
    ///
    /// - Parameters:
    ///   - tensors: The tensors to write.
    ///   - path: The destination; an existing file is replaced.
    ///   - options: Element type, `.npz` compression and `.safetensors` metadata.
    /// - Throws: `TensorFileError.invalidWrite` (wrong count, duplicate or empty names, unwritable
    ///   element type, a torch checkpoint extension), `.unsupportedExtension`, or `.writeFailed`.
    public static func write(_ tensors: [Tensor], to path: String, options: TensorWriteOptions = .init()) throws {
        let format = try format(of: path)
        try checkNames(tensors, path: path)
        switch format {
        case .npy:
            guard tensors.count == 1, let tensor = tensors.first else {
                throw TensorFileError.invalidWrite(
                    path: path, reason: "a .npy file holds exactly one tensor but \(tensors.count) were given; "
                        + "use .npz or .safetensors for several")
            }
            try FileAccess.write(try NpyEncoder.image(of: tensor, as: options.elementType, path: path), to: path)
        case .npz:
            try NpzEncoder.write(tensors, to: path, as: options.elementType, compression: options.npzCompression)
        case .safetensors:
            let image = try SafetensorsEncoder.image(
                of: tensors, as: options.elementType, metadata: options.metadata, path: path)
            try FileAccess.write(image, to: path)
        case .torch:
            throw TensorFileError.invalidWrite(
                path: path, reason: "QuantBench reads torch checkpoints but does not write them; write .safetensors "
                    + "(torch reads it with safetensors.torch.load_file)")
        }
    }

    /// The format named by the path's extension.
    static func format(of path: String) throws -> Format {
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let format = Format(extension: pathExtension) else {
            throw TensorFileError.unsupportedExtension(path: path)
        }
        return format
    }

    /// The format whose magic bytes start `prefix`, if any.
    static func detectFormat(_ prefix: [UInt8]) -> Format? {
        if prefix.starts(with: NpyHeader.magic) { return .npy }
        if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) || prefix.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .npz }
        if prefix.count >= 9, prefix[8] == UInt8(ascii: "{") { return .safetensors }
        return nil
    }

    /// Throws `.badMagic` unless the file's first bytes are those of `expected`.
    ///
    /// A torch checkpoint is a zip archive; one that is not is left to ``TorchZipFile``, which
    /// reports it as the legacy format, unless it is plainly a `.npy` or `.safetensors` file.
    private static func checkMagic(of path: String, expected: Format) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TensorFileError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        let prefix = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
        let detected = detectFormat(prefix)
        guard detected != expected else { return }
        if expected == .torch, detected != .npy, detected != .safetensors { return }
        let expectations: [Format: String] = [
            .npy: "\"\\x93NUMPY\"",
            .npz: "\"PK\\x03\\x04\" (a zip archive)",
            .safetensors: "an 8-byte header length followed by '{'",
            .torch: "\"PK\\x03\\x04\" (a zip checkpoint written by torch.save)",
        ]
        let hint = detected.map { " (it looks like a .\($0.rawValue) file)" } ?? ""
        let format = expected == .torch ? "PyTorch checkpoint" : "." + expected.rawValue
        throw TensorFileError.badMagic(path: path, format: format,
                                       expected: expectations[expected] ?? "", found: FileAccess.preview(prefix) + hint)
    }

    /// Throws unless every tensor has a distinct, non-empty name.
    private static func checkNames(_ tensors: [Tensor], path: String) throws {
        var seen = Set<String>()
        for tensor in tensors {
            guard !tensor.name.isEmpty else {
                throw TensorFileError.invalidWrite(path: path, reason: "a tensor has an empty name; name every tensor")
            }
            guard seen.insert(tensor.name).inserted else {
                throw TensorFileError.invalidWrite(
                    path: path, reason: "two tensors are named '\(tensor.name)'; names in one file must be distinct")
            }
        }
    }
}
