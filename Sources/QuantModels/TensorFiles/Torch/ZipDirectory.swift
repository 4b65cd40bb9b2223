/// The central directory of a zip archive held in memory (a mapped torch checkpoint), with the
/// data offset of each entry, so that stored entries can be read in place.
///
/// Reads the end-of-central-directory record, the ZIP64 records `torch.save` (miniz) writes for
/// archives over 4 GiB, each central entry (with its ZIP64 extra field), and, for the entries
/// read, the local header whose name and extra-field lengths give where the data starts.
/// Reference: PKWARE APPNOTE.TXT 6.3, sections 4.3.6–4.3.16 and 4.5.3.
struct ZipDirectory {
    struct Entry {
        var name: String
        /// 0 for stored, 8 for deflated.
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    typealias Failure = PickleCursor.Failure

    private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    /// The entry with this exact name.
    subscript(name: String) -> Entry? {
        positions[name].map { entries[$0] }
    }

    /// Parses the central directory of `bytes`.
    ///
    /// - Throws: `Failure` with the reason when there is no end record, a record lies outside the
    ///   file, or a signature is wrong.
    init(_ bytes: UnsafeRawBufferPointer) throws {
        let end = try Self.endRecord(bytes)
        var position = end.directoryOffset
        for _ in 0..<end.entryCount {
            guard Self.read(bytes, position, 4) == 0x0201_4B50 else {
                throw Failure(reason: "central directory entry at byte \(position) has a wrong signature")
            }
            guard position + 46 <= bytes.count else { throw Failure(reason: "the central directory is truncated") }
            let nameLength = Int(Self.read(bytes, position + 28, 2))
            let extraLength = Int(Self.read(bytes, position + 30, 2))
            let commentLength = Int(Self.read(bytes, position + 32, 2))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= bytes.count else { throw Failure(reason: "the central directory is truncated") }
            var entry = Entry(
                name: String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self),
                method: UInt16(Self.read(bytes, position + 10, 2)), flags: UInt16(Self.read(bytes, position + 8, 2)),
                crc32: UInt32(Self.read(bytes, position + 16, 4)),
                compressedSize: Int(Self.read(bytes, position + 20, 4)),
                uncompressedSize: Int(Self.read(bytes, position + 24, 4)),
                localHeaderOffset: Int(Self.read(bytes, position + 42, 4)))
            let extra = bytes[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)]
            try Self.applyZip64(UnsafeRawBufferPointer(rebasing: extra), to: &entry)
            if positions[entry.name] == nil { positions[entry.name] = entries.count }
            entries.append(entry)
            position = next
        }
    }

    /// The byte range of an entry's (stored or compressed) data in the archive.
    ///
    /// - Throws: `Failure` when the local header is missing or the data runs past the end.
    func dataRange(of entry: Entry, in bytes: UnsafeRawBufferPointer) throws -> Range<Int> {
        let header = entry.localHeaderOffset
        guard header <= bytes.count - 30, Self.read(bytes, header, 4) == 0x0403_4B50 else {
            throw Failure(reason: "the local header of \(entry.name) at byte \(header) is missing")
        }
        let start = header + 30 + Int(Self.read(bytes, header + 26, 2)) + Int(Self.read(bytes, header + 28, 2))
        guard entry.compressedSize <= bytes.count, start <= bytes.count - entry.compressedSize else {
            throw Failure(reason: "the data of \(entry.name) (\(entry.compressedSize) bytes from byte \(start)) runs "
                + "past the end of the file (\(bytes.count) bytes); the file is truncated")
        }
        return start..<(start + entry.compressedSize)
    }

    /// Where the central directory starts and how many entries it has.
    private static func endRecord(_ bytes: UnsafeRawBufferPointer) throws -> (directoryOffset: Int, entryCount: Int) {
        guard bytes.count >= 22 else { throw Failure(reason: "the file is too short to be a zip archive") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        guard let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: {
            read(bytes, $0, 4) == 0x0605_4B50
        }) else {
            throw Failure(reason: "no end-of-central-directory record (the file is truncated or not a zip archive)")
        }
        var count = read(bytes, end + 10, 2)
        var offset = read(bytes, end + 16, 4)
        if count == 0xFFFF || offset == 0xFFFF_FFFF, end >= 20, read(bytes, end - 20, 4) == 0x0706_4B50 {
            let record = read(bytes, end - 12, 8)
            guard bytes.count >= 56, record <= UInt64(bytes.count - 56), read(bytes, Int(record), 4) == 0x0606_4B50 else {
                throw Failure(reason: "the ZIP64 end-of-central-directory record is missing")
            }
            count = read(bytes, Int(record) + 32, 8)
            offset = read(bytes, Int(record) + 48, 8)
        }
        // Each central entry takes at least 46 bytes, which bounds a lying count.
        guard offset <= UInt64(bytes.count), count <= (UInt64(bytes.count) - offset) / 46 else {
            throw Failure(reason: "the central directory (\(count) entries at byte \(offset)) lies outside the file")
        }
        return (Int(offset), Int(count))
    }

    /// Replaces 0xFFFFFFFF sizes and offset by the values of the ZIP64 extra field (id 1).
    private static func applyZip64(_ extra: UnsafeRawBufferPointer, to entry: inout Entry) throws {
        var position = 0
        while position + 4 <= extra.count {
            let id = read(extra, position, 2)
            let size = Int(read(extra, position + 2, 2))
            defer { position += 4 + size }
            guard id == 1 else { continue }
            var field = position + 4
            let limit = min(extra.count, field + size)
            func next() throws -> Int {
                guard field + 8 <= limit, read(extra, field, 8) <= UInt64(Int.max) else {
                    throw Failure(reason: "the ZIP64 field of \(entry.name) is truncated")
                }
                defer { field += 8 }
                return Int(read(extra, field, 8))
            }
            if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next() }
            if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
            if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
        }
    }

    /// A little-endian unsigned integer of `count` bytes at `offset`, or 0 past the end.
    private static func read(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> UInt64 {
        guard offset >= 0, count <= 8, offset <= bytes.count - count else { return 0 }
        var value: UInt64 = 0
        for index in 0..<count { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }
}
