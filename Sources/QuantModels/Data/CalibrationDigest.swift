import Crypto

/// SHA-256 digests of calibration items exactly as a task's `calibrate(count:context:)` sees them.
///
/// - Images: every value of every item, in calibration order, as float32 little-endian bytes
///   (numpy: `hashlib.sha256(values.astype('<f4').tobytes())`).
/// - Token sequences: for each item in order, its length then its ids, each as a little-endian
///   uint32 (numpy: `np.array([len(ids)] + ids, '<u4').tobytes()` per item, concatenated).
public enum CalibrationDigest {
    /// The lowercase hex SHA-256 of `values` as float32 little-endian bytes.
    public static func floats(_ values: [Float]) -> String {
        let words = values.map { $0.bitPattern.littleEndian }
        return FileDigest.hex(words.withUnsafeBytes { SHA256.hash(data: $0) })
    }

    /// The lowercase hex SHA-256 of length-prefixed token id sequences as little-endian uint32.
    public static func tokens(_ sequences: [[Int]]) -> String {
        var hasher = SHA256()
        for ids in sequences {
            let words = ([ids.count] + ids).map { UInt32(truncatingIfNeeded: $0).littleEndian }
            words.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return FileDigest.hex(hasher.finalize())
    }
}
