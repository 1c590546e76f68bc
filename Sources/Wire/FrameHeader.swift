/// What a frame is: request, response or cancel (header byte 5).
public struct FrameKind: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Client → server call.
    public static let request = FrameKind(rawValue: 1)
    /// Server → client answer.
    public static let response = FrameKind(rawValue: 2)
    /// Client → server: forget a call that has not started.
    public static let cancel = FrameKind(rawValue: 3)
}

/// The 16-byte header that starts every frame, in both directions (PROTOCOL.md).
///
/// ```
/// 0       4   5    6      8          12         16
/// | length | v | kind | code | call_id | extra | payload …
/// ```
/// `length` counts the bytes after itself: 12 + payload length. All integers big-endian.
public struct FrameHeader: Hashable, Sendable {
    /// Size of the header in bytes.
    public static let size = 16
    /// The only protocol version.
    public static let currentVersion: UInt8 = 1

    /// Payload length in bytes (the wire's `length` minus 12).
    public var payloadLength: UInt32
    public var version: UInt8
    public var kind: FrameKind
    /// Request: method number. Response: status code. Cancel: 0.
    public var code: UInt16
    /// Chosen by the client; 0 is reserved for connection-level errors.
    public var callID: UInt32
    /// Request: deadline in ms (0 = none). Response: handling time in µs.
    public var extra: UInt32

    /// Makes a header; `version` defaults to 1.
    public init(payloadLength: UInt32, version: UInt8 = FrameHeader.currentVersion, kind: FrameKind, code: UInt16, callID: UInt32, extra: UInt32 = 0) {
        self.payloadLength = payloadLength
        self.version = version
        self.kind = kind
        self.code = code
        self.callID = callID
        self.extra = extra
    }

    /// Reads a header from 16 bytes at `bytes[offset...]`; nil when `length` < 12.
    /// The caller guarantees 16 readable bytes.
    @inlinable
    public static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (header: FrameHeader?, rawLength: UInt32) {
        let length = bytes.loadBigEndianUInt32(at: offset)
        guard length >= 12 else { return (nil, length) }
        let header = FrameHeader(
            payloadLength: length - 12,
            version: bytes[offset + 4],
            kind: FrameKind(rawValue: bytes[offset + 5]),
            code: UInt16(bytes[offset + 6]) << 8 | UInt16(bytes[offset + 7]),
            callID: bytes.loadBigEndianUInt32(at: offset + 8),
            extra: bytes.loadBigEndianUInt32(at: offset + 12)
        )
        return (header, length)
    }

    /// Appends the 16 header bytes to `out`.
    @inlinable
    public func write(to out: inout [UInt8]) {
        out.appendBigEndian(payloadLength &+ 12)
        out.append(version)
        out.append(kind.rawValue)
        out.append(UInt8(truncatingIfNeeded: code >> 8))
        out.append(UInt8(truncatingIfNeeded: code))
        out.appendBigEndian(callID)
        out.appendBigEndian(extra)
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian u32 at `offset` (unaligned); the caller guarantees 4 readable bytes.
    @inlinable
    func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` as 4 big-endian bytes.
    @inlinable
    public mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Overwrites 4 bytes at `offset` with `value`, big-endian.
    @inlinable
    public mutating func storeBigEndian(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 24)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
