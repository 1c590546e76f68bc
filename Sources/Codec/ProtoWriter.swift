// A protobuf writer for the messages this module writes field by field (LoggedEvent).
internal import Domain

/// Writes protobuf fields the way protobuf-c packs proto3 ones: a scalar at its default is
/// omitted unless asked for (a set one-member oneof), a message is its length then its fields.
struct ProtoWriter {
    var out: [UInt8] = []

    mutating func rawVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// A field's key: its number and wire type, as a varint (two bytes from field 16 on).
    mutating func tag(_ field: Int, _ wireType: UInt8) { rawVarint(UInt64(field) << 3 | UInt64(wireType)) }

    /// A varint field; omitted when 0.
    mutating func varint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, 0)
        rawVarint(value)
    }

    /// A double field; omitted when `== 0` (-0.0 too, as protobuf-c does) unless `always`.
    mutating func double(_ field: Int, _ value: Double, always: Bool = false) {
        guard always || value != 0 else { return }
        tag(field, 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    /// A string field, written even when empty (callers write only set ones).
    mutating func string(_ field: Int, _ value: String) {
        var value = value
        value.withUTF8 { bytes(field, UnsafeRawBufferPointer($0), always: true) }
    }

    /// A bytes field; omitted when empty unless `always`.
    mutating func bytes(_ field: Int, _ value: UnsafeRawBufferPointer, always: Bool = false) {
        guard always || !value.isEmpty else { return }
        tag(field, 2)
        rawVarint(UInt64(value.count))
        out.append(contentsOf: value)
    }

    /// An id as 16 bytes, high half first, big-endian.
    mutating func id(_ field: Int, _ id: EventID) {
        tag(field, 2)
        out.append(16)
        withUnsafeBytes(of: id.high.bigEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { out.append(contentsOf: $0) }
    }

    /// Starts a message field; its length is written by `closeMessage` (one byte reserved).
    mutating func openMessage(field: Int) -> Int {
        tag(field, 2)
        out.append(0)
        return out.count
    }

    /// Writes the length of the message opened at `start`, moving it when it needs more than one byte.
    mutating func closeMessage(_ start: Int) {
        let length = out.count - start
        if length < 0x80 {
            out[start - 1] = UInt8(length)
            return
        }
        var extra = 0  // bytes the length needs beyond the one reserved
        while length >> (7 * (extra + 1)) != 0 { extra += 1 }
        out.append(contentsOf: repeatElement(0, count: extra))
        out.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress!  // safe because: not empty (the reserved byte)
            (base + start + extra).copyMemory(from: base + start, byteCount: length)  // memmove: may overlap
            var rest = length
            for index in (start - 1)..<(start + extra) {
                bytes[index] = UInt8(truncatingIfNeeded: rest) | (index < start + extra - 1 ? 0x80 : 0)
                rest >>= 7
            }
        }
    }
}
