// A protobuf writer for the messages this module writes field by field (LoggedEvent).
internal import Domain
internal import Glibc

/// Writes protobuf fields the way protobuf-c packs proto3 ones: a scalar at its default is
/// omitted unless asked for (a set one-member oneof), a message is its length then its fields.
///
/// Writes into its own heap block, grown when a write may not fit: one check per field, not
/// one per byte as appending to an array costs. `finish(appendingTo:)` hands the bytes over
/// and frees the block; a writer is used once.
struct ProtoWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    /// A writer whose block first holds `capacity` bytes.
    init(capacity: Int = 512) {
        self.capacity = max(capacity, 64)
        base = Self.allocate(self.capacity)
    }

    deinit { free(base) }

    private static func allocate(_ bytes: Int) -> UnsafeMutablePointer<UInt8> {
        scratchBlock(bytes).assumingMemoryBound(to: UInt8.self)
    }

    /// Appends the bytes written to `out`.
    consuming func finish(appendingTo out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    /// Makes room for `bytes` more.
    private mutating func reserve(_ bytes: Int) {
        guard count + bytes > capacity else { return }
        let grown = Self.allocate(max(2 * capacity, count + bytes))
        grown.update(from: base, count: count)
        free(base)
        (base, capacity) = (grown, max(2 * capacity, count + bytes))
    }

    /// A varint (at most 10 bytes), room already made.
    private mutating func putVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: rest) | 0x80
            count += 1
            rest >>= 7
        }
        base[count] = UInt8(rest)
        count += 1
    }

    /// Copies `bytes`, room already made.
    private mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// A field's key: its number and wire type, as a varint (two bytes from field 16 on).
    mutating func tag(_ field: Int, _ wireType: UInt8) {
        reserve(10)
        putVarint(UInt64(field) << 3 | UInt64(wireType))
    }

    /// A raw varint, after its field's `tag`.
    mutating func rawVarint(_ value: UInt64) {
        reserve(10)
        putVarint(value)
    }

    /// A varint field; omitted when 0.
    mutating func varint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        reserve(20)
        putVarint(UInt64(field) << 3)
        putVarint(value)
    }

    /// A double field; omitted when `== 0` (-0.0 too, as protobuf-c does) unless `always`.
    mutating func double(_ field: Int, _ value: Double, always: Bool = false) {
        guard always || value != 0 else { return }
        reserve(18)
        putVarint(UInt64(field) << 3 | 1)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        count += 8
    }

    /// A string field, written even when empty (callers write only set ones).
    mutating func string(_ field: Int, _ value: String) {
        value.withUTF8Bytes { bytes(field, UnsafeRawBufferPointer($0), always: true) }
    }

    /// A bytes field; omitted when empty unless `always`.
    mutating func bytes(_ field: Int, _ value: UnsafeRawBufferPointer, always: Bool = false) {
        guard always || !value.isEmpty else { return }
        reserve(20 + value.count)
        putVarint(UInt64(field) << 3 | 2)
        putVarint(UInt64(value.count))
        put(value)
    }

    /// A string field from UTF-8 bytes, cut at the first U+0000 as protobuf-c's C strings are;
    /// omitted when that leaves it empty unless `always` (a set one-member oneof).
    mutating func text(_ field: Int, _ value: UnsafeRawBufferPointer, always: Bool) {
        var kept = value
        if let start = value.baseAddress, let zero = memchr(start, 0, value.count) {
            kept = UnsafeRawBufferPointer(start: start, count: start.distance(to: UnsafeRawPointer(zero)))
        }
        bytes(field, kept, always: always)
    }

    /// A string field from a String, as `text`.
    mutating func text(_ field: Int, _ value: String, always: Bool) {
        value.withUTF8Bytes { text(field, UnsafeRawBufferPointer($0), always: always) }
    }

    /// An id as its text: 32 lowercase hex digits, high half first.
    mutating func hexID(_ field: Int, _ id: EventID) {
        reserve(36)
        putVarint(UInt64(field) << 3 | 2)
        base[count] = 32
        let raw = UnsafeMutableRawPointer(base + count + 1)
        for (offset, half) in [(0, id.high), (16, id.low)] {
            let (first, second) = hexDigitWords(half)
            raw.storeBytes(of: first, toByteOffset: offset, as: UInt64.self)
            raw.storeBytes(of: second, toByteOffset: offset + 8, as: UInt64.self)
        }
        count += 33
    }

    /// A number as its decimal text (never empty, so always written).
    mutating func decimal(_ field: Int, _ value: UInt64) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        reserve(digits + 12)
        putVarint(UInt64(field) << 3 | 2)
        base[count] = UInt8(digits)
        rest = value
        for offset in stride(from: digits, through: 1, by: -1) {
            base[count + offset] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
        }
        count += digits + 1
    }

    /// A varint field written even when 0 (an int64 or enum of a set one-member oneof).
    mutating func presentVarint(_ field: Int, _ value: UInt64) {
        reserve(20)
        putVarint(UInt64(field) << 3)
        putVarint(value)
    }

    /// Copies bytes already packed (whole fields).
    mutating func packed(_ value: UnsafeRawBufferPointer) {
        reserve(value.count)
        put(value)
    }

    /// An id as 16 bytes, high half first, big-endian.
    mutating func id(_ field: Int, _ id: EventID) {
        reserve(26)
        putVarint(UInt64(field) << 3 | 2)
        base[count] = 16
        let raw = UnsafeMutableRawPointer(base + count + 1)
        raw.storeBytes(of: id.high.bigEndian, as: UInt64.self)
        raw.storeBytes(of: id.low.bigEndian, toByteOffset: 8, as: UInt64.self)
        count += 17
    }

    /// Starts a message field; its length is written by `closeMessage` (one byte reserved).
    mutating func openMessage(field: Int) -> Int {
        reserve(11)
        putVarint(UInt64(field) << 3 | 2)
        base[count] = 0
        count += 1
        return count
    }

    /// Writes the length of the message opened at `start`, moving it when it needs more than one byte.
    mutating func closeMessage(_ start: Int) {
        let length = count - start
        if length < 0x80 {
            base[start - 1] = UInt8(length)
            return
        }
        var extra = 0  // bytes the length needs beyond the one reserved
        while length >> (7 * (extra + 1)) != 0 { extra += 1 }
        reserve(extra)
        UnsafeMutableRawPointer(base + start + extra).copyMemory(from: base + start, byteCount: length)  // memmove: may overlap
        count += extra
        var rest = length
        for index in (start - 1)..<(start + extra) {
            base[index] = UInt8(truncatingIfNeeded: rest) | (index < start + extra - 1 ? 0x80 : 0)
            rest >>= 7
        }
    }
}
