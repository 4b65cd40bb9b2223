/// The Windows-1252 ("cp1252") single-byte text encoding, which the gensim `.cor` corpora use.
///
/// Bytes `0x00–0x7F` are ASCII and `0xA0–0xFF` are Latin-1 (U+00A0–U+00FF). Bytes `0x80–0x9F`
/// are the Windows additions: `0x97` is the em dash U+2014 (`"bender \x97 and i know"` in
/// `pang_lee_polarity.cor`), `0x92` the right single quote U+2019, and so on. The five bytes
/// Windows-1252 leaves undefined (`0x81`, `0x8D`, `0x8F`, `0x90`, `0x9D`) decode to the C1
/// control characters of the same value, as the WHATWG Encoding Standard and Windows'
/// `MultiByteToWideChar` do (Python's `cp1252` codec raises on them instead), so any byte
/// sequence decodes.
///
/// On `lee.cor` (one non-ASCII byte, `0xA3` = £) and the pure-ASCII `lee_background.cor` this is
/// the same as the Latin-1 decoding gensim's `test_lee.py` uses.
public enum Windows1252 {
    /// The code points of bytes `0x80–0x9F`.
    private static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar a byte stands for.
    public static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
        // Every table entry is a valid scalar; the fallback only satisfies the optional.
        return Unicode.Scalar(value) ?? Unicode.Scalar(byte)
    }

    /// Decodes bytes; never fails.
    ///
    /// - Complexity: O(n); pure-ASCII input is one bulk copy.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalar(byte)) }
        return String(scalars)
    }
}
