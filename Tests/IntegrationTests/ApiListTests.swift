import Client
import Codec
import Domain
import Foundation
import Testing
import TestSupport
import Wire

/// ListCustomerEvents over the wire: order, filters, page size, page tokens (SPEC §3).
@Suite(.serialized) struct ApiListTests {
    /// What the test knows of a seeded event.
    struct Seeded {
        var id: String
        var number: UInt64
        var account: String
        var classification: String
        var performedOn: Milliseconds
        var cancelled: Bool
    }

    /// 30 events over two accounts, two classifications and 15 distinct times (pairs share
    /// one `performed_on`, created in reverse time order); every fifth cancelled.
    static func seed(_ h: Harness) throws -> [Seeded] {
        let shapes = (0..<30).map { (i: Int) -> (account: String, classification: String, performedOn: Milliseconds) in
            let minutes = Int64((29 - i) / 2)
            return (i % 3 == 0 ? "AR-1002" : "AR-1001", i % 2 == 0 ? "Purchase" : "Visit", Harness.baseTime + minutes * 60_000)
        }
        let processed = try h.bulkCreate(shapes.map { shape in
            h.create {
                $0.accountsReceivableIdentifier = Identifier(number: shape.account)
                $0.classificationIdentifier = Identifier(name: shape.classification)
                $0.performedOn = shape.performedOn
            }
        })
        var seeded: [Seeded] = []
        for (i, (shape, item)) in zip(shapes, processed).enumerated() {
            if i % 5 == 0 { _ = try h.client.cancel(h.lookup(CustomerEventIdentifier(id: item.id))).get() }
            seeded.append(Seeded(id: item.id, number: try #require(UInt64(item.number)), account: shape.account,
                                 classification: shape.classification, performedOn: shape.performedOn, cancelled: i % 5 == 0))
        }
        // A POSTED list's later pages keep events cancelled from its first page's millisecond
        // on: let the cancels be in an earlier millisecond than any list of the tests.
        Thread.sleep(forTimeInterval: 0.005)
        return seeded
    }

    /// Ids of `events` in list order: (performed_on, number).
    static func ordered(_ events: [Seeded]) -> [String] {
        events.sorted { ($0.performedOn, $0.number) < ($1.performedOn, $1.number) }.map(\.id)
    }

    @Test("events come ordered by performed_on then number, across pages of every size")
    func order() throws {
        let h = try Harness.start()
        let seeded = try Self.seed(h)
        for size: UInt32 in [1, 4, 7, 0, 1000] {
            let listed = try h.listAll(h.listQuery(pageSize: size))
            #expect(listed.map(\.id) == Self.ordered(seeded).map(Optional.some), "page size \(size)")
        }
        let first = try h.client.list(h.listQuery(pageSize: 1)).get()
        #expect(first.events.first == (try h.get(id: Self.ordered(seeded).first).get()))
    }

    @Test("filters: accounts receivable, classification, life_cycle_state, from (inclusive) and to (exclusive), combined")
    func filters() throws {
        let h = try Harness.start()
        let seeded = try Self.seed(h)
        let from = Harness.baseTime + 5 * 60_000
        let to = Harness.baseTime + 10 * 60_000
        let cases: [(String, (inout ListEvents) -> Void, (Seeded) -> Bool)] = [
            ("account", { $0.accountsReceivableIdentifier = Identifier(number: "AR-1002") }, { $0.account == "AR-1002" }),
            ("classification", { $0.classificationIdentifier = Identifier(name: "Visit") }, { $0.classification == "Visit" }),
            ("classification code", { $0.classificationIdentifier = Identifier(alternativeCode: "PURCHASE") }, { $0.classification == "Purchase" }),
            ("cancelled", { $0.lifeCycleState = .cancelled }, { $0.cancelled }),
            ("posted", { $0.lifeCycleState = .posted }, { !$0.cancelled }),
            ("from", { $0.performedOnFrom = from }, { $0.performedOn >= from }),
            ("to", { $0.performedOnTo = to }, { $0.performedOn < to }),
            ("window", { $0.performedOnFrom = from; $0.performedOnTo = to }, { $0.performedOn >= from && $0.performedOn < to }),
            ("all", {
                $0.accountsReceivableIdentifier = Identifier(number: "AR-1001")
                $0.classificationIdentifier = Identifier(name: "Purchase")
                $0.lifeCycleState = .posted
                $0.performedOnFrom = from
            }, { $0.account == "AR-1001" && $0.classification == "Purchase" && !$0.cancelled && $0.performedOn >= from }),
        ]
        for (name, adjust, predicate) in cases {
            let expected = Self.ordered(seeded.filter(predicate))
            #expect(!expected.isEmpty && expected.count < seeded.count, "\(name)")
            let listed = try h.listAll(h.listQuery(pageSize: 4, adjust))
            #expect(listed.map(\.id) == expected.map(Optional.some), "\(name)")
        }
        let unknown = h.client.list(h.listQuery { $0.accountsReceivableIdentifier = Identifier(number: "AR-9999") })
        expectFailure(unknown, .notFound, "ACCOUNTS_RECEIVABLE_NOT_FOUND")
    }

    @Test("page_size 0 means 100; 1000 is the most; 1001 is INVALID_ARGUMENT INVALID_PAGE_SIZE")
    func pageSize() throws {
        let h = try Harness.start()
        _ = try h.bulkCreate((0..<150).map { i in h.create { $0.performedOn = Harness.baseTime + Int64(i) } })
        let first = try h.client.list(h.listQuery(pageSize: 0)).get()
        #expect(first.events.count == 100 && !first.nextPageToken.isEmpty)
        let whole = try h.client.list(h.listQuery(pageSize: 1000) { $0.fieldsSet = ["id"] }).get()
        #expect(whole.events.count == 150 && whole.nextPageToken.isEmpty)
        let error = expectFailure(h.client.list(h.listQuery(pageSize: 1001)), .invalidArgument, "INVALID_PAGE_SIZE")
        #expect(error?.violations.map(\.field) == ["page_size"])
    }

    @Test("a page token used with other filters, or not issued by the server: INVALID_ARGUMENT INVALID_PAGE_TOKEN")
    func badPageToken() throws {
        let h = try Harness.start()
        _ = try Self.seed(h)
        let purchase: (inout ListEvents) -> Void = { $0.classificationIdentifier = Identifier(name: "Purchase") }
        let token = try h.client.list(h.listQuery(pageSize: 2, purchase)).get().nextPageToken
        #expect(!token.isEmpty)
        let others: [(inout ListEvents) -> Void] = [
            { _ in }, { $0.classificationIdentifier = Identifier(name: "Visit") }, { purchase(&$0); $0.lifeCycleState = .posted },
            { purchase(&$0); $0.performedOnTo = Harness.baseTime + 1 },
        ]
        for adjust in others {
            expectFailure(h.client.list(h.listQuery(pageSize: 2) { adjust(&$0); $0.pageToken = token }), .invalidArgument, "INVALID_PAGE_TOKEN")
        }
        for garbage in ["garbage", "v1.1.2", "v2.0.0.0", "v1.x.1.ff", String(repeating: "a", count: 200)] {
            expectFailure(h.client.list(h.listQuery { $0.pageToken = garbage }), .invalidArgument, "INVALID_PAGE_TOKEN")
        }
        #expect(try h.client.list(h.listQuery(pageSize: 2) { purchase(&$0); $0.pageToken = token }).get().events.count == 2)
    }

    @Test("every violation at once, before any lookup: an unknown life_cycle_state, a page token not issued, unknown fields")
    func allViolations() throws {
        let h = try Harness.start()
        let query = h.listQuery {
            $0.accountsReceivableIdentifier = Identifier(number: "AR-NOPE")  // unknown: not looked up, validation fails first
            $0.unknownLifeCycleState = 7
            $0.pageToken = "garbage"
            $0.fieldsSet = ["id", "bogus"]
        }
        let error = expectFailure(h.client.list(query), .invalidArgument, "UNKNOWN_ENUM_VALUE")
        #expect(error?.violations.map(\.field) == ["life_cycle_state", "page_token", "fields_set[1]"])
        let shape = expectFailure(h.client.list(h.listQuery { $0.accountsReceivableIdentifier = Identifier(); $0.pageSize = 1001 }), .invalidArgument, "INVALID_IDENTIFIER")
        #expect(shape?.violations.map(\.field) == ["accounts_receivable_identifier", "page_size"])
        expectFailure(h.client.list(h.listQuery { $0.accountsReceivableIdentifier = Identifier(number: "AR-NOPE") }), .notFound, "ACCOUNTS_RECEIVABLE_NOT_FOUND")
    }

    @Test("an accounts receivable filter by access token and pass code lists that account's events; a wrong pass code is ACCESS_TOKEN_NOT_FOUND")
    func filterByPassCode() throws {
        let h = try Harness.start()
        let seeded = try Self.seed(h)
        let token = AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "1234")
        let listed = try h.listAll(h.listQuery(pageSize: 7) { $0.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: token) })
        #expect(listed.map(\.id) == Self.ordered(seeded.filter { $0.account == "AR-1001" }))
        let wrong = AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "9999")
        expectFailure(h.client.list(h.listQuery { $0.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: wrong) }), .notFound, "ACCESS_TOKEN_NOT_FOUND")
    }

    @Test("a POSTED list keeps, on its later pages, events cancelled after its first page was served (they were POSTED then)")
    func cancelledWhilePaging() throws {
        let h = try Harness.start()
        let seeded = try Self.seed(h)
        let posted = Self.ordered(seeded.filter { !$0.cancelled })
        var query = h.listQuery(pageSize: 3) { $0.lifeCycleState = .posted }
        let first = try h.client.list(query).get()
        #expect(first.events.map(\.id) == posted.prefix(3).map(Optional.some))
        // Cancel two events the later pages have not reached yet.
        for id in [posted[5], posted[posted.count - 1]] {
            _ = try h.client.cancel(h.lookup(CustomerEventIdentifier(id: id))).get()
        }
        // One created after the first page and cancelled at once was never POSTED then: not listed.
        let late = try h.client.create(h.create { $0.performedOn = Harness.baseTime + 60 * 60_000 }).get()
        _ = try h.client.cancel(h.lookup(CustomerEventIdentifier(id: late.id))).get()
        query.pageToken = first.nextPageToken
        let rest = try h.listAll(query)
        #expect((first.events + rest).map(\.id) == posted.map(Optional.some))
        #expect(rest.filter { $0.lifeCycleState == .cancelled }.count == 2)
        // A new list no longer has them.
        #expect(try h.listAll(h.listQuery(pageSize: 3) { $0.lifeCycleState = .posted }).count == posted.count - 2)
    }

    @Test("a page token stays valid across a restart")
    func tokenSurvivesRestart() throws {
        var h = try Harness.start()
        let seeded = try Self.seed(h)
        let first = try h.client.list(h.listQuery(pageSize: 10)).get()
        h = try h.restart()
        var query = h.listQuery(pageSize: 10)
        query.pageToken = first.nextPageToken
        let rest = try h.listAll(query)
        #expect((first.events + rest).map(\.id) == Self.ordered(seeded).map(Optional.some))
    }

    @Test("paging while another connection keeps creating: every event that existed at the first page appears exactly once")
    func pagingUnderConcurrentCreates() throws {
        let h = try Harness.start()
        let spread: @Sendable (Int) -> Milliseconds = { Harness.baseTime + Int64($0 * 7919 % 400) * 1000 }
        let initial = try h.bulkCreate((0..<400).map { i in h.create { $0.performedOn = spread(i) } }).map(\.id)
        let writer = try Harness.connect(h.server.address)
        let token = h.token
        let stream = CreateStream(client: writer, window: 4, limit: 5000) { i in
            h.create { $0.token = token; $0.performedOn = spread(i + 13); $0.externalSystemReferenceNumber = "live-\(i)" }
        }
        stream.start()
        defer { stream.stop(); _ = stream.waitUntilDone(timeout: 60) }
        var query = h.listQuery(pageSize: 25) { $0.fieldsSet = ["id", "number", "performed_on"] }
        var seen: [EventView] = []
        for _ in 0..<1000 {
            let page = try h.client.list(query).get()
            seen += page.events
            if page.nextPageToken.isEmpty { break }
            query.pageToken = page.nextPageToken
            Thread.sleep(forTimeInterval: 0.002)
        }
        let ids = seen.compactMap(\.id)
        #expect(Set(ids).count == ids.count, "an event was listed twice")
        #expect(Set(initial).isSubset(of: Set(ids)), "an event that existed was skipped")
        let keys = seen.map { ($0.performedOn ?? 0, UInt64($0.number ?? "") ?? 0) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "pages out of order")
        #expect(stream.acknowledged.count > 0 && stream.failures.isEmpty)
    }
}
