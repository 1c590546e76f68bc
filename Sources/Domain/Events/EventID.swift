/// Milliseconds since the Unix epoch, UTC: every time on the wire and in the domain.
public typealias Milliseconds = Int64

/// A 128-bit record id, written as 32 lowercase hex digits; parsed in either case.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// High 64 bits (the first 16 hex digits).
    public var high: UInt64
    /// Low 64 bits (the last 16 hex digits).
    public var low: UInt64

    /// Makes an id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 hex digits in either case; nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = hex.utf8
        guard utf8.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for byte in utf8 {
            guard let nibble = hexValue(byte) else { return nil }
            if index < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            index += 1
        }
        self.init(high: high, low: low)
    }

    /// 32 lowercase hex digits.
    public var description: String { hexString(high) + hexString(low) }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }

    /// The id index's hash, without SipHash: ids are drawn by the server's random generator,
    /// so no client can pick colliding ones, and a 64-bit finalizer (MurmurHash3's fmix64)
    /// of both halves and the table's seed spreads them as well at a fraction of the cost.
    public func _rawHashValue(seed: Int) -> Int {
        finalizedHash(high ^ (low &* goldenRatio64) ^ UInt64(UInt(bitPattern: seed)))
    }
}

/// 2⁶⁴ divided by the golden ratio: the multiplier of the hashes that fold words in without
/// SipHash (ids, referred-set keys, catalog lookup values).
let goldenRatio64: UInt64 = 0x9E37_79B9_7F4A_7C15

/// `x` through MurmurHash3's 64-bit finalizer (fmix64), as a hash value: every input bit
/// reaches every output bit.
@inline(__always)
func finalizedHash(_ x: UInt64) -> Int {
    var x = x
    x ^= x >> 33
    x &*= 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    x &*= 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    return Int(truncatingIfNeeded: x)
}

/// The value of one ASCII hex digit, or nil.
@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    let nibble = hexNibbles[Int(byte)]
    return nibble & 0x80 == 0 ? nibble : nil
}

/// The number the 16 hex digits (either case) at `start` in `bytes` write; nil when one of
/// them is not a hex digit. No branch per digit: tokens are read with it on every call.
public func hexWord(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt64? {
    hexNibbles.withUnsafeBufferPointer { nibbles in
        var value: UInt64 = 0
        var invalid: UInt8 = 0
        for index in start..<(start + 16) {
            let nibble = nibbles[Int(bytes[index])]
            invalid |= nibble
            value = value << 4 | UInt64(nibble & 0x0F)
        }
        return invalid & 0x80 == 0 ? value : nil
    }
}

/// Each byte's hex value (either case); 0x80 for a byte that is not a hex digit.
private let hexNibbles: [UInt8] = (0..<256).map { byte in
    switch byte {
    case 0x30...0x39: UInt8(byte - 0x30)
    case 0x61...0x66: UInt8(byte - 0x61 + 10)
    case 0x41...0x46: UInt8(byte - 0x41 + 10)
    default: 0x80
    }
}

/// The 16 lowercase hex digits of `value`, most significant first, as two little-endian
/// words (stored in order, their bytes are the text). Each half: every nibble spread to a
/// byte, then '0' added, and 'a' − '9' − 1 more where the nibble is above 9 (no loop, no
/// branch: every answer writes its ids with it).
@inline(__always)
public func hexDigitWords(_ value: UInt64) -> (UInt64, UInt64) {
    (hexDigits(UInt32(truncatingIfNeeded: value >> 32)), hexDigits(UInt32(truncatingIfNeeded: value)))
}

@inline(__always)
private func hexDigits(_ value: UInt32) -> UInt64 {
    var x = UInt64(value.byteSwapped)  // the first digit's byte comes first in memory
    x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
    x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
    // Each byte holds two nibbles (high, low); the high one's digit goes first.
    x = (x >> 4 & 0x0F0F_0F0F_0F0F_0F0F) | (x & 0x0F0F_0F0F_0F0F_0F0F) << 8
    let above9 = ((x &+ 0x7676_7676_7676_7676) >> 7) & 0x0101_0101_0101_0101
    return x &+ 0x3030_3030_3030_3030 &+ above9 &* 0x27
}

/// 16 lowercase hex digits of `value`, zero-padded.
func hexString(_ value: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { buffer in
        let (first, second) = hexDigitWords(value)
        let raw = UnsafeMutableRawPointer(buffer.baseAddress!)  // safe because: capacity 16 asked for
        raw.storeBytes(of: first, as: UInt64.self)
        raw.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
        return 16
    }
}
