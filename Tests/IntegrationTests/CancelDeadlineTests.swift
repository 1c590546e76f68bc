import Client
import Codec
import Domain
import Testing
import TestSupport
import Wire

/// Calls queued behind many password checks have not started, so a cancel or a short
/// deadline catches them; calls that started complete normally.
@Suite(.serialized) struct CancelDeadlineTests {
    /// 40 logins on one connection: each password check takes milliseconds on a small queue.
    func queuedLogins(extra lastDeadline: UInt32 = 0) -> [UInt8] {
        var login: [UInt8] = []
        LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO").encode(appendingTo: &login)
        var frames: [UInt8] = []
        for id in 1...40 { frames += requestFrame(method: 1, callID: UInt32(id), extra: id == 40 ? lastDeadline : 0, payload: login) }
        return frames
    }

    /// Reads `count` answers, keyed by call id.
    func answers(_ raw: RawConnection, count: Int) throws -> [UInt32: (UInt16, [UInt8])] {
        var result: [UInt32: (UInt16, [UInt8])] = [:]
        for _ in 0..<count {
            let (header, payload) = try #require(try raw.readFrame())
            result[header.callID] = (header.code, payload)
        }
        return result
    }

    @Test("a cancel for a queued call answers it CANCELLED; unknown ids are ignored; every request gets one answer")
    func cancelQueued() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        defer { raw.close() }
        try raw.send(queuedLogins() + requestFrame(method: 0, callID: 40, kind: 3) + requestFrame(method: 0, callID: 999, kind: 3))
        let all = try answers(raw, count: 40)
        #expect(all.count == 40)
        #expect(all[40]?.0 == StatusCode.cancelled.rawValue)
        #expect(try errorPayload(try #require(all[40]).1).code == "CANCELLED")
        #expect(all[1]?.0 == StatusCode.ok.rawValue)
    }

    @Test("a deadline that passes while the call waits answers DEADLINE_EXCEEDED and does nothing")
    func deadlinePassed() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        defer { raw.close() }
        try raw.send(queuedLogins(extra: 1))
        let all = try answers(raw, count: 40)
        #expect(all[40]?.0 == StatusCode.deadlineExceeded.rawValue)
        #expect(try errorPayload(try #require(all[40]).1).code == "DEADLINE_EXCEEDED")
        #expect(all[39]?.0 == StatusCode.ok.rawValue)
    }

    @Test("a generous deadline does not get in the way")
    func deadlineMet() throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.token = h.token
        let event = try h.client.create(command, deadlineMs: 10_000).get()
        #expect(event.lifeCycleState == .posted)
    }
}
