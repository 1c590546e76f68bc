import Testing
import Wire

/// Builds the bytes of one frame.
func frameBytes(kind: UInt8 = 1, version: UInt8 = 1, code: UInt16 = 2, callID: UInt32 = 7, extra: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    FrameHeader(payloadLength: UInt32(payload.count), version: version, kind: FrameKind(rawValue: kind), code: code, callID: callID, extra: extra)
        .write(to: &out)
    return out + payload
}

/// Feeds `bytes` in chunks of `chunk` and collects everything the decoder yields.
func decodeAll(_ bytes: [UInt8], chunk: Int, maxPayload: Int = 1024) throws -> [DecodedFrame] {
    var decoder = FrameDecoder(maxPayload: maxPayload)
    var frames: [DecodedFrame] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        decoder.append(Array(bytes[offset..<end]))
        offset = end
        while let frame = try decoder.nextFrame() { frames.append(frame) }
    }
    #expect(decoder.bufferedBytes == 0)
    return frames
}

@Suite struct FrameDecoderTests {
    @Test("header bytes are laid out as PROTOCOL.md says")
    func headerLayout() {
        let bytes = frameBytes(kind: 1, code: 0x0102, callID: 0x0A0B_0C0D, extra: 0x1122_3344, payload: [9, 9, 9])
        #expect(bytes == [0, 0, 0, 15, 1, 1, 1, 2, 0x0A, 0x0B, 0x0C, 0x0D, 0x11, 0x22, 0x33, 0x44, 9, 9, 9])
    }

    @Test("one frame, fed in chunks of every size, decodes identically", arguments: [1, 2, 3, 7, 16, 17, 1000])
    func dripFeed(chunk: Int) throws {
        let payload = (0..<100).map { UInt8($0) }
        let frames = try decodeAll(frameBytes(payload: payload), chunk: chunk)
        #expect(frames == [.frame(FrameHeader(payloadLength: 100, kind: .request, code: 2, callID: 7), payload: payload)])
    }

    @Test("many frames in one read come out in order, empty payloads included")
    func manyFrames() throws {
        var bytes: [UInt8] = []
        for i in 0..<50 { bytes += frameBytes(callID: UInt32(i), payload: Array(repeating: UInt8(i), count: i % 5)) }
        let frames = try decodeAll(bytes, chunk: bytes.count)
        #expect(frames.count == 50)
        for (i, frame) in frames.enumerated() {
            guard case .frame(let header, let payload) = frame else { Issue.record("not a frame"); continue }
            #expect(header.callID == UInt32(i))
            #expect(payload == Array(repeating: UInt8(i), count: i % 5))
        }
    }

    @Test("length below 12 is a broken stream", arguments: [0, 1, 11])
    func brokenLength(length: UInt32) {
        var decoder = FrameDecoder(maxPayload: 1024)
        var bytes = frameBytes(payload: [])
        bytes[0...3] = [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        decoder.append(bytes)
        #expect(throws: WireError.brokenLength(length)) { try decoder.nextFrame() }
    }

    @Test("an oversized payload is reported at once and skipped without buffering; the next frame decodes", arguments: [1, 5, 64, 5000])
    func oversized(chunk: Int) throws {
        let big = Array(repeating: UInt8(0xAB), count: 3000)
        let bytes = frameBytes(callID: 1, payload: big) + frameBytes(callID: 2, payload: [1, 2, 3])
        var decoder = FrameDecoder(maxPayload: 1024)
        var frames: [DecodedFrame] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(Array(bytes[offset..<end]))
            offset = end
            #expect(decoder.bufferedBytes <= 1024 + 16 + chunk)
            while let frame = try decoder.nextFrame() { frames.append(frame) }
        }
        #expect(frames == [
            .oversized(FrameHeader(payloadLength: 3000, kind: .request, code: 2, callID: 1)),
            .frame(FrameHeader(payloadLength: 3, kind: .request, code: 2, callID: 2), payload: [1, 2, 3]),
        ])
    }

    @Test("a payload exactly at the limit is accepted")
    func atLimit() throws {
        let frames = try decodeAll(frameBytes(payload: Array(repeating: 1, count: 1024)), chunk: 100, maxPayload: 1024)
        guard case .frame(_, let payload) = frames.first else { Issue.record("expected a frame"); return }
        #expect(payload.count == 1024)
    }

    @Test("version, kind, code, call id and extra are passed through for the server to judge",
          arguments: [(UInt8(2), UInt8(1)), (UInt8(1), UInt8(2)), (UInt8(1), UInt8(3)), (UInt8(0), UInt8(9))])
    func fieldsPassThrough(version: UInt8, kind: UInt8) throws {
        let frames = try decodeAll(frameBytes(kind: kind, version: version, code: 0xFFFF, callID: 0, extra: 0xFFFF_FFFF, payload: [1]), chunk: 3)
        #expect(frames == [.frame(FrameHeader(payloadLength: 1, version: version, kind: FrameKind(rawValue: kind), code: 0xFFFF, callID: 0, extra: 0xFFFF_FFFF), payload: [1])])
    }

    @Test("a half frame yields nothing and reports mid-frame")
    func halfFrame() throws {
        var decoder = FrameDecoder(maxPayload: 1024)
        decoder.append(Array(frameBytes(payload: [1, 2, 3, 4]).prefix(18)))
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.isMidFrame)
    }

    @Test("the encoder's begin/finish patches the length over the appended payload")
    func encoderPatchesLength() {
        var out: [UInt8] = [0xEE]
        let start = FrameEncoder.begin(&out, kind: .response, code: 5, callID: 9, extra: 3)
        out += [1, 2, 3, 4, 5]
        FrameEncoder.finish(&out, frameAt: start)
        #expect(Array(out.dropFirst()) == frameBytes(kind: 2, code: 5, callID: 9, extra: 3, payload: [1, 2, 3, 4, 5]))
    }
}

@Suite struct StatusCodeTests {
    @Test("every status has its gRPC name", arguments: zip(0...16, [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]))
    func names(code: Int, name: String) {
        #expect(StatusCode(rawValue: UInt16(code)).description == name)
    }

    @Test("unknown statuses survive as STATUS_n")
    func unknown() {
        #expect(StatusCode(rawValue: 99).description == "STATUS_99")
    }
}
