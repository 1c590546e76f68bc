import Codec
import Domain
import Testing

/// Every decoder, by name, for the table-driven tests below.
enum PayloadDecoder: String, CaseIterable, Sendable {
    case login, create, get, cancel, list, bulk, health
    case event, loginResult, healthReport, bulkResult, page, error

    /// Decodes `bytes`, discarding the value.
    func decode(_ bytes: [UInt8]) throws(CodecError) {
        var thrown: CodecError?
        bytes.withUnsafeBytes { payload in
            do throws(CodecError) {
                switch self {
                case .login: _ = try LoginCommand(payload: payload)
                case .create: _ = try CreateAchievement(payload: payload)
                case .get: _ = try EventLookup(getPayload: payload)
                case .cancel: _ = try EventLookup(cancelPayload: payload)
                case .list: _ = try ListEvents(payload: payload)
                case .bulk: _ = try CreateBulk(payload: payload)
                case .health: try validateHealthRequest(payload: payload)
                case .event: _ = try EventView(payload: payload)
                case .loginResult: _ = try LoginResult(payload: payload)
                case .healthReport: _ = try HealthReport(payload: payload)
                case .bulkResult: _ = try BulkResult(payload: payload)
                case .page: _ = try EventPage(payload: payload)
                case .error: _ = try ErrorPayload(payload: payload)
                }
            } catch {
                thrown = error
            }
        }
        if let thrown { throw thrown }
    }
}

@Suite("Malformed payloads throw, never crash")
struct MalformedPayloadTests {
    static let validCreate = Fixtures.encode { Fixtures.fullCreate.encode(appendingTo: &$0) }
    static let validEvent = Fixtures.encode { Fixtures.fullEvent.encode(fields: .all, appendingTo: &$0) }
    static let validBulk = Fixtures.encode {
        CreateBulk(token: "t", items: [Fixtures.fullCreate, CreateAchievement()]).encode(appendingTo: &$0)
    }

    @Test(
        "every prefix decodes or throws",
        arguments: [
            (PayloadDecoder.create, validCreate), (PayloadDecoder.event, validEvent), (PayloadDecoder.bulk, validBulk),
            (PayloadDecoder.create, GoldenBytesTests.createRequest),
            (PayloadDecoder.event, GoldenBytesTests.customerEvent),
        ]
    )
    func prefixes(_ decoder: PayloadDecoder, _ bytes: [UInt8]) {
        var failures = 0
        for length in 0...bytes.count {
            do throws(CodecError) {
                try decoder.decode(Array(bytes.prefix(length)))
            } catch {
                #expect(error == .malformedPayload)
                failures += 1
            }
        }
        #expect(failures > 0)
        #expect(throws: Never.self) { try decoder.decode(bytes) }
    }

    @Test("random garbage throws or decodes", arguments: PayloadDecoder.allCases)
    func garbage(_ decoder: PayloadDecoder) {
        var random = Fixtures.SplitMix(state: 0xC0DEC)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...96, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? decoder.decode(bytes)
        }
    }

    @Test("every single-byte mutation of a valid create throws or decodes")
    func mutations() {
        var random = Fixtures.SplitMix(state: 7)
        for index in Self.validCreate.indices {
            var bytes = Self.validCreate
            bytes[index] = UInt8.random(in: 0...255, using: &random)
            _ = try? PayloadDecoder.create.decode(bytes)
            _ = try? PayloadDecoder.bulk.decode(
                [0x12] + [UInt8(bytes.count & 0x7F | 0x80), UInt8(bytes.count >> 7)] + bytes
            )
        }
    }

    @Test(
        "a string holding U+0000 is INVALID_STRING naming its field (protobuf-c would cut it)",
        arguments: [
            (PayloadDecoder.create, [0x72, 0x03, 0x61, 0x00, 0x62] as [UInt8], "description"),
            (PayloadDecoder.create, [0x0A, 0x01, 0x00], "token"),
            (PayloadDecoder.create, [0x12, 0x05, 0x1A, 0x03, 0x61, 0x62, 0x00], "accounts_receivable_identifier.name"),
            (PayloadDecoder.create, [0x9A, 0x02, 0x01, 0x61, 0x9A, 0x02, 0x01, 0x00], "fields_set[1]"),
            (PayloadDecoder.create, [0x12, 0x06, 0x22, 0x04, 0x1A, 0x02, 0x61, 0x00], "accounts_receivable_identifier.access_token_identifier.pass_code"),
            (PayloadDecoder.login, [0x0A, 0x02, 0x00, 0x61], "username"),
            (PayloadDecoder.get, [0x12, 0x04, 0x0A, 0x02, 0x61, 0x00], "customer_event_identifier.id"),
            (PayloadDecoder.list, [0x42, 0x02, 0x00, 0x00], "page_token"),
            // life_cycle_state -1 in 5 bytes (protobuf-c repacks it in 10): the 5 bytes the cut
            // page_token loses are made up, so the repacked size alone would not tell
            (PayloadDecoder.list, [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x42, 0x07, 0x61, 0x62, 0x00, 0x63, 0x64, 0x65, 0x66], "page_token"),
            (PayloadDecoder.event, [0x0A, 0x02, 0x61, 0x00], "id"),
            (PayloadDecoder.event, [0xC2, 0x02, 0x06, 0x3A, 0x04, 0x12, 0x02, 0x61, 0x00], "award_reward_transactions_set[0].reward_offer.name"),
            (PayloadDecoder.error, [0x0A, 0x02, 0x61, 0x00], "code"),
            (PayloadDecoder.error, [0x1A, 0x03, 0x0A, 0x01, 0x00], "violations[0].field"),
        ]
    )
    func nul(_ decoder: PayloadDecoder, _ bytes: [UInt8], _ field: String) {
        #expect(throws: CodecError.invalidString(field: field)) { try decoder.decode(bytes) }
    }

    @Test(
        "valid encodings that are not canonical decode as the canonical one does",
        arguments: [
            // token twice: the last wins
            (PayloadDecoder.create, [0x0A, 0x01, 0x61, 0x0A, 0x01, 0x62] as [UInt8], [0x0A, 0x01, 0x62] as [UInt8]),
            (PayloadDecoder.create, [0x68, 0x80, 0x00], [0x68, 0x00]),  // performed_on 0 as an overlong varint
            (PayloadDecoder.create, [0x0A, 0x00, 0x72, 0x00], []),  // token and description "" written out
            (PayloadDecoder.list, [0x38, 0x00], []),  // page_size 0 written out
            (PayloadDecoder.create, [0x12, 0x00, 0x12, 0x00], [0x12, 0x00]),  // accounts_receivable_identifier twice (merged)
            // accounts_receivable_identifier {name "a"} then {number "b"}: merged into one with both
            (PayloadDecoder.create, [0x12, 0x03, 0x1A, 0x01, 0x61, 0x12, 0x03, 0x12, 0x01, 0x62], [0x12, 0x06, 0x12, 0x01, 0x62, 0x1A, 0x01, 0x61]),
        ]
    )
    func nonCanonical(_ decoder: PayloadDecoder, _ bytes: [UInt8], _ canonical: [UInt8]) throws {
        try decoder.decode(bytes)
        if decoder == .create {
            let decoded = try bytes.withUnsafeBytes { payload throws(CodecError) in try CreateAchievement(payload: payload) }
            #expect(decoded == (try canonical.withUnsafeBytes { payload throws(CodecError) in try CreateAchievement(payload: payload) }))
        }
    }

    @Test("unknown fields are accepted (forward compatibility)")
    func unknownFields() throws {
        let bytes: [UInt8] = [0xB8, 0x3E, 0x01, 0x0A, 0x01, 0x61]  // field 999 varint 1, then token "a"
        var expected = CreateAchievement()
        expected.token = "a"
        #expect(try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) } == expected)
        try PayloadDecoder.health.decode([0x08, 0x01])
    }

    @Test(
        "invalid UTF-8 names its field",
        arguments: [
            (
                PayloadDecoder.create, [0x12, 0x04, 0x1A, 0x02, 0xC3, 0x28] as [UInt8],
                "accounts_receivable_identifier.name"
            ),
            (PayloadDecoder.create, [0x72, 0x02, 0xC3, 0x28], "description"),
            (
                PayloadDecoder.create, [0x12, 0x06, 0x22, 0x04, 0x1A, 0x02, 0xC3, 0x28],
                "accounts_receivable_identifier.access_token_identifier.pass_code"
            ),
            (PayloadDecoder.create, [0x9A, 0x02, 0x01, 0x61, 0x9A, 0x02, 0x01, 0xFF], "fields_set[1]"),
            (PayloadDecoder.create, [0xB2, 0x01, 0x03, 0xED, 0xA0, 0x80], "udf_string_4"),  // a UTF-16 surrogate
            (PayloadDecoder.login, [0x22, 0x04, 0x12, 0x02, 0xC3, 0x28], "unit.name"),
            (PayloadDecoder.get, [0x12, 0x04, 0x0A, 0x02, 0xC3, 0x28], "customer_event_identifier.id"),
            (PayloadDecoder.cancel, [0x1A, 0x02, 0xC3, 0x28], "fields_set[0]"),
            (PayloadDecoder.list, [0x42, 0x02, 0xC3, 0x28], "page_token"),
            (PayloadDecoder.event, [0xFA, 0x01, 0x04, 0x1A, 0x02, 0xC3, 0x28], "accounts_receivable.name"),
            (
                PayloadDecoder.event, [0xC2, 0x02, 0x06, 0x3A, 0x04, 0x12, 0x02, 0xC3, 0x28],
                "award_reward_transactions_set[0].reward_offer.name"
            ),
            (
                PayloadDecoder.page, [0x0A, 0x00, 0x0A, 0x05, 0xBA, 0x02, 0x02, 0x1A, 0x00, 0x12, 0x01, 0xFF],
                "next_page_token"
            ),
            (
                PayloadDecoder.page, [0x0A, 0x00, 0x0A, 0x08, 0xBA, 0x02, 0x05, 0x1A, 0x03, 0x12, 0x01, 0xFF],
                "events[1].log_information.created_by_user.username"
            ),
            (PayloadDecoder.error, [0x1A, 0x03, 0x0A, 0x01, 0xFF], "violations[0].field"),
            (
                PayloadDecoder.bulkResult, [0x12, 0x07, 0x22, 0x03, 0x12, 0x01, 0xFF, 0x28, 0x03],
                "unprocessed_customer_events_set[0].violations[0].description"
            ),
        ]
    )
    func invalidUTF8(_ decoder: PayloadDecoder, _ bytes: [UInt8], _ field: String) {
        #expect(throws: CodecError.invalidString(field: field)) { try decoder.decode(bytes) }
    }

    @Test("a bulk item with a string holding U+0000 or invalid UTF-8 is unreadable alone, the others decode (SPEC §3); such a token fails the call")
    func bulkUnreadableItems() throws {
        let bytes: [UInt8] = [
            0x0A, 0x01, 0x74,  // token "t"
            0x12, 0x00,  // items[0]: empty, readable
            0x12, 0x04, 0x72, 0x02, 0x00, 0x61,  // items[1]: description "\0a"
            0x12, 0x06, 0x5A, 0x04, 0x12, 0x02, 0xC0, 0x80,  // items[2]: performed_by_unit_identifier.name, overlong UTF-8
            0x12, 0x08, 0xA2, 0x02, 0x01, 0x6B, 0x72, 0x02, 0xC3, 0x28,  // items[3]: key "k", description not UTF-8
            0x12, 0x05, 0xA2, 0x02, 0x02, 0x6B, 0x00,  // items[4]: key "k\0"
            0x12, 0x0A, 0x72, 0x02, 0x00, 0x61, 0xA2, 0x02, 0x03, 0x6A, 0x00, 0x78,  // items[5]: description "\0a", then key "j\0x"
        ]
        let bulk = try bytes.withUnsafeBytes { try CreateBulk(payload: $0) }
        #expect(bulk.token == "t" && bulk.items.count == 6 && bulk.items[0] == CreateAchievement())
        #expect(bulk.unreadable.keys.sorted() == [1, 2, 3, 4, 5])
        #expect(bulk.unreadable.values.allSatisfy { $0.code == "INVALID_STRING" && $0.kind == .invalidArgument })
        #expect(bulk.unreadable[1]?.violations.map(\.field) == ["items[1].description"])
        #expect(bulk.unreadable[2]?.violations.map(\.field) == ["items[2].performed_by_unit_identifier.name"])
        #expect(bulk.unreadable[3]?.violations.map(\.field) == ["items[3].description"])
        #expect(bulk.unreadable[4]?.violations.map(\.field) == ["items[4].request_unique_identifier"])
        #expect(bulk.items[3].requestUniqueIdentifier == "k" && bulk.items[4].requestUniqueIdentifier == nil)
        #expect(bulk.unreadable[5]?.violations.map(\.field) == ["items[5].description"] && bulk.items[5].requestUniqueIdentifier == nil)
        #expect(throws: CodecError.invalidString(field: "token")) { try PayloadDecoder.bulk.decode([0x0A, 0x02, 0x61, 0x00, 0x12, 0x00]) }
        #expect(throws: CodecError.invalidString(field: "token")) { try PayloadDecoder.bulk.decode([0x0A, 0x01, 0xFF, 0x12, 0x00]) }
        #expect(throws: CodecError.malformedPayload) { try PayloadDecoder.bulk.decode([0x12, 0x05, 0x72, 0x09, 0x00]) }  // a cut item
    }

    @Test("enum values: 0 and unknown read as nil")
    func enums() throws {
        #expect(
            try ([0x20, 0x02] as [UInt8]).withUnsafeBytes { try ListEvents(payload: $0) }.lifeCycleState == .cancelled
        )
        #expect(try ([0x20, 0x07] as [UInt8]).withUnsafeBytes { try ListEvents(payload: $0) }.lifeCycleState == nil)
        #expect(try [UInt8]().withUnsafeBytes { try ListEvents(payload: $0) }.lifeCycleState == nil)
        let event: [UInt8] = [0x18, 0x05, 0x20, 0x00, 0x38, 0x01]  // type 5, life_cycle_state 0, process_immediately
        let view = try event.withUnsafeBytes { try EventView(payload: $0) }
        #expect(view.type == nil)
        #expect(view.lifeCycleState == nil)
        #expect(view.processImmediately == true)
        #expect(try ([0x08, 0x02] as [UInt8]).withUnsafeBytes { try HealthReport(payload: $0) }.serving == false)
    }

    @Test("CodecError names and codes")
    func errors() {
        #expect(CodecError.malformedPayload.code == "MALFORMED_PAYLOAD")
        #expect(CodecError.malformedPayload.field == nil)
        #expect(CodecError.invalidString(field: "items[2].description").code == "INVALID_STRING")
        #expect(CodecError.invalidString(field: "items[2].description").field == "items[2].description")
    }
}
