import Codec
import Domain
import Testing

@Suite("Request round trips: client encoder → server decoder")
struct RequestRoundTripTests {
    @Test(
        "login commands",
        arguments: [
            LoginCommand(username: "demo", password: "s3cret", organisation: "Acme"),
            LoginCommand(username: "demo", password: "s3cret", organisation: "Acme", unit: Identifier(name: "HQ")),
            LoginCommand(unit: Identifier(id: "u1", alternativeCode: "U1"), webAPIKey: "key1.secret"),
            LoginCommand(release: "tok.abc"),
            LoginCommand(unit: Identifier()),
            LoginCommand(),
        ]
    )
    func login(_ command: LoginCommand) throws {
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try LoginCommand(payload: $0) }
        #expect(decoded == command)
    }

    @Test("a create with every field, present zeros included")
    func fullCreate() throws {
        let command = Fixtures.fullCreate
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) }
        #expect(decoded == command)
        #expect(decoded.amount == 0)
        #expect(decoded.performedOn == 0)
        #expect(decoded.userDefinedFields.floats[0] == 0)
        #expect(decoded.userDefinedFields.dates[0] == 0)
    }

    @Test("absent values stay absent; empty identifiers stay present")
    func sparseCreate() throws {
        var command = CreateAchievement()
        command.classificationIdentifier = Identifier()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: AccessTokenIdentifier())
        command.userDefinedFields.floats[2] = 0
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) }
        #expect(decoded == command)
        #expect(decoded.amount == nil)
        #expect(decoded.performedOn == nil)
        #expect(decoded.productIdentifier == nil)
        #expect(decoded.classificationIdentifier == Identifier())
        #expect(decoded.userDefinedFields.floats == [nil, nil, 0, nil])
        #expect(decoded.userDefinedFields.dates == [nil, nil, nil, nil])
    }

    @Test("empty strings read as nil")
    func emptyStrings() throws {
        var command = CreateAchievement()
        command.token = ""
        command.description = ""
        command.classificationIdentifier = Identifier(name: "")
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) }
        #expect(decoded.token == nil)
        #expect(decoded.description == nil)
        #expect(decoded.classificationIdentifier == Identifier())
    }

    @Test("fields an identifier message lacks are not sent")
    func identifierFields() throws {
        var command = CreateAchievement()
        command.classificationIdentifier = Identifier(id: "c1", number: "9", code: "X")
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) }
        #expect(decoded.classificationIdentifier == Identifier(id: "c1"))
    }

    @Test(
        "get and cancel lookups",
        arguments: [
            EventLookup(
                token: "t",
                customerEventIdentifier: CustomerEventIdentifier(id: "0123456789abcdef0123456789ABCDEF")
            ),
            EventLookup(
                token: "t",
                customerEventIdentifier: CustomerEventIdentifier(number: "42"),
                fieldsSet: ["id", "amount"]
            ),
            EventLookup(
                customerEventIdentifier: CustomerEventIdentifier(
                    externalSystemReferenceNumber: "R-9",
                    externalSystem: "POS"
                )
            ),
            EventLookup(token: "t", customerEventIdentifier: CustomerEventIdentifier()),
            EventLookup(),
        ]
    )
    func lookups(_ lookup: EventLookup) throws {
        let get = Fixtures.encode { lookup.encodeGet(appendingTo: &$0) }
        #expect(try get.withUnsafeBytes { try EventLookup(getPayload: $0) } == lookup)
        let cancel = Fixtures.encode { lookup.encodeCancel(appendingTo: &$0) }
        #expect(try cancel.withUnsafeBytes { try EventLookup(cancelPayload: $0) } == lookup)
        #expect(get == cancel)  // same field numbers
    }

    static var listQueries: [ListEvents] {
        var all = ListEvents()
        all.token = "t"
        all.accountsReceivableIdentifier = Identifier(number: "AR-001")
        all.classificationIdentifier = Identifier(alternativeCode: "PUR")
        all.lifeCycleState = .cancelled
        all.performedOnFrom = 0
        all.performedOnTo = 1_700_000_000_000
        all.pageSize = 1000
        all.pageToken = "opaque=="
        all.fieldsSet = ["id", "", "number"]
        var posted = ListEvents()
        posted.lifeCycleState = .posted
        posted.performedOnTo = -5
        return [all, posted, ListEvents()]
    }

    @Test("list queries", arguments: listQueries)
    func list(_ query: ListEvents) throws {
        let bytes = Fixtures.encode { query.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try ListEvents(payload: $0) } == query)
    }

    @Test("a bulk with several items keeps their order")
    func bulk() throws {
        var second = CreateAchievement()
        second.requestUniqueIdentifier = "req-2"
        second.amount = 12.5
        var third = CreateAchievement()
        third.requestUniqueIdentifier = "req-3"
        third.productIdentifier = Identifier()
        let bulk = CreateBulk(token: "tok", items: [Fixtures.fullCreate, second, third, CreateAchievement()])
        let bytes = Fixtures.encode { bulk.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateBulk(payload: $0) }
        #expect(decoded == bulk)
        #expect(
            try Fixtures.encode { CreateBulk().encode(appendingTo: &$0) }.withUnsafeBytes {
                try CreateBulk(payload: $0)
            } == CreateBulk()
        )
    }

    @Test("health request is empty and validates")
    func health() throws {
        let bytes = Fixtures.encode { encodeHealthRequest(appendingTo: &$0) }
        #expect(bytes.isEmpty)
        try bytes.withUnsafeBytes { try validateHealthRequest(payload: $0) }
        try validateHealthRequest(payload: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    @Test("encoders append after what the buffer holds")
    func appends() throws {
        var out: [UInt8] = [1, 2, 3]
        LoginCommand(release: "x").encode(appendingTo: &out)
        #expect(Array(out.prefix(3)) == [1, 2, 3])
        let decoded = try out.withUnsafeBytes { try LoginCommand(payload: UnsafeRawBufferPointer(rebasing: $0[3...])) }
        #expect(decoded == LoginCommand(release: "x"))
    }

    @Test("an empty payload is an empty request")
    func emptyPayload() throws {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(try CreateAchievement(payload: empty) == CreateAchievement())
        #expect(try LoginCommand(payload: empty) == LoginCommand())
        #expect(try ListEvents(payload: empty) == ListEvents())
    }
}
