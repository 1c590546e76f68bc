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
        var x = high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(UInt(bitPattern: seed))
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return Int(truncatingIfNeeded: x)
    }
}

/// The value of one ASCII hex digit, or nil.
@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
    default: return nil
    }
}

/// 16 lowercase hex digits of `value`, zero-padded.
func hexString(_ value: UInt64) -> String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 16) { buffer in
        var v = value
        for i in stride(from: 15, through: 0, by: -1) {
            buffer[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return 16
    }
}
