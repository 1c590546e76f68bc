import Client
import Codec
import Domain
import Testing
import TestSupport
import Wire

/// GetCustomerEvent and CancelCustomerEvent over the wire (SPEC §3).
@Suite(.serialized) struct ApiTests {
    typealias Key = CustomerEventIdentifier

    @Test("GetCustomerEvent finds an event by id (either hex case), number, and external reference with or without system")
    func getByEachIdentifier() throws {
        let h = try Harness.start()
        let created = try h.client.create(h.create { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-1" }).get()
        let id = try #require(created.id)
        let keys = [Key(id: id), Key(id: id.uppercased()), Key(number: created.number),
                    Key(externalSystemReferenceNumber: "R-1"), Key(externalSystemReferenceNumber: "R-1", externalSystem: "pos")]
        for key in keys {
            #expect(try h.client.get(h.lookup(key)).get() == created, "\(key)")
        }
        expectFailure(h.client.get(h.lookup(Key(externalSystemReferenceNumber: "R-1", externalSystem: "web"))), .notFound, "EVENT_NOT_FOUND")
    }

    @Test("a reference number used by two external systems: INVALID_ARGUMENT AMBIGUOUS_IDENTIFIER unless the system is given")
    func ambiguousReference() throws {
        let h = try Harness.start()
        let pos = try h.client.create(h.create { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-2" }).get()
        let web = try h.client.create(h.create { $0.externalSystem = "web"; $0.externalSystemReferenceNumber = "R-2"; $0.amount = 3 }).get()
        #expect(pos.id != web.id)
        let error = expectFailure(h.client.get(h.lookup(Key(externalSystemReferenceNumber: "R-2"))), .invalidArgument, "AMBIGUOUS_IDENTIFIER")
        #expect(error?.violations.first?.field.hasPrefix("customer_event_identifier") == true)
        #expect(try h.client.get(h.lookup(Key(externalSystemReferenceNumber: "R-2", externalSystem: "pos"))).get().id == pos.id)
        #expect(try h.client.get(h.lookup(Key(externalSystemReferenceNumber: "R-2", externalSystem: "web"))).get().id == web.id)
    }

    @Test("an identifier matching nothing: NOT_FOUND EVENT_NOT_FOUND", arguments: [
        Key(id: "00000000000000000000000000000000"), Key(id: "not-hex"), Key(number: "987654"), Key(number: "abc"),
        Key(externalSystemReferenceNumber: "nope"), Key(externalSystemReferenceNumber: "R-1", externalSystem: "other"),
        Key(number: "01"), Key(number: "+1"), Key(number: " 1"),  // event 1 exists: its number is written "1"
    ])
    func unknownEvent(key: Key) throws {
        let h = try Harness.start()
        _ = try h.client.create(h.create { $0.externalSystemReferenceNumber = "R-1" }).get()
        expectFailure(h.client.get(h.lookup(key)), .notFound, "EVENT_NOT_FOUND")
        expectFailure(h.client.cancel(h.lookup(key)), .notFound, "EVENT_NOT_FOUND")
    }

    @Test("GetCustomerEvent honours fields_set: only the named fields are filled; an unknown name is INVALID_ARGUMENT")
    func getFieldsSet() throws {
        let h = try Harness.start()
        let created = try h.client.create(h.validCreate(amount: 25)).get()
        let shaped = try h.client.get(h.lookup(Key(id: created.id), fields: ["number", "amount", "classification"])).get()
        var expected = EventView()
        expected.number = created.number
        expected.amount = 25
        expected.classification = created.classification
        #expect(shaped == expected)
        let error = expectFailure(h.client.get(h.lookup(Key(id: created.id), fields: ["id", "colour"])), .invalidArgument, "UNKNOWN_FIELD")
        #expect(error?.violations.map(\.field).contains { $0.hasPrefix("fields_set") } == true)
        let both = EventLookup(token: h.token, customerEventIdentifier: Key(id: created.id, number: created.number), fieldsSet: ["colour"])
        for result in [h.client.get(both), h.client.cancel(both)] {
            let all = expectFailure(result, .invalidArgument, "INVALID_IDENTIFIER")
            #expect(all?.violations.map(\.field) == ["customer_event_identifier", "fields_set[0]"])
        }
    }

    @Test("a create with unknown fields_set names and missing mandatory parameters reports them all, in the seed's order")
    func createAllViolations() throws {
        let h = try Harness.start()
        var command = h.validCreate()
        command.classificationIdentifier = nil
        command.performedByUnitIdentifier = nil
        command.fieldsSet = ["bogus"]
        let error = expectFailure(h.client.create(command), .invalidArgument, "MANDATORY_PARAMETER_MISSING")
        let fields = error?.violations.map(\.field) ?? []
        #expect(fields.first == "classification_identifier" && fields.last == "fields_set[0]" && fields.count >= 3, "\(fields)")
        #expect(try h.eventCount() == 0)
    }

    @Test("no customer_event_identifier, an empty one, or two identifying fields: INVALID_ARGUMENT naming it", arguments: [
        nil, Key(), Key(id: "00000000000000000000000000000001", number: "1"), Key(number: "1", externalSystemReferenceNumber: "R-1"),
        Key(externalSystem: "pos"),
    ])
    func badIdentifier(key: Key?) throws {
        let h = try Harness.start()
        let lookup = EventLookup(token: h.token, customerEventIdentifier: key)
        for result in [h.client.get(lookup), h.client.cancel(lookup)] {
            let error = try #require(result.failure)
            #expect(error.status == .invalidArgument, "\(error)")
            #expect(["MANDATORY_PARAMETER_MISSING", "INVALID_IDENTIFIER"].contains(error.code), "\(error)")
            #expect(error.violations.first?.field.hasPrefix("customer_event_identifier") == true, "\(error)")
        }
        #expect(try h.eventCount() == 0)
    }

    @Test("CancelCustomerEvent: CANCELLED with its awards, totals 0; a second cancel FAILED_PRECONDITION; survives a restart")
    func cancel() throws {
        var h = try Harness.start()
        let created = try h.client.create(h.validCreate(amount: 25)).get()
        let other = try h.client.create(h.validCreate(amount: 40)).get()
        #expect(created.awardRewardTransactionsSet?.count == 2 && created.totalAwardedAmount == 2.25)
        let cancelled = try h.client.cancel(h.lookup(Key(id: created.id))).get()
        #expect(cancelled.id == created.id && cancelled.number == created.number)
        #expect(cancelled.lifeCycleState == .cancelled)
        let awards = try #require(cancelled.awardRewardTransactionsSet)
        #expect(awards.count == 2 && awards.allSatisfy { $0.lifeCycleState == .cancelled })
        #expect(awards.map(\.id) == created.awardRewardTransactionsSet?.map(\.id))
        #expect(cancelled.totalAwardedAmount == 0 && cancelled.totalAwardedAlternativeAmount == 0)
        #expect(try h.get(id: created.id).get() == cancelled)
        expectFailure(h.client.cancel(h.lookup(Key(number: created.number))), .failedPrecondition, "EVENT_ALREADY_CANCELLED")

        h = try h.restart()
        #expect(try h.get(id: created.id).get() == cancelled)
        #expect(try h.get(id: other.id).get() == other)
        expectFailure(h.client.cancel(h.lookup(Key(id: created.id))), .failedPrecondition, "EVENT_ALREADY_CANCELLED")
        #expect(try h.client.cancel(h.lookup(Key(id: other.id), fields: ["life_cycle_state"])).get().lifeCycleState == .cancelled)
    }

    @Test("CancelCustomerEvent by external reference, shaped by fields_set")
    func cancelByReference() throws {
        let h = try Harness.start()
        let created = try h.client.create(h.create { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-9" }).get()
        let answer = try h.client.cancel(h.lookup(Key(externalSystemReferenceNumber: "R-9"), fields: ["id", "life_cycle_state"])).get()
        var expected = EventView()
        expected.id = created.id
        expected.lifeCycleState = .cancelled
        #expect(answer == expected)
    }
}
