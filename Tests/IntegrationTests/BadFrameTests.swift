import Client
import Codec
import Domain
import Testing
import TestSupport
import Wire

@Suite(.serialized) struct BadFrameTests {
    @Test("unknown method: UNIMPLEMENTED on the request's call id; the connection stays usable")
    func unknownMethod() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        try raw.send(requestFrame(method: 99, callID: 41) + requestFrame(method: 6, callID: 42))
        let (first, payload) = try #require(try raw.readFrame())
        #expect(first.kind == .response && first.callID == 41 && first.code == StatusCode.unimplemented.rawValue)
        #expect(try errorPayload(payload).code == "UNKNOWN_METHOD")
        let (second, _) = try #require(try raw.readFrame())
        #expect(second.callID == 42 && second.code == 0)
    }

    @Test("version 2 or kind 2: INVALID_ARGUMENT BAD_FRAME on that call id", arguments: [(UInt8(2), UInt8(1)), (UInt8(1), UInt8(2)), (UInt8(1), UInt8(9))])
    func badVersionOrKind(version: UInt8, kind: UInt8) throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        try raw.send(requestFrame(method: 6, callID: 5, version: version, kind: kind))
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 5 && header.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(payload).code == "BAD_FRAME")
    }

    @Test("oversized payload: RESOURCE_EXHAUSTED FRAME_TOO_LARGE naming the limit; the connection stays usable")
    func oversized() throws {
        let h = try Harness.start(["--max-frame-bytes", "1KiB"])
        let raw = try RawConnection(h.server.address)
        try raw.send(requestFrame(method: 2, callID: 1, payload: Array(repeating: 0x41, count: 5000)) + requestFrame(method: 6, callID: 2))
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 1 && header.code == StatusCode.resourceExhausted.rawValue)
        let error = try errorPayload(payload)
        #expect(error.code == "FRAME_TOO_LARGE" && error.message.contains("1024"))
        let (next, _) = try #require(try raw.readFrame())
        #expect(next.callID == 2 && next.code == 0)
    }

    @Test("a create whose answer would exceed the frame limit: RESOURCE_EXHAUSTED FRAME_TOO_LARGE, and nothing is created")
    func answerTooLarge() throws {
        let h = try Harness.start(["--max-frame-bytes", "1KiB"])
        var command = h.validCreate()
        command.description = String(repeating: "d", count: 700)
        var request: [UInt8] = []
        command.encode(appendingTo: &request)
        #expect(request.count <= 1024)
        let error = expectFailure(h.client.create(command), .resourceExhausted, "FRAME_TOO_LARGE")
        #expect(error?.message.contains("1024") == true)
        #expect(try h.eventCount() == 0)
        command.fieldsSet = ["id", "description"]  // a smaller answer fits
        let created = try h.client.create(command).get()
        #expect(created.description == command.description && created.number == nil)
        #expect(try h.eventCount() == 1)
    }

    @Test("a bulk call whose answer could exceed the frame limit: RESOURCE_EXHAUSTED FRAME_TOO_LARGE, and nothing is created")
    func bulkAnswerTooLarge() throws {
        let h = try Harness.start(["--max-frame-bytes", "1KiB"])
        func item(_ key: String, reference: String? = nil) -> CreateAchievement {
            var command = h.validCreate(reference: reference)
            command.token = nil
            command.requestUniqueIdentifier = key
            return command
        }
        // Empty items answer long lists of violations: with one valid item the answer is over 1 KiB.
        let refused = CreateBulk(token: h.token, items: [item("valid")] + Array(repeating: CreateAchievement(), count: 3))
        var request: [UInt8] = []
        refused.encode(appendingTo: &request)
        #expect(request.count <= 1024)
        let error = expectFailure(h.client.bulk(refused), .resourceExhausted, "FRAME_TOO_LARGE")
        #expect(error?.message.contains("1024") == true)
        #expect(try h.eventCount() == 0)  // the valid item was not stored
        // Five items with references could each be answered EXTERNAL_REFERENCE_CONFLICT: too long.
        let referenced = (0..<5).map { item("r\($0)", reference: "ext-\($0)") }
        expectFailure(h.client.bulk(CreateBulk(token: h.token, items: referenced)), .resourceExhausted, "FRAME_TOO_LARGE")
        #expect(try h.eventCount() == 0)
        // Without references they can only be created: their answer fits.
        let result = try h.client.bulk(CreateBulk(token: h.token, items: (0..<5).map { item("p\($0)") })).get()
        #expect(result.processed.map(\.requestUniqueIdentifier) == ["p0", "p1", "p2", "p3", "p4"])
        #expect(try h.eventCount() == 5)
    }

    @Test("length below 12: INVALID_ARGUMENT on call id 0, then the server closes", arguments: [UInt8(0), 4, 11])
    func brokenLength(length: UInt8) throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        try raw.send([0, 0, 0, length, 1, 1, 0, 6])
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 0 && header.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(payload).code == "BAD_FRAME")
        #expect(try raw.isClosedByPeer())
    }

    @Test("undecodable payload: INVALID_ARGUMENT MALFORMED_PAYLOAD")
    func garbagePayload() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        try raw.send(requestFrame(method: 2, callID: 3, payload: [0xFF, 0xFF, 0xFF, 0xFF]))
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 3 && header.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(payload).code == "MALFORMED_PAYLOAD")
    }

    @Test("a string holding U+0000: INVALID_ARGUMENT INVALID_STRING naming the field; nothing created")
    func nulInString() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        var payload: [UInt8] = []
        h.validCreate().encode(appendingTo: &payload)
        payload += [0x72, 0x03, 0x61, 0x00, 0x62]  // description "a\0b"
        try raw.send(requestFrame(method: 2, callID: 4, payload: payload))
        let (header, answer) = try #require(try raw.readFrame())
        #expect(header.callID == 4 && header.code == StatusCode.invalidArgument.rawValue)
        let error = try errorPayload(answer)
        #expect(error.code == "INVALID_STRING")
        #expect(error.violations.map(\.field) == ["description"])
        #expect(try h.eventCount() == 0)
    }

    @Test("defaults written out and a field repeated (the last wins) are valid protobuf: the create succeeds")
    func nonCanonicalPayload() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        var payload: [UInt8] = [0x72, 0x01, 0x78]  // description "x", replaced by the one below
        h.validCreate().encode(appendingTo: &payload)
        payload += [0x72, 0x00, 0x7A, 0x00, 0x92, 0x01, 0x00]  // description, external_system, promo_code ""
        try raw.send(requestFrame(method: 2, callID: 5, payload: payload))
        let (header, answer) = try #require(try raw.readFrame())
        #expect(header.callID == 5 && header.code == StatusCode.ok.rawValue)
        let event = try answer.withUnsafeBytes { try EventView(payload: $0) }
        #expect(event.description == nil && event.externalSystem == nil)
        #expect(try h.eventCount() == 1)
    }

    @Test("a frame on call id 0 (reserved): not run; INVALID_ARGUMENT BAD_FRAME on call id 0, then the server closes",
          arguments: [(UInt8(1), 2, false), (UInt8(2), 2, false), (UInt8(1), 2, true), (UInt8(1), 99, false)])
    func requestOnCallIDZero(version: UInt8, method: UInt16, oversized: Bool) throws {
        let h = try Harness.start(["--max-frame-bytes", "1KiB"])
        let raw = try RawConnection(h.server.address)
        var payload: [UInt8] = []
        h.validCreate().encode(appendingTo: &payload)
        if oversized { payload += [UInt8](repeating: 0, count: 2000) }
        try raw.send(requestFrame(method: method, callID: 0, version: version, payload: payload))
        let (header, answer) = try #require(try raw.readFrame())
        #expect(header.callID == 0 && header.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(answer).code == "BAD_FRAME")
        #expect(try raw.isClosedByPeer())
        #expect(try h.eventCount() == 0)
    }

    @Test("a call id already in flight: INVALID_ARGUMENT DUPLICATE_CALL_ID")
    func duplicateCallID() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        var login: [UInt8] = []
        LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO").encode(appendingTo: &login)
        try raw.send(requestFrame(method: 1, callID: 8, payload: login) + requestFrame(method: 1, callID: 8, payload: login))
        let (first, payload) = try #require(try raw.readFrame())
        #expect(first.callID == 8 && first.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(payload).code == "DUPLICATE_CALL_ID")
        let (second, _) = try #require(try raw.readFrame())
        #expect(second.callID == 8 && second.code == 0)
    }
}
