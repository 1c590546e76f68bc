/// Parses the records of one segment's bytes, stopping at the first bad record.
///
/// Pure (no I/O) so recovery's rules are testable on byte arrays.
public struct LogReader {
    /// Where and why parsing stopped early.
    public struct Damage: Sendable, Equatable {
        /// Offset of the first byte of the bad record.
        public var offset: Int
        /// What was wrong with it.
        public var reason: String
        /// True when a valid record follows the damage (corruption, not a torn tail).
        public var validRecordFollows: Bool
    }

    /// Largest record body accepted on read (a bigger length is damage).
    public static let maxBodyLength = 64 << 20

    /// Calls `record(type, body)` for each whole valid record from the start of `bytes`;
    /// returns the end offset of the last good record and the damage after it, if any.
    public static func scan(
        _ bytes: UnsafeRawBufferPointer, record: (UInt8, UnsafeRawBufferPointer) -> Bool
    ) -> (goodEnd: Int, damage: Damage?) {
        var offset = 0
        while offset < bytes.count {
            switch check(bytes, at: offset) {
            case .valid(let end):
                let body = UnsafeRawBufferPointer(rebasing: bytes[(offset + WriteAheadLog.recordHeaderSize)..<end])
                guard record(bytes[offset + 8], body) else {
                    return (offset, Damage(offset: offset, reason: "record body does not decode", validRecordFollows: anyValidRecord(bytes, after: offset)))
                }
                offset = end
            case .invalid(let reason):
                return (offset, Damage(offset: offset, reason: reason, validRecordFollows: anyValidRecord(bytes, after: offset)))
            }
        }
        return (offset, nil)
    }

    enum Check {
        case valid(end: Int)
        case invalid(String)
    }

    /// Validates the record starting at `offset`.
    static func check(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Check {
        let header = WriteAheadLog.recordHeaderSize
        guard bytes.count - offset >= header else { return .invalid("truncated record header") }
        let length = Int(loadLittleEndian(bytes, at: offset))
        guard length <= maxBodyLength else { return .invalid("record length \(length) out of range") }
        guard bytes.count - offset - header >= length else { return .invalid("truncated record body") }
        let stored = loadLittleEndian(bytes, at: offset + 4)
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<(offset + header + length)]))
        guard CRC32C.mask(crc) == stored else { return .invalid("checksum mismatch") }
        let type = bytes[offset + 8]
        guard type == WriteAheadLog.changeRecord || type == WriteAheadLog.definitionRecord else {
            return .invalid("unknown record type \(type)")
        }
        return .valid(end: offset + header + length)
    }

    /// True when some offset after `offset` starts a valid non-empty record: the damage is
    /// then inside the log, not a torn tail.
    static func anyValidRecord(_ bytes: UnsafeRawBufferPointer, after offset: Int) -> Bool {
        // A record's type byte (at +8) is not zero, so none starts past the last non-zero
        // byte minus 8: the zeros written ahead of a segment's records are not searched byte by byte.
        let lastNonZero = Self.lastNonZero(bytes, from: offset)
        var candidate = offset + 1
        while candidate + WriteAheadLog.recordHeaderSize < bytes.count && candidate + 8 <= lastNonZero {
            if case .valid(let end) = check(bytes, at: candidate), end > candidate + WriteAheadLog.recordHeaderSize {
                return true
            }
            candidate += 1
        }
        return false
    }

    /// Offset of the last byte at or after `from` that is not zero; `from - 1` when all are
    /// (the zeros written ahead of a segment's records). Reads words, not bytes: tails are megabytes long.
    static func lastNonZero(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int {
        var end = bytes.count
        while end - from >= 8 && bytes.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) == 0 { end -= 8 }
        while end > from && bytes[end - 1] == 0 { end -= 1 }
        return end - 1
    }
}
