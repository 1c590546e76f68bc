/// Why a byte stream cannot be framed any further: the connection must close.
public enum WireError: Error, Equatable, Sendable {
    /// The header's `length` was below 12 (the header's own remaining bytes).
    case brokenLength(UInt32)
}

/// One unit the decoder yields.
public enum DecodedFrame: Equatable, Sendable {
    /// A whole frame whose payload fits the limit.
    case frame(FrameHeader, payload: [UInt8])
    /// A frame whose payload exceeds the limit: its payload is being skipped, never buffered.
    case oversized(FrameHeader)
}

/// Incremental, pure frame decoder: feed it bytes as they arrive, take frames out.
///
/// Owned by one connection (used on that connection's queue only). Payloads above
/// `maxPayload` are reported at once as `.oversized` and their bytes discarded as they
/// arrive, so memory per connection stays bounded by `maxPayload + 16` plus one read.
public struct FrameDecoder: Sendable {
    /// Largest payload accepted, in bytes (`--max-frame-bytes`).
    public let maxPayload: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var skipRemaining = 0

    /// A decoder accepting payloads of at most `maxPayload` bytes.
    public init(maxPayload: Int) {
        self.maxPayload = maxPayload
    }

    /// Bytes held but not yet returned as frames.
    public var bufferedBytes: Int { buffer.count - readIndex }

    /// True when a frame has started but is not complete (a peer stalled mid-frame), or a skip is pending.
    public var isMidFrame: Bool { bufferedBytes > 0 || skipRemaining > 0 }

    /// Adds bytes read from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var bytes = bytes
        if skipRemaining > 0 {
            let skipped = min(skipRemaining, bytes.count)
            skipRemaining -= skipped
            bytes = UnsafeRawBufferPointer(rebasing: bytes[skipped...])
        }
        guard !bytes.isEmpty else { return }
        // Drop the bytes of frames already returned before growing, so the buffer holds at most
        // one incomplete frame plus this read. A drained caller moves only that frame's start,
        // and each byte at most once.
        if readIndex > 0 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes read from the peer.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil when more bytes are needed.
    /// - Throws: `WireError.brokenLength` when a header's `length` is below 12; the stream
    ///   cannot be resynchronised and the connection should close.
    public mutating func nextFrame() throws(WireError) -> DecodedFrame? {
        var payload: [UInt8] = []
        guard let next = try nextHeader(payloadInto: &payload) else { return nil }
        return next.oversized ? .oversized(next.header) : .frame(next.header, payload: payload)
    }

    /// The next unit as `nextFrame()` finds it, a whole frame's payload copied into `payload`
    /// (whose storage is reused when nothing else holds it: no allocation per frame).
    /// - Throws: `WireError.brokenLength`, as `nextFrame()`.
    public mutating func nextHeader(payloadInto payload: inout [UInt8]) throws(WireError) -> (header: FrameHeader, oversized: Bool)? {
        guard skipRemaining == 0, buffer.count - readIndex >= 4 else { return nil }
        let rawLength = buffer.withUnsafeBytes { $0.loadBigEndianUInt32(at: readIndex) }
        guard rawLength >= 12 else { throw .brokenLength(rawLength) }
        guard buffer.count - readIndex >= FrameHeader.size else { return nil }
        let (parsed, _) = buffer.withUnsafeBytes { FrameHeader.read($0, at: readIndex) }
        guard let header = parsed else { throw .brokenLength(rawLength) }
        let payloadLength = Int(header.payloadLength)
        if payloadLength > maxPayload {
            let available = buffer.count - readIndex - FrameHeader.size
            let dropped = min(available, payloadLength)
            readIndex += FrameHeader.size + dropped
            skipRemaining = payloadLength - dropped
            compactIfDrained()
            return (header, true)
        }
        guard buffer.count - readIndex - FrameHeader.size >= payloadLength else { return nil }
        let start = readIndex + FrameHeader.size
        payload.removeAll(keepingCapacity: true)
        payload.append(contentsOf: buffer[start..<(start + payloadLength)])
        readIndex = start + payloadLength
        compactIfDrained()
        return (header, false)
    }

    private mutating func compactIfDrained() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        }
    }
}

/// Frame encoding: a header and a payload appended to an output buffer.
public enum FrameEncoder {
    /// Appends a header with a 0 length and returns the offset to pass to `finish`.
    /// Encode the payload by appending to `out` after this call.
    @inlinable
    public static func begin(_ out: inout [UInt8], kind: FrameKind, code: UInt16, callID: UInt32, extra: UInt32 = 0) -> Int {
        let start = out.count
        FrameHeader(payloadLength: 0, kind: kind, code: code, callID: callID, extra: extra).write(to: &out)
        return start
    }

    /// Patches the length of the frame begun at `start` to cover everything appended since.
    @inlinable
    public static func finish(_ out: inout [UInt8], frameAt start: Int) {
        let length = UInt32(truncatingIfNeeded: out.count - start - 4)
        out.storeBigEndian(length, at: start)
    }

    /// Appends one whole frame.
    @inlinable
    public static func append(_ out: inout [UInt8], kind: FrameKind, code: UInt16, callID: UInt32, extra: UInt32 = 0, payload: [UInt8]) {
        FrameHeader(payloadLength: UInt32(truncatingIfNeeded: payload.count), kind: kind, code: code, callID: callID, extra: extra)
            .write(to: &out)
        out.append(contentsOf: payload)
    }
}
