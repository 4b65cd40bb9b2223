/// Reads the arguments of pickle opcodes from a byte buffer, checking every length against the
/// bytes that remain.
///
/// Failures are reported as a short reason; ``PickleMachine`` adds the file, the entry and the
/// offset of the opcode being read.
struct PickleCursor {
    /// A read past the end, or an argument that cannot be what it claims.
    struct Failure: Error {
        var reason: String
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw Failure(reason: "the pickle ends inside the opcode") }
        defer { position += 1 }
        return bytes[position]
    }

    /// `count` bytes as a little-endian unsigned integer (`count` ≤ 8).
    mutating func unsigned(_ count: Int) throws -> UInt64 {
        let raw = try slice(count)
        var value: UInt64 = 0
        for (shift, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    /// A little-endian length of `count` bytes, checked to fit in the remaining bytes.
    mutating func length(_ count: Int) throws -> Int {
        let value = try unsigned(count)
        guard value <= UInt64(bytes.count - position) else {
            throw Failure(reason: "a length of \(value) bytes runs past the end of the pickle "
                + "(\(bytes.count - position) bytes remain)")
        }
        return Int(value)
    }

    /// The next `count` bytes.
    mutating func slice(_ count: Int) throws -> UnsafeRawBufferPointer.SubSequence {
        guard count >= 0, count <= bytes.count - position else {
            throw Failure(reason: "the pickle ends inside the opcode (it needs \(count) bytes, "
                + "\(bytes.count - position) remain)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Bytes up to a newline (not included), for the text arguments of GLOBAL.
    mutating func line() throws -> String {
        let rest = bytes[position...]
        guard let end = rest.firstIndex(of: 0x0A) else {
            throw Failure(reason: "the pickle ends inside a GLOBAL name (no newline)")
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }

    /// `count` bytes as UTF-8 text (invalid sequences become U+FFFD, as with "surrogatepass" they
    /// would become lone surrogates).
    mutating func text(_ count: Int) throws -> String {
        String(decoding: try slice(count), as: UTF8.self)
    }

    /// A little-endian two's-complement integer of `count` bytes (LONG1, LONG4), or `nil` when it
    /// does not fit in `Int`.
    mutating func signedLong(_ count: Int) throws -> Int? {
        let raw = Array(try slice(count))
        guard let last = raw.last else { return 0 }
        let negative = last & 0x80 != 0
        let filler: UInt8 = negative ? 0xFF : 0
        let significant = raw.count > 8 ? raw[8...].allSatisfy { $0 == filler } : true
        guard significant else { return nil }
        var value: UInt64 = negative ? .max : 0
        for (shift, byte) in raw.prefix(8).enumerated() {
            value &= ~(UInt64(0xFF) << (8 * UInt64(shift)))
            value |= UInt64(byte) << (8 * UInt64(shift))
        }
        let result = Int64(bitPattern: value)
        // A 9-byte LONG1 can hold 2^63, whose top byte is 0 but whose low 8 bytes read as negative.
        if raw.count > 8, (result < 0) != negative { return nil }
        return Int(result)
    }
}
