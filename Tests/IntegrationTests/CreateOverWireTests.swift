import Client
import Codec
import Domain
import Testing
import TestSupport
import Wire

@Suite(.serialized) struct CreateOverWireTests {
    @Test("creates pipelined in one write are stored together: each answered on its call id, a retry gets the first event, a conflict ALREADY_EXISTS")
    func pipelinedCreatesInOneRound() throws {
        let h = try Harness.start()
        let raw = try RawConnection(h.server.address)
        func payload(_ command: CreateAchievement) -> [UInt8] {
            var bytes: [UInt8] = []
            command.encode(appendingTo: &bytes)
            return bytes
        }
        let first = h.validCreate(amount: 10, reference: "PIPE-1")
        let conflicting = h.validCreate(amount: 11, reference: "PIPE-1")
        let invalid = h.create { $0.classificationIdentifier = nil }
        let plain = h.validCreate(amount: 12)
        try raw.send(
            requestFrame(method: 2, callID: 1, payload: payload(first)) + requestFrame(method: 2, callID: 2, payload: payload(first))
                + requestFrame(method: 2, callID: 3, payload: payload(conflicting))
                + requestFrame(method: 2, callID: 4, payload: payload(invalid))
                + requestFrame(method: 2, callID: 5, payload: payload(plain)))
        var answers: [UInt32: (FrameHeader, [UInt8])] = [:]
        for _ in 0..<5 {
            let (header, body) = try #require(try raw.readFrame())
            answers[header.callID] = (header, body)
        }
        #expect(answers.keys.sorted() == [1, 2, 3, 4, 5])
        func event(_ callID: UInt32) throws -> EventView {
            let (header, body) = try #require(answers[callID])
            #expect(header.code == StatusCode.ok.rawValue)
            return try body.withUnsafeBytes { try EventView(payload: $0) }
        }
        let stored = try event(1)
        #expect(try event(2) == stored)  // the retry: the same event, not a second one
        #expect(answers[3]?.0.code == StatusCode.alreadyExists.rawValue)
        #expect(try errorPayload(try #require(answers[3]).1).code == "EXTERNAL_REFERENCE_CONFLICT")
        #expect(answers[4]?.0.code == StatusCode.invalidArgument.rawValue)
        #expect(try errorPayload(try #require(answers[4]).1).code == "MANDATORY_PARAMETER_MISSING")
        let other = try event(5)
        #expect(other.id != stored.id && other.number != stored.number && other.amount == 12)
        #expect(try h.eventCount() == 2)
    }

    @Test("login, then create: a POSTED ACHIEVEMENT event with id, number and referred objects")
    func createsEvent() throws {
        let h = try Harness.start()
        let event = try h.client.create(h.validCreate(amount: 25)).get()
        #expect(event.type == "ACHIEVEMENT")
        #expect(event.lifeCycleState == .posted)
        let id = try #require(event.id)
        #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(event.number.map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } == true)
        #expect(event.performedOn == 1_767_225_600_000)
        #expect(event.amount == 25)
        #expect(event.classification?.name == "Purchase")
        #expect(event.accountsReceivable?.number == "AR-1001")
        #expect(event.performedByUnit?.alternativeCode == "U-COUNTER")
        #expect(event.performedByBusinessUnit?.code == "BU-DOWNTOWN")
        #expect(event.performedByTap?.code == "TAP-DOWNTOWN")
        #expect(event.logInformation?.createdByUser?.name == "demo")
        // Demo offers: PURCHASE_POINTS (10 PTS fixed) and CASHBACK_5 (5% of 25 = 1.25 EUR, 12.5 PTS).
        let awards = try #require(event.awardRewardTransactionsSet)
        #expect(awards.count == 2)
        #expect(event.totalAwardedAmount == 2.25)
        #expect(event.totalAwardedAlternativeAmount == 22.5)
        #expect(h.server.terminate() == 0)
    }

    @Test("fields_set shapes the answer: only the named fields are filled")
    func fieldsSet() throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.fieldsSet = ["id", "life_cycle_state"]
        let event = try h.client.create(command).get()
        #expect(event.id != nil && event.lifeCycleState == .posted)
        #expect(event.number == nil && event.classification == nil && event.awardRewardTransactionsSet == nil)
    }

    @Test("missing mandatory parameter: INVALID_ARGUMENT MANDATORY_PARAMETER_MISSING naming the field")
    func missingMandatory() throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.classificationIdentifier = nil
        let error = try #require(h.client.create(command).failure)
        #expect(error.status == .invalidArgument)
        #expect(error.code == "MANDATORY_PARAMETER_MISSING")
        #expect(error.violations.map(\.field) == ["classification_identifier"])
    }

    @Test("two performed_by identifiers: INVALID_ARGUMENT PERFORMED_BY_CONFLICT naming both")
    func performedByConflict() throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.performedByTapIdentifier = Identifier(code: "TAP-AIRPORT")
        let error = try #require(h.client.create(command).failure)
        #expect(error.status == .invalidArgument)
        #expect(error.code == "PERFORMED_BY_CONFLICT")
        #expect(Set(error.violations.map(\.field)) == ["performed_by_unit_identifier", "performed_by_tap_identifier"])
    }

    @Test("a bad token: UNAUTHENTICATED TOKEN_INVALID, nothing created", arguments: [nil, "", "nope", "0123456789abcdef.0123456789abcdef0123456789abcdef"])
    func badToken(token: String?) throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.token = token
        let error = try #require(h.client.create(command).failure)
        #expect(error.status == .unauthenticated)
        #expect(error.code == "TOKEN_INVALID")
        #expect(try h.client.health().get().events == 0)
    }

    @Test("wrong password: UNAUTHENTICATED INVALID_CREDENTIALS")
    func wrongPassword() throws {
        let h = try Harness.start()
        let error = try #require(h.client.login(LoginCommand(username: "demo", password: "wrong", organisation: "DEMO")).failure)
        #expect(error.status == .unauthenticated)
        #expect(error.code == "INVALID_CREDENTIALS")
    }

    @Test("health: SERVING with counters, no token needed")
    func health() throws {
        let h = try Harness.start()
        _ = try h.client.create(h.validCreate()).get()
        let report = try h.client.health().get()
        #expect(report.serving)
        #expect(report.events == 1)
        #expect(report.connections >= 1)
        #expect(report.logBytes > 0)
    }

    @Test("acknowledged events survive a kill -9 and a restart, equal field by field")
    func survivesCrash() throws {
        let dataDir = TemporaryDirectory.make()
        var h = try Harness.start(dataDir: dataDir)
        var created: [EventView] = []
        for i in 0..<20 { created.append(try h.client.create(h.validCreate(amount: Double(i), reference: "ref-\(i)")).get()) }
        h.server.crash()
        h = try Harness.start(dataDir: dataDir)
        #expect(h.server.readyLine.contains("events=20"))
        for event in created {
            let again = try h.client.get(EventLookup(token: h.token, customerEventIdentifier: CustomerEventIdentifier(id: event.id))).get()
            #expect(again == event)
        }
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
