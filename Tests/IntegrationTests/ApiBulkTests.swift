import Posix
import Client
import Codec
import Domain
import Synchronization
import Testing
import TestSupport
import Wire

/// CreateAchievementsBulk and idempotent retries over the wire (SPEC §3).
@Suite(.serialized) struct ApiBulkTests {
    func item(_ h: Harness, _ key: String, _ adjust: (inout CreateAchievement) -> Void = { _ in }) -> CreateAchievement {
        var command = h.create(adjust)
        command.token = nil
        command.requestUniqueIdentifier = key
        return command
    }

    @Test("mixed items: processed and unprocessed sets in input order, with codes and violations prefixed items[i].")
    func mixed() throws {
        let h = try Harness.start()
        let items = [
            item(h, "a"),
            item(h, "b") { $0.classificationIdentifier = nil },
            item(h, "c") { $0.amount = 40 },
            item(h, "d") { $0.accountsReceivableIdentifier = Identifier(number: "AR-9999") },
            item(h, "a") { $0.amount = 1 },
            item(h, "e") { $0.amount = -1 },
        ]
        let result = try h.client.bulk(CreateBulk(token: h.token, items: items)).get()
        #expect(result.processed.map(\.requestUniqueIdentifier) == ["a", "c"])
        #expect(result.unprocessed.map(\.requestUniqueIdentifier) == ["b", "d", "a", "e"])
        #expect(result.unprocessed.map(\.errorCode) == ["MANDATORY_PARAMETER_MISSING", "ACCOUNTS_RECEIVABLE_NOT_FOUND", "DUPLICATE_REQUEST_IDENTIFIER", "INVALID_AMOUNT"])
        #expect(result.unprocessed.map(\.status) == [3, 5, 3, 3])
        #expect(result.unprocessed.allSatisfy { !$0.errorDescription.isEmpty })
        let fields = result.unprocessed.map { $0.violations.map(\.field) }
        #expect(fields[0] == ["items[1].classification_identifier"])
        #expect(fields[1].count == 1 && fields[1][0].hasPrefix("items[3].accounts_receivable_identifier"))
        #expect(fields[2] == ["items[4].request_unique_identifier"])
        #expect(fields[3] == ["items[5].amount"])
        for processed in result.processed {
            let event = try h.get(id: processed.id).get()
            #expect(event.number == processed.number && event.lifeCycleState == .posted)
        }
        #expect(try h.get(id: result.processed[1].id).get().amount == 40)
        #expect(try h.eventCount() == 2)
    }

    @Test("an item with a string that is not UTF-8 is unprocessed INVALID_STRING naming it; the other items are created")
    func unreadableItem() throws {
        let h = try Harness.start()
        var frame: [UInt8] = []
        CreateBulk(token: h.token).encode(appendingTo: &frame)  // the token; then the items (field 2), the middle one
        for (key, extra) in [("a", []), ("b", [0x72, 0x02, 0xC3, 0x28]), ("c", [])] as [(String, [UInt8])] {  // + description C3 28
            var bytes: [UInt8] = []
            item(h, key).encode(appendingTo: &bytes)
            bytes += extra
            try #require(bytes.count < 128)
            frame += [0x12, UInt8(bytes.count)] + bytes
        }
        let raw = try RawConnection(h.server.address)
        try raw.send(requestFrame(method: 7, callID: 9, payload: frame))
        let (header, answer) = try #require(try raw.readFrame())
        #expect(header.callID == 9 && header.code == 0)
        let result = try answer.withUnsafeBytes { try BulkResult(payload: $0) }
        #expect(result.processed.map(\.requestUniqueIdentifier) == ["a", "c"])
        #expect(result.unprocessed.map(\.requestUniqueIdentifier) == ["b"])
        #expect(result.unprocessed.first?.errorCode == "INVALID_STRING" && result.unprocessed.first?.status == 3)
        #expect(result.unprocessed.first?.violations.map(\.field) == ["items[1].description"])
        #expect(try h.eventCount() == 2)
    }

    @Test("a request_unique_identifier over 255 bytes: the item is unprocessed, STRING_TOO_LONG")
    func longKey() throws {
        let h = try Harness.start()
        let long = String(repeating: "k", count: 256)
        let result = try h.client.bulk(CreateBulk(token: h.token, items: [item(h, "a"), item(h, long)])).get()
        #expect(result.processed.map(\.requestUniqueIdentifier) == ["a"])
        #expect(result.unprocessed.map(\.errorCode) == ["STRING_TOO_LONG"])
        #expect(result.unprocessed.first?.violations.map(\.field) == ["items[1].request_unique_identifier"])
        #expect(try h.eventCount() == 1)
    }

    @Test("1001 items: INVALID_ARGUMENT BULK_TOO_LARGE and nothing created")
    func tooLarge() throws {
        let h = try Harness.start()
        let items = (0..<1001).map { item(h, "k\($0)") }
        let error = expectFailure(h.client.bulk(CreateBulk(token: h.token, items: items)), .invalidArgument, "BULK_TOO_LARGE")
        #expect(error?.violations.map(\.field) == ["items"])
        #expect(try h.eventCount() == 0)
    }

    @Test("1000 items: all processed in input order, unique ids and increasing numbers")
    func thousand() throws {
        let h = try Harness.start()
        let items = (0..<1000).map { i in item(h, "k\(i)") { $0.externalSystemReferenceNumber = "bulk-\(i)" } }
        let result = try h.client.bulk(CreateBulk(token: h.token, items: items)).get()
        #expect(result.unprocessed.isEmpty)
        #expect(result.processed.map(\.requestUniqueIdentifier) == (0..<1000).map { "k\($0)" })
        #expect(Set(result.processed.map(\.id)).count == 1000)
        let numbers = result.processed.compactMap { UInt64($0.number) }
        #expect(numbers.count == 1000 && zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 })
        #expect(try h.eventCount() == 1000)
        let last = try h.client.get(h.lookup(CustomerEventIdentifier(externalSystemReferenceNumber: "bulk-999"))).get()
        #expect(last.id == result.processed[999].id)
    }

    @Test("a retry with the same reference and content returns the same event, also after a restart and within one bulk")
    func idempotentRetry() throws {
        var h = try Harness.start()
        let command = h.create { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-7" }
        let first = try h.client.create(command).get()
        let again = try h.client.create(command).get()
        #expect(again == first)
        var shaped = command
        shaped.fieldsSet = ["id", "number"]
        let narrow = try h.client.create(shaped).get()
        #expect(narrow.id == first.id && narrow.number == first.number && narrow.classification == nil)
        #expect(try h.eventCount() == 1)

        h = try h.restart()
        var retried = command
        retried.token = h.token
        #expect(try h.client.create(retried).get() == first)
        let bulk = try h.client.bulk(CreateBulk(token: h.token, items: [
            item(h, "x") { $0.externalSystemReferenceNumber = "R-8" }, item(h, "y") { $0.externalSystemReferenceNumber = "R-8" },
            item(h, "z") { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-7" },
        ])).get()
        #expect(bulk.unprocessed.isEmpty && bulk.processed.count == 3)
        #expect(bulk.processed[0].id == bulk.processed[1].id && bulk.processed[0].number == bulk.processed[1].number)
        #expect(bulk.processed[2].id == first.id && bulk.processed[2].number == first.number)
        #expect(try h.eventCount() == 2)
    }

    @Test("a retry after a cancel returns the event as it is now (CANCELLED)")
    func retryAfterCancel() throws {
        let h = try Harness.start()
        let command = h.create { $0.externalSystemReferenceNumber = "R-5" }
        let first = try h.client.create(command).get()
        _ = try h.client.cancel(h.lookup(CustomerEventIdentifier(id: first.id))).get()
        let again = try h.client.create(command).get()
        #expect(again.id == first.id && again.lifeCycleState == .cancelled && again.totalAwardedAmount == 0)
        #expect(try h.eventCount() == 1)
    }

    @Test("the same reference with other content: ALREADY_EXISTS EXTERNAL_REFERENCE_CONFLICT, alone and in a bulk")
    func conflict() throws {
        let h = try Harness.start()
        _ = try h.client.create(h.create { $0.externalSystemReferenceNumber = "R-3" }).get()
        let changes: [(inout CreateAchievement) -> Void] = [
            { $0.amount = 26 }, { $0.performedOn = Harness.baseTime + 1 }, { $0.classificationIdentifier = Identifier(name: "Visit") },
            { $0.description = "other" }, { $0.promoCode = "SUMMER" },
        ]
        for change in changes {
            expectFailure(h.client.create(h.create { $0.externalSystemReferenceNumber = "R-3"; change(&$0) }), .alreadyExists, "EXTERNAL_REFERENCE_CONFLICT")
        }
        let conflicting = item(h, "q") { $0.externalSystemReferenceNumber = "R-3"; $0.amount = 99 }
        let bulk = try h.client.bulk(CreateBulk(token: h.token, items: [item(h, "p") { $0.amount = 5 }, conflicting])).get()
        #expect(bulk.processed.map(\.requestUniqueIdentifier) == ["p"] && bulk.unprocessed.map(\.errorCode) == ["EXTERNAL_REFERENCE_CONFLICT"])
        #expect(bulk.unprocessed.first?.status == 6)
        #expect(bulk.unprocessed.first?.violations.map(\.field) == ["items[1].external_system_reference_number"])
        // Another system makes another key: no conflict.
        #expect(try h.client.create(h.create { $0.externalSystem = "web"; $0.externalSystemReferenceNumber = "R-3"; $0.amount = 26 }).get().id != nil)
        #expect(try h.eventCount() == 3)
    }

    @Test("16 concurrent retries of one reference on 16 connections create exactly one event")
    func concurrentRetries() throws {
        let h = try Harness.start()
        let clients = try (0..<16).map { _ in try Harness.connect(h.server.address) }
        let command = h.create { $0.externalSystem = "pos"; $0.externalSystemReferenceNumber = "R-16" }
        let answers = Locked<[Result<EventView, ClientError>]>([])
        onThreads(16) { i in
            let answer = clients[i].create(command)
            answers.withLock { $0.append(answer) }
        }
        let events = try answers.withLock { $0 }.map { try $0.get() }
        #expect(events.count == 16)
        #expect(Set(events.compactMap(\.id)).count == 1 && Set(events.compactMap(\.number)).count == 1)
        #expect(try h.eventCount() == 1)
    }
}
