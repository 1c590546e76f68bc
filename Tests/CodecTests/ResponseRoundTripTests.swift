import Codec
import Domain
import Testing

@Suite("Response round trips: server encoder → client decoder")
struct ResponseRoundTripTests {
    private func view(_ event: CustomerEvent, _ fields: FieldMask) throws -> EventView {
        let bytes = Fixtures.encode { event.encode(fields: fields, appendingTo: &$0) }
        #expect(bytes.count == event.encodedSize(fields: fields))
        return try bytes.withUnsafeBytes { try EventView(payload: $0) }
    }

    @Test("every field with FieldMask.all")
    func fullEvent() throws {
        #expect(try view(Fixtures.fullEvent, .all) == Fixtures.fullView)
    }

    @Test("an empty mask sends nothing")
    func emptyMask() throws {
        let bytes = Fixtures.encode { Fixtures.fullEvent.encode(fields: FieldMask(bits: 0), appendingTo: &$0) }
        #expect(bytes.isEmpty)
        #expect(try view(Fixtures.fullEvent, FieldMask(bits: 0)) == EventView())
    }

    @Test("a partial mask shows only the selected fields")
    func partialMask() throws {
        let mask = try FieldMask(fieldsSet: [
            "id", "amount", "udf_float_1", "classification", "award_reward_transactions_set",
        ])
        var expected = EventView()
        expected.id = Fixtures.fullView.id
        expected.amount = 0
        expected.udfFloats = [0, nil, nil, nil]
        expected.classification = Fixtures.fullView.classification
        expected.awardRewardTransactionsSet = Fixtures.fullView.awardRewardTransactionsSet
        #expect(try view(Fixtures.fullEvent, mask) == expected)
    }

    /// The view of `Fixtures.fullView` with only field number `n` kept.
    private static func only(_ n: Int) -> EventView {
        let full = Fixtures.fullView
        var v = EventView()
        switch n {
        case 1: v.id = full.id
        case 2: v.number = full.number
        case 3: v.type = full.type
        case 4: v.lifeCycleState = full.lifeCycleState
        case 5: v.performedOn = full.performedOn
        case 6: v.description = full.description
        case 7: break  // process_immediately: never filled
        case 8: v.paymentMediumIdentifier = full.paymentMediumIdentifier
        case 9: v.amount = full.amount
        case 10: v.externalSystem = full.externalSystem
        case 11: v.externalSystemReferenceNumber = full.externalSystemReferenceNumber
        case 12: v.totalAwardedAmount = full.totalAwardedAmount
        case 13: v.totalAwardedAlternativeAmount = full.totalAwardedAlternativeAmount
        case 14...21: v.udfStrings[n - 14] = full.udfStrings[n - 14]
        case 22...25: v.udfFloats[n - 22] = full.udfFloats[n - 22]
        case 26...29: v.udfDates[n - 26] = full.udfDates[n - 26]
        case 30: v.classification = full.classification
        case 31: v.accountsReceivable = full.accountsReceivable
        case 32: v.product = full.product
        case 33: v.paymentMediumType = full.paymentMediumType
        case 34: v.paymentMediumBrand = full.paymentMediumBrand
        case 35: v.performedByUnit = full.performedByUnit
        case 36: v.performedByBusinessUnit = full.performedByBusinessUnit
        case 37: v.performedByTap = full.performedByTap
        case 38: v.authorizedByAccessToken = full.authorizedByAccessToken
        case 39: v.logInformation = full.logInformation
        default: v.awardRewardTransactionsSet = full.awardRewardTransactionsSet
        }
        return v
    }

    @Test("one bit fills exactly its field", arguments: 1...40)
    func singleBit(_ n: Int) throws {
        #expect(try view(Fixtures.fullEvent, FieldMask(bits: 1 << UInt64(n))) == Self.only(n))
    }

    @Test("a bare event: absent optionals stay absent, totals 0, cancelled state")
    func bareEvent() throws {
        let user = ReferredObject(id: "u1")
        let event = CustomerEvent(
            id: EventID(high: 0, low: 0),
            number: 0,
            lifeCycleState: .cancelled,
            performedOn: 0,
            classification: ReferredObject(id: ""),
            accountsReceivable: ReferredObject(id: "a"),
            logInformation: LogInformation(createdDate: 0, updatedDate: 0, createdByUser: user, updatedByUser: user)
        )
        var expected = EventView()
        expected.id = "00000000000000000000000000000000"
        expected.number = "0"
        expected.type = "ACHIEVEMENT"
        expected.lifeCycleState = .cancelled
        expected.performedOn = 0
        expected.totalAwardedAmount = 0
        expected.totalAwardedAlternativeAmount = 0
        expected.classification = ReferredView()
        expected.accountsReceivable = ReferredView(id: "a")
        expected.logInformation = LogInformationView(
            createdDate: 0,
            updatedDate: 0,
            createdByUser: ReferredView(id: "u1"),
            updatedByUser: ReferredView(id: "u1")
        )
        #expect(try view(event, .all) == expected)
    }

    @Test("numbers and ids as text", arguments: [UInt64(0), 9, 10, 12_345, .max])
    func numbers(_ number: UInt64) throws {
        var event = Fixtures.fullEvent
        event.number = number
        event.id = EventID(high: number, low: ~number)
        let v = try view(event, FieldMask(bits: 0b110))
        #expect(v.number == number.description)
        #expect(v.id == event.id.description)
    }

    @Test("a list page with several events and a next-page token")
    func eventPage() throws {
        var second = Fixtures.fullEvent
        second.number = 43
        second.awardRewardTransactions = []
        let mask = try FieldMask(fieldsSet: ["number", "award_reward_transactions_set"])
        let bytes = Fixtures.encode {
            encodeEventPage(
                events: [Fixtures.fullEvent, second, Fixtures.fullEvent],
                fields: mask,
                nextPageToken: "next",
                appendingTo: &$0
            )
        }
        let page = try bytes.withUnsafeBytes { try EventPage(payload: $0) }
        #expect(page.nextPageToken == "next")
        #expect(page.events.map(\.number) == ["42", "43", "42"])
        #expect(page.events[0].awardRewardTransactionsSet?.count == 2)
        #expect(page.events[1].awardRewardTransactionsSet == nil)
        #expect(page.events[0].id == nil)
        let sizes = [Fixtures.fullEvent, second, Fixtures.fullEvent].map { $0.encodedSize(fields: mask) }
        let varintSize = { (n: Int) in n < 128 ? 1 : n < 16_384 ? 2 : 3 }
        #expect(bytes.count == sizes.reduce(0) { $0 + 1 + varintSize($1) + $1 } + 6)  // tag + length each; token field
        let empty = Fixtures.encode { encodeEventPage(events: [], fields: .all, nextPageToken: "", appendingTo: &$0) }
        #expect(empty.isEmpty)
        #expect(try empty.withUnsafeBytes { try EventPage(payload: $0) } == EventPage(events: [], nextPageToken: ""))
    }

    @Test(
        "login results",
        arguments: [
            LoginResult(token: "id.secret", expiresAt: 1_700_007_200_000), LoginResult(token: "", expiresAt: 0),
        ]
    )
    func login(_ result: LoginResult) throws {
        let bytes = Fixtures.encode { result.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try LoginResult(payload: $0) } == result)
    }

    @Test("health reports", arguments: [true, false])
    func health(_ serving: Bool) throws {
        let report = HealthReport(
            serving: serving,
            version: "1.0.0",
            uptimeMs: 12_345,
            events: .max,
            connections: 3,
            callsInFlight: 0,
            logBytes: 1 << 40,
            lastFsyncMicros: 250
        )
        let bytes = Fixtures.encode { report.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try HealthReport(payload: $0) } == report)
    }

    @Test("bulk results in input order")
    func bulk() throws {
        let result = BulkResult(
            processed: [
                .init(requestUniqueIdentifier: "r1", id: "0123456789abcdef0123456789abcdef", number: "1"),
                .init(requestUniqueIdentifier: "r3", id: "fedcba9876543210fedcba9876543210", number: "2"),
            ],
            unprocessed: [
                .init(
                    requestUniqueIdentifier: "r2",
                    errorCode: "INVALID_IDENTIFIER",
                    errorDescription: "Bad.",
                    violations: [Violation(field: "accounts_receivable_identifier", description: "Give one field.")],
                    status: 3
                ),
                .init(
                    requestUniqueIdentifier: "r2",
                    errorCode: "DUPLICATE",
                    errorDescription: "",
                    violations: [],
                    status: 0
                ),
            ]
        )
        let bytes = Fixtures.encode { result.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try BulkResult(payload: $0) } == result)
        #expect(
            try Fixtures.encode { BulkResult().encode(appendingTo: &$0) }.withUnsafeBytes {
                try BulkResult(payload: $0)
            } == BulkResult()
        )
    }

    @Test("a bulk result's encodedSize is the length of its encoding, for strings and statuses of every size class")
    func bulkEncodedSize() throws {
        var random = Fixtures.SplitMix(state: 0xB01C)
        func text() -> String { String(repeating: "é", count: [0, 1, 63, 64, 70, 8_200][Int(random.next() % 6)]) }
        for _ in 0..<200 {
            var result = BulkResult()
            for _ in 0..<(random.next() % 4) {
                result.processed.append(.init(requestUniqueIdentifier: text(), id: text(), number: text()))
            }
            for _ in 0..<(random.next() % 4) {
                let violations = (0..<(random.next() % 3)).map { _ in Violation(field: text(), description: text()) }
                let status = [0, 3, 127, 128, UInt32.max][Int(random.next() % 5)]
                result.unprocessed.append(.init(requestUniqueIdentifier: text(), errorCode: text(), errorDescription: text(),
                                                violations: violations, status: status))
            }
            let bytes = Fixtures.encode { result.encode(appendingTo: &$0) }
            #expect(result.encodedSize == bytes.count)
            #expect(try bytes.withUnsafeBytes { try BulkResult(payload: $0) } == result)
        }
    }

    @Test(
        "error payloads",
        arguments: [
            ErrorPayload(code: "TOKEN_EXPIRED", message: "The token has expired."),
            ErrorPayload(code: "", message: ""),
            ErrorPayload(
                code: "UNKNOWN_FIELD",
                message: "fields_set names a field the response does not have.",
                violations: [
                    Violation(field: "fields_set[0]", description: "Unknown field 'x'."),
                    Violation(field: "", description: ""),
                ]
            ),
        ]
    )
    func error(_ payload: ErrorPayload) throws {
        let bytes = Fixtures.encode { payload.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try ErrorPayload(payload: $0) } == payload)
    }
}
