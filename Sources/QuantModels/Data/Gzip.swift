import CZlibShim
import Foundation

/// gzip decompression with Debian's zlib (Foundation on Linux has none).
///
/// `inflateInit2(…, 16 + MAX_WBITS)` makes zlib parse the gzip header and check the CRC-32 and
/// length in the trailer, so a damaged file is an error, never wrong data. Concatenated gzip
/// members (RFC 1952, what `cat a.gz b.gz` makes) decompress to the concatenation, as `gzip -d` does.
enum Gzip {
    /// True when `data` starts with gzip's magic bytes 1f 8b.
    static func isGzip(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B }

    /// The decompressed contents of `data`, read from the file `path` (named in errors).
    ///
    /// - Throws: `DatasetError.corruptGzip` for a bad header, bad deflate data, a CRC or length
    ///   mismatch or trailing bytes that are not another member; `.truncatedGzip` when the stream
    ///   ends early.
    /// - Complexity: O(n) in the decompressed size.
    static func decompress(_ data: Data, path: String) throws -> Data {
        guard !data.isEmpty else { throw DatasetError.corruptGzip(path: path, reason: "the file is empty") }
        guard data.count <= Int(UInt32.max) else {
            throw DatasetError.corruptGzip(path: path, reason: "larger than 4 GiB, which this reader does not take")
        }
        let inflater = try Inflater(path: path)
        return try data.withUnsafeBytes { raw in
            try inflater.inflateAll(raw.bindMemory(to: UInt8.self))
        }
    }
}

/// A zlib inflate stream in gzip mode, freed in `deinit`.
private final class Inflater {
    private var stream = z_stream()
    private let path: String

    init(path: String) throws {
        self.path = path
        let status = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw DatasetError.corruptGzip(path: path, reason: "zlib could not start (status \(status))")
        }
    }

    deinit { inflateEnd(&stream) }

    func inflateAll(_ input: UnsafeBufferPointer<UInt8>) throws -> Data {
        guard let base = input.baseAddress else { throw DatasetError.corruptGzip(path: path, reason: "the file is empty") }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<(buffer.count - Int(stream.avail_out))]))
                return status
            }
            switch status {
            case Z_STREAM_END:
                if stream.avail_in == 0 { return output }
                inflateReset(&stream)  // another gzip member follows
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DatasetError.truncatedGzip(path: path, decompressedBytes: output.count)
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw DatasetError.corruptGzip(path: path, reason: message)
            }
        }
    }
}
