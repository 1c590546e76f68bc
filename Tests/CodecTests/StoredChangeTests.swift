import Codec
import Domain
import Testing

/// One created event to round-trip, named for the test report.
struct StoredEventCase: Sendable, CustomTestStringConvertible {
    var name: String
    var event: CustomerEvent
    var testDescription: String { name }
}

/// One cancel record to round-trip.
struct StoredCancelCase: Sendable, CustomTestStringConvertible {
    var name: String
    var id: EventID
    var at: Milliseconds
    var by: ReferredObject
    var testDescription: String { name }
}

@Suite("Stored changes: write-ahead log bodies (storage.proto)")
struct StoredChangeTests {
    // MARK: - Helpers

    static func encoded(_ value: StoredChangeValue) -> [UInt8] {
        Fixtures.encode { value.encode(appendingTo: &$0) }
    }

    static func decoded(_ bytes: [UInt8]) throws(CodecError) -> StoredChangeValue {
        var result: Result<StoredChangeValue, CodecError> = .failure(.malformedPayload)
        bytes.withUnsafeBytes { payload in
            do throws(CodecError) {
                result = .success(try StoredChangeValue(payload: payload))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// The error decoding `bytes` throws, or nil (after recording an issue) when it decodes.
    static func thrown(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> CodecError? {
        do throws(CodecError) {
            _ = try decoded(bytes)
            Issue.record("expected the record to be rejected", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    static func varint(_ value: Int) -> [UInt8] {
        var v = UInt64(value)
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    /// A length-delimited field `number` holding `body`.
    static func field(_ number: Int, _ body: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(body.count) + body
    }

    /// A `created` record around a CustomerEvent payload built by hand (`StoredEvent.event`, no promo code).
    static func createdRecord(eventPayload: [UInt8]) -> [UInt8] {
        field(1, field(1, eventPayload))
    }

    /// `event` as a `created` record holding only the CustomerEvent fields `mask` selects.
    static func createdRecord(_ event: CustomerEvent, mask: FieldMask) -> [UInt8] {
        createdRecord(eventPayload: Fixtures.encode { event.encode(fields: mask, appendingTo: &$0) })
    }

    /// `bytes` with the first occurrence of `pattern` replaced by `replacement` (same length).
    static func replacing(_ pattern: String, with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        let needle = Array(pattern.utf8)
        precondition(needle.count == replacement.count)
        for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
            var copy = bytes
            copy.replaceSubrange(start..<start + needle.count, with: replacement)
            return copy
        }
        Issue.record("pattern \(pattern) not found")
        return bytes
    }

    // MARK: - Fixtures

    static let user = ReferredObject(id: "70000000000000000000000000000001", name: "alice")

    /// Only what every event has.
    static var minimalEvent: CustomerEvent {
        CustomerEvent(
            id: EventID(high: 1, low: 2),
            number: 1,
            performedOn: 1_700_000_000_000,
            classification: ReferredObject(id: "c1", name: "Purchase", alternativeCode: "PUR"),
            accountsReceivable: ReferredObject(id: "a1", number: "AR-001", name: "Jane", lifeCycleState: "ACTIVE"),
            logInformation: LogInformation(createdDate: 5, updatedDate: 5, createdByUser: user, updatedByUser: user)
        )
    }

    /// Every optional part present, holding zeros, empties and extremes.
    static var edgeEvent: CustomerEvent {
        var e = Fixtures.fullEvent
        e.id = EventID(high: .max, low: .max)
        e.number = .max
        e.performedOn = .min
        e.description = ""
        e.paymentMediumIdentifier = ""
        e.amount = -.infinity
        e.externalSystem = ""
        e.externalSystemReferenceNumber = "Ünïcødé 🎉 " + String(repeating: "x", count: 5000)
        e.userDefinedFields = UserDefinedFields(
            strings: ["", "ß", "", "", "", "", "", ""],
            floats: [0, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude],
            dates: [0, .min, .max, -1]
        )
        e.authorizedByAccessToken = ReferredObject(
            id: "at1",
            number: "AT-1",
            lifeCycleState: "EFFECTIVE",
            authenticationCode: "AUTH",
            identifier: "card-7",
            classification: ReferredObject(id: "")  // present with every field empty
        )
        e.logInformation = LogInformation(
            createdDate: .min,
            updatedDate: .max,
            createdByUser: ReferredObject(id: ""),
            updatedByUser: ReferredObject(id: "u2", name: "")
        )
        e.awardRewardTransactions = (0..<20).map { (index: Int) -> AwardTransaction in
            let even = index.isMultiple(of: 2)
            let amount: Double = even ? 0 : Double(index) * 1.01
            let expiration: Milliseconds? = even ? nil : Milliseconds(index) * 86_400_000 - 1
            let offer: ReferredObject = index == 0 ? ReferredObject(id: "") : Fixtures.offer
            return AwardTransaction(
                id: EventID(high: 0, low: UInt64(index)),
                number: UInt64(index),
                lifeCycleState: index.isMultiple(of: 3) ? .cancelled : .posted,
                amount: amount,
                alternativeAmount: -Double(index),
                expirationDate: expiration,
                rewardOffer: offer
            )
        }
        e.promoCode = "P"
        return e
    }

    /// Only the UDF floats and dates, and only the last string: the arrays stay 8/4/4.
    static var sparseUDFEvent: CustomerEvent {
        var e = minimalEvent
        e.userDefinedFields = UserDefinedFields(
            strings: [nil, nil, nil, nil, nil, nil, nil, "last"],
            floats: [nil, nil, nil, nil],
            dates: [nil, nil, nil, 0]
        )
        return e
    }

    static var cancelledFull: CustomerEvent {
        (try? Fixtures.fullEvent.cancelled(now: 1_900_000_000_000, by: user).get()) ?? Fixtures.fullEvent
    }

    static let eventCases: [StoredEventCase] = [
        StoredEventCase(name: "full", event: Fixtures.fullEvent),
        StoredEventCase(name: "full, cancelled", event: cancelledFull),
        StoredEventCase(name: "minimal", event: minimalEvent),
        StoredEventCase(
            name: "minimal, cancelled",
            event: {
                var e = minimalEvent
                e.lifeCycleState = .cancelled
                return e
            }()
        ),
        StoredEventCase(name: "edge values", event: edgeEvent),
        StoredEventCase(name: "sparse UDFs", event: sparseUDFEvent),
        StoredEventCase(name: "zero id and number", event: {
            var e = minimalEvent
            (e.id, e.number, e.performedOn) = (EventID(high: 0, low: 0), 0, 0)
            return e
        }()),
        StoredEventCase(name: "access token without classification", event: {
            var e = Fixtures.fullEvent
            e.authorizedByAccessToken = ReferredObject(id: "at2", number: "AT-2", lifeCycleState: "EFFECTIVE")
            e.promoCode = nil
            return e
        }()),
    ]

    // MARK: - Round trips

    @Test("a created event round-trips ==, and re-encodes to the same bytes", arguments: eventCases)
    func createdRoundTrip(_ c: StoredEventCase) throws {
        let bytes = Self.encoded(.created(c.event))
        let value = try Self.decoded(bytes)
        #expect(value == .created(c.event))
        guard case .created(let event) = value else { return }
        // Field by field, for a readable failure.
        #expect(event.id == c.event.id && event.number == c.event.number)
        #expect(event.userDefinedFields == c.event.userDefinedFields)
        #expect(event.authorizedByAccessToken == c.event.authorizedByAccessToken)
        #expect(event.awardRewardTransactions == c.event.awardRewardTransactions)
        #expect(event.logInformation == c.event.logInformation)
        #expect(event.promoCode == c.event.promoCode)
        #expect(Self.encoded(value) == bytes)
    }

    /// The shared objects of `event` (its set's members, users and reward offers), in order,
    /// each instance once: the log table a logged record of it is decoded against.
    static func tableObjects(_ e: CustomerEvent) -> [ReferredObject] {
        let f = e.referred.fields
        let all = [f.classification, f.accountsReceivable, f.product, f.paymentMediumType, f.paymentMediumBrand, f.performedByUnit,
                   f.performedByBusinessUnit, f.performedByTap, f.authorizedByAccessToken].compactMap { $0 }
            + [e.logInformation.createdByUser, e.logInformation.updatedByUser] + e.awardRewardTransactions.map(\.rewardOffer)
        var unique: [ReferredObject] = []
        for object in all where !unique.contains(where: { $0 === object }) { unique.append(object) }
        return unique
    }

    /// `event` as a logged record against `tableObjects(event)` and its own set (number 0).
    static func logged(_ e: CustomerEvent) -> (bytes: [UInt8], objects: [ReferredObject]) {
        let objects = tableObjects(e)
        func number(_ o: ReferredObject) -> UInt32 { UInt32(objects.firstIndex { $0 === o }!) }
        let bytes = Fixtures.encode {
            StoredChangeValue.encodeLogged(
                e, set: 0, createdBy: number(e.logInformation.createdByUser), updatedBy: number(e.logInformation.updatedByUser),
                offers: e.awardRewardTransactions.map { number($0.rewardOffer) }[...], appendingTo: &$0)
        }
        return (bytes, objects)
    }

    /// `bytes` decoded against a log table of `objects` and `sets`.
    static func decoded(_ bytes: [UInt8], objects: [ReferredObject?], sets: [ReferredSet?]) throws(CodecError) -> StoredChangeValue {
        let result = bytes.withUnsafeBytes { raw in
            objects.withUnsafeBufferPointer { o in
                sets.withUnsafeBufferPointer { s in Result { () throws(CodecError) in try StoredChangeValue(payload: raw, objects: o, sets: s) } }
            }
        }
        return try result.get()
    }

    @Test("a logged event round-trips ==, its shared objects the table's very instances", arguments: loggedCases)
    func loggedRoundTrip(_ c: StoredEventCase) throws {
        let (bytes, objects) = Self.logged(c.event)
        let value = try Self.decoded(bytes, objects: objects, sets: [c.event.referred])
        guard case .created(let event) = value else { Issue.record("not a created change"); return }
        #expect(event == c.event)
        #expect(event.extras == c.event.extras)
        #expect(event.awardRewardTransactions.map(\.expirationDate) == c.event.awardRewardTransactions.map(\.expirationDate))
        #expect(event.referred === c.event.referred)
        #expect(event.logInformation.createdByUser === c.event.logInformation.createdByUser)
        for (award, original) in zip(event.awardRewardTransactions, c.event.awardRewardTransactions) {
            #expect(award.rewardOffer === original.rewardOffer)
        }
        #expect(Self.logged(event).bytes == bytes)
        #expect(repackedByProtobufC(bytes) == bytes, "protobuf-c packs the same message to other bytes")
        #expect(bytes.count < Self.encoded(.created(c.event)).count)
    }

    @Test("a logged event with every part is under half its full record (what the disk holds and replay reads)")
    func loggedSize() {
        let full = Self.encoded(.created(Fixtures.fullEvent)).count
        let logged = Self.logged(Fixtures.fullEvent).bytes.count
        #expect(logged * 2 < full, "logged \(logged) bytes, full \(full)")
    }

    /// Events whose promo code is absent, empty or long, whose size needs 1- to 3-byte lengths,
    /// and whose award expires at 0 (which the full format cannot keep).
    static let loggedCases: [StoredEventCase] = eventCases + [
        StoredEventCase(name: "promo code of 300 bytes", event: {
            var e = minimalEvent
            e.promoCode = String(repeating: "p", count: 300)
            return e
        }()),
        StoredEventCase(name: "event of 20 000 bytes", event: {
            var e = Fixtures.fullEvent
            e.description = String(repeating: "d", count: 20_000)
            return e
        }()),
        StoredEventCase(name: "award expiring at 0, negative times", event: {
            var e = Fixtures.fullEvent
            e.awardRewardTransactions[0].expirationDate = 0
            e.performedOn = -5
            e.logInformation.createdDate = -1
            return e
        }()),
    ]

    @Test("the logged event golden bytes: fields in number order, proto3 defaults omitted")
    func loggedGolden() throws {
        let user = ReferredObject(id: "u", name: "n")
        let set = ReferredSet(classification: user, accountsReceivable: user, product: nil, paymentMediumType: nil, paymentMediumBrand: nil,
                              performedByUnit: nil, performedByBusinessUnit: nil, performedByTap: nil, authorizedByAccessToken: nil)
        let event = CustomerEvent(
            id: EventID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), number: 300, lifeCycleState: .posted, performedOn: 1,
            amount: 0, externalSystem: "", externalSystemReferenceNumber: nil,
            logInformation: LogInformation(createdDate: 0, updatedDate: 2, createdByUser: user, updatedByUser: user),
            awardRewardTransactions: [], referred: set, extras: nil)
        let bytes = Fixtures.encode {
            StoredChangeValue.encodeLogged(event, set: 0, createdBy: 0, updatedBy: 1, offers: [], appendingTo: &$0)
        }
        let expected: [UInt8] = [0x1A, 40,  // StoredChange.event
                                 0x0A, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,  // id
                                 0x10, 0xAC, 0x02,  // number 300
                                 0x18, 1,  // POSTED
                                 0x20, 1,  // performed_on
                                 0x29, 0, 0, 0, 0, 0, 0, 0, 0,  // amount 0, present
                                 0x32, 0,  // external_system "", present
                                 0x50, 2,  // updated_date
                                 0x60, 1]  // updated_by
        #expect(bytes == expected)
        let value = try Self.decoded(bytes, objects: [user, user], sets: [set])
        #expect(value == .created(event))
    }

    @Test("a logged event naming a number outside the table is MALFORMED_PAYLOAD naming the field")
    func loggedOutsideTable() throws {
        let e = Fixtures.fullEvent
        let (bytes, objects) = Self.logged(e)
        func field(_ objects: [ReferredObject], _ sets: [ReferredSet]) -> String? {
            do {
                _ = try Self.decoded(bytes, objects: objects, sets: sets)
                return nil
            } catch {
                #expect(error.code == CodecError.malformedPayloadCode)
                return error.field
            }
        }
        #expect(field(objects, []) == "referred")
        let offer = objects.firstIndex { $0 === e.awardRewardTransactions[1].rewardOffer }!
        #expect(field(Array(objects.prefix(offer)), [e.referred]) == "awards[0].reward_offer")
        #expect(try Self.decoded(bytes, objects: objects, sets: [e.referred]) == .created(e))
    }

    static let definitionCases: [StoredDefinitionValue] = [
        .object(number: 0, Fixtures.fullEvent.classification),
        .object(number: 7, Fixtures.fullEvent.authorizedByAccessToken!),
        .object(number: 1 << 31, ReferredObject(id: "x", number: "1", name: "n", code: "c", alternativeCode: "a", description: "d",
                                                lifeCycleState: "ACTIVE", authenticationCode: "ac", identifier: "i")),
        .set(number: 0, members: [0, 1, nil, nil, nil, nil, nil, nil, nil]),
        .set(number: 12, members: [3, 4, 5, 6, 7, 8, 9, 10, 1_000_000]),
    ]

    @Test("a definition round-trips ==", arguments: definitionCases.indices)
    func definitionRoundTrip(_ index: Int) throws {
        let definition = Self.definitionCases[index]
        let bytes = Fixtures.encode { definition.encode(appendingTo: &$0) }
        #expect(try bytes.withUnsafeBytes { try StoredDefinitionValue(payload: $0) } == definition)
    }

    @Test("a set definition without nine members, a classification or an account is MALFORMED_PAYLOAD",
          arguments: [[1, 2, 0, 0, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0], []] as [[UInt8]])
    func badSetDefinition(_ members: [UInt8]) {
        // StoredDefinition { set (3) { members (1, packed) } }
        let packed: [UInt8] = [0x0A, UInt8(members.count)] + members
        let bytes: [UInt8] = [0x1A, UInt8(packed.count)] + packed
        #expect(throws: CodecError.self) { try bytes.withUnsafeBytes { try StoredDefinitionValue(payload: $0) } }
        #expect((try? bytes.withUnsafeBytes { try StoredDefinitionValue(payload: $0) }) == nil)
    }

    @Test("encodeCreated is encode(.created)")
    func encodeCreatedShortcut() {
        let event = Fixtures.fullEvent
        let direct = Fixtures.encode { StoredChangeValue.encodeCreated(event, appendingTo: &$0) }
        #expect(direct == Self.encoded(.created(event)))
    }

    @Test("encode appends after what the buffer holds")
    func appends() throws {
        var out: [UInt8] = [9, 9, 9]
        StoredChangeValue.created(Self.minimalEvent).encode(appendingTo: &out)
        #expect(Array(out.prefix(3)) == [9, 9, 9])
        #expect(try Self.decoded(Array(out.dropFirst(3))) == .created(Self.minimalEvent))
    }

    @Test("an award expiring at 0 reads back as never expiring: 0 is the wire's none")
    func expirationZeroIsNone() throws {
        var event = Self.minimalEvent
        event.awardRewardTransactions = [
            AwardTransaction(
                id: EventID(high: 0, low: 1), number: 1, lifeCycleState: .posted, amount: 1, alternativeAmount: 10,
                expirationDate: 0, rewardOffer: Fixtures.offer
            )
        ]
        guard case .created(let back) = try Self.decoded(Self.encoded(.created(event))) else {
            Issue.record("not a created record")
            return
        }
        #expect(back.awardRewardTransactions[0].expirationDate == nil)
    }

    @Test("an empty promo code reads back as nil (the Domain never stores one)")
    func emptyPromoCode() throws {
        var event = Self.minimalEvent
        event.promoCode = ""
        guard case .created(let back) = try Self.decoded(Self.encoded(.created(event))) else {
            Issue.record("not a created record")
            return
        }
        #expect(back.promoCode == nil)
    }

    static let cancelCases: [StoredCancelCase] = [
        StoredCancelCase(name: "typical", id: EventID(high: 0xABCD, low: 0x1234), at: 1_900_000_000_000, by: user),
        StoredCancelCase(name: "zeros", id: EventID(high: 0, low: 0), at: 0, by: ReferredObject(id: "")),
        StoredCancelCase(
            name: "extremes",
            id: EventID(high: .max, low: .max),
            at: .min,
            by: ReferredObject(id: "u", name: "")
        ),
        StoredCancelCase(
            name: "latest",
            id: EventID(high: 1, low: 0),
            at: .max,
            by: ReferredObject(id: "", name: "naïve")
        ),
    ]

    @Test("a cancel record round-trips ==", arguments: cancelCases)
    func cancelRoundTrip(_ c: StoredCancelCase) throws {
        let value = StoredChangeValue.cancelled(id: c.id, at: c.at, by: c.by)
        let bytes = Self.encoded(value)
        #expect(try Self.decoded(bytes) == value)
        let direct = Fixtures.encode {
            StoredChangeValue.encodeCancelled(id: c.id, at: c.at, by: c.by, appendingTo: &$0)
        }
        #expect(direct == bytes)
    }

    @Test("the cancel golden bytes")
    func cancelGolden() {
        let value = StoredChangeValue.cancelled(
            id: EventID(high: 0, low: 0xFF),
            at: 1,
            by: ReferredObject(id: "u1", name: "bo")
        )
        let expected = Fixtures.bytes(
            "12 2e 0a 20" + String(repeating: "30", count: 30) + "6666" + " 10 01 1a 08 0a 02 7531 12 02 626f"
        )
        #expect(Fixtures.hex(Self.encoded(value)) == Fixtures.hex(expected))
    }

    @Test("a record unpacking to more than its block's estimate decodes (malloc fallback)", arguments: [60, 1000])
    func unpackFallback(_ count: Int) throws {
        // Awards of ~44 wire bytes that unpack to ~210 bytes each: over the 4× estimate.
        var event = Self.minimalEvent
        event.awardRewardTransactions = (0..<count).map { index in
            AwardTransaction(
                id: EventID(high: 0, low: UInt64(index)), number: 1, lifeCycleState: .posted, amount: 0,
                alternativeAmount: 0, expirationDate: nil, rewardOffer: ReferredObject(id: "")
            )
        }
        let bytes = Self.encoded(.created(event))
        #expect(try Self.decoded(bytes) == .created(event))
        // Failure paths with fallback allocations: unpack fails (truncated); unpack succeeds but
        // the record is refused after it (the first award's state replaced by a second, merged
        // reward offer: an award without a state).
        #expect(Self.thrown(Array(bytes.dropLast()))?.code == CodecError.malformedPayloadCode)
        let merged = Self.replacing("\u{18}\u{01}:\u{00}", with: [0x3A, 0x00, 0x3A, 0x00], in: bytes)
        #expect(Self.thrown(merged)?.field == "award_reward_transactions_set[0].life_cycle_state")
    }

    // MARK: - Events built by the Domain from a catalog

    @Test(
        "events the Domain builds from a catalog, then cancels, round-trip ==",
        arguments: MiniCatalog.commands.indices
    )
    func catalogBuilt(_ index: Int) throws {
        var event = try AchievementRules.prepare(
            MiniCatalog.commands[index],
            catalog: MiniCatalog.index,
            context: MiniCatalog.context
        ).get()
        // What the store assigns.
        (event.id, event.number) = (EventID(high: 0xE, low: UInt64(index)), 1000 + UInt64(index))
        for i in event.awardRewardTransactions.indices {
            event.awardRewardTransactions[i].id = EventID(high: 0xA, low: UInt64(i))
            event.awardRewardTransactions[i].number = 2000 + UInt64(i)
        }
        #expect(try Self.decoded(Self.encoded(.created(event))) == .created(event))
        let cancelled = try event.cancelled(now: MiniCatalog.now + 1, by: MiniCatalog.user).get()
        #expect(try Self.decoded(Self.encoded(.created(cancelled))) == .created(cancelled))
    }

    @Test("the catalog commands exercise every referred object and award kind")
    func catalogCoverage() throws {
        let events = try MiniCatalog.commands.map {
            try AchievementRules.prepare($0, catalog: MiniCatalog.index, context: MiniCatalog.context).get()
        }
        #expect(events.contains { $0.authorizedByAccessToken?.classification != nil })
        #expect(events.contains { $0.product != nil && $0.performedByUnit != nil && $0.performedByTap != nil })
        #expect(events.contains { $0.paymentMediumType != nil && $0.paymentMediumBrand != nil })
        #expect(events.contains { $0.userDefinedFields != nil && $0.promoCode != nil })
        let awards = events.flatMap(\.awardRewardTransactions)
        #expect(awards.contains { $0.expirationDate != nil } && awards.contains { $0.expirationDate == nil })
    }

    // MARK: - Rejected records

    static let requiredFields: [(Int, String)] = [
        (1, "id"), (2, "number"), (4, "life_cycle_state"), (5, "performed_on"), (30, "classification"),
        (31, "accounts_receivable"), (39, "log_information"),
    ]

    @Test("a created event without a required part is MALFORMED_PAYLOAD naming it", arguments: requiredFields)
    func missingRequired(_ number: Int, _ name: String) {
        let mask = FieldMask(bits: FieldMask.all.bits & ~(1 << UInt64(number)))
        let error = Self.thrown(Self.createdRecord(Fixtures.fullEvent, mask: mask))
        #expect(error?.code == CodecError.malformedPayloadCode)
        #expect(error?.field == name)
    }

    @Test("the response shape (FieldMask.all, no promo code) decodes as a stored event")
    func responseShapeDecodes() throws {
        var event = Fixtures.fullEvent
        event.promoCode = nil
        #expect(try Self.decoded(Self.createdRecord(event, mask: .all)) == .created(event))
    }

    @Test("a bad event id, award id or number is MALFORMED_PAYLOAD naming it")
    func badIdentifiers() {
        let bytes = Self.encoded(.created(Fixtures.fullEvent))
        let badID = Self.replacing("0123456789abcdef", with: Array("0123456789abcdeg".utf8), in: bytes)
        #expect(Self.thrown(badID)?.field == "id")
        let badAward = Self.replacing("b000000000000000", with: Array("b00000000000000 ".utf8), in: bytes)
        #expect(Self.thrown(badAward)?.field == "award_reward_transactions_set[0].id")
        let cancel = Self.encoded(.cancelled(id: EventID(high: 1, low: 1), at: 1, by: Self.user))
        let badCancel = Self.replacing("0000000000000001", with: Array("000000000000000X".utf8), in: cancel)
        #expect(Self.thrown(badCancel)?.field == "cancelled.id")
    }

    @Test(
        "numbers: digits only, at most UInt64.max",
        arguments: ["", "-1", "+1", "1a", "18446744073709551616", "999999999999999999999"]
    )
    func badNumbers(_ text: String) {
        // A CustomerEvent whose `number` (field 2) is `text`, spliced in front of the other fields.
        let rest = Fixtures.encode {
            Fixtures.fullEvent.encode(fields: FieldMask(bits: FieldMask.all.bits & ~(1 << 2)), appendingTo: &$0)
        }
        let error = Self.thrown(Self.createdRecord(eventPayload: Self.field(2, Array(text.utf8)) + rest))
        #expect(error?.code == CodecError.malformedPayloadCode)
    }

    @Test("numbers have at most 20 digits; UInt64.max parses")
    func numberDigitLimit() throws {
        let rest = Fixtures.encode {
            Fixtures.fullEvent.encode(fields: FieldMask(bits: FieldMask.all.bits & ~(1 << 2)), appendingTo: &$0)
        }
        let record = Self.createdRecord(eventPayload: Self.field(2, Array("018446744073709551615".utf8)) + rest)
        // 21 digits are over the limit of 20, even though the value fits.
        #expect(Self.thrown(record)?.code == CodecError.malformedPayloadCode)
        let fits = Self.createdRecord(eventPayload: Self.field(2, Array("18446744073709551615".utf8)) + rest)
        guard case .created(let event) = try Self.decoded(fits) else { return }
        #expect(event.number == .max)
    }

    @Test("invalid UTF-8 is INVALID_STRING naming the field")
    func invalidUTF8() {
        let bytes = Self.encoded(.created(Fixtures.fullEvent))
        let bad = Self.replacing("Visit", with: [0x56, 0xFF, 0x73, 0x69, 0x74], in: bytes)
        #expect(Self.thrown(bad) == .invalidString(field: "description"))
        let badOffer = Self.replacing("Welcome", with: [0x57, 0x65, 0xC3, 0x28, 0x6F, 0x6D, 0x65], in: bytes)
        #expect(Self.thrown(badOffer)?.field == "award_reward_transactions_set[0].reward_offer.name")
    }

    @Test(
        "records with no change, no event or no canceller are MALFORMED_PAYLOAD",
        arguments: [
            [], [0x0A, 0x00], [0x12, 0x00], [0x0A, 0x02, 0x12, 0x00],
            // A cancel without `by`.
            field(2, field(1, Array(String(repeating: "0", count: 32).utf8))),
            // A cancel whose user is there but whose id is missing.
            field(2, field(3, [])),
        ] as [[UInt8]]
    )
    func emptyParts(_ bytes: [UInt8]) {
        #expect(Self.thrown(bytes)?.code == CodecError.malformedPayloadCode)
    }

    @Test("an award with an unspecified state is MALFORMED_PAYLOAD")
    func awardWithoutState() {
        // award_reward_transactions_set (40) holding id, number and reward offer, no state.
        let hex = Array(String(repeating: "0", count: 32).utf8)
        let award = Self.field(1, hex) + Self.field(2, Array("1".utf8)) + Self.field(7, [])
        let rest = Fixtures.encode {
            Self.minimalEvent.encode(fields: FieldMask(bits: FieldMask.all.bits & ~(1 << 40)), appendingTo: &$0)
        }
        let error = Self.thrown(Self.createdRecord(eventPayload: rest + Self.field(40, award)))
        #expect(error?.field == "award_reward_transactions_set[0].life_cycle_state")
    }

    // MARK: - Robustness

    static let records: [[UInt8]] = [
        encoded(.created(Fixtures.fullEvent)), encoded(.created(minimalEvent)), encoded(.created(edgeEvent)),
        encoded(.cancelled(id: EventID(high: 1, low: 2), at: 3, by: user)),
    ]

    @Test("every prefix of a record decodes or throws, never crashes", arguments: records.indices)
    func prefixes(_ index: Int) {
        let bytes = Self.records[index]
        var decodedCount = 0
        for length in 0...bytes.count {
            do throws(CodecError) {
                _ = try Self.decoded(Array(bytes.prefix(length)))
                decodedCount += 1
            } catch {
                #expect(error.code == CodecError.malformedPayloadCode)
            }
        }
        #expect(decodedCount == 1)  // only the whole record: the one top-level field is length-delimited
    }

    @Test("random garbage and mutated records throw or decode, never crash", arguments: [1, 2, 3, 4] as [UInt64])
    func garbage(_ seed: UInt64) {
        var random = Fixtures.SplitMix(state: seed)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...300, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? Self.decoded(bytes)
        }
        for record in Self.records {
            for _ in 0..<500 {
                var bytes = record
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[at] = UInt8.random(in: 0...255, using: &random)
                }
                _ = try? Self.decoded(bytes)
            }
        }
    }
}

/// A catalog with one record of each kind the event keeps, and commands using them, to check
/// that the decoder builds referred objects with the same fields as the Domain.
enum MiniCatalog {
    static func id(_ prefix: String, _ suffix: Int) -> String {
        let tail = String(suffix, radix: 16)
        return prefix + String(repeating: "0", count: 32 - prefix.count - tail.count) + tail
    }

    static let now: Milliseconds = 9_000_000
    static let user = ReferredObject(id: id("7", 1), name: "alice")

    static let index: CatalogIndex = {
        var c = Catalog(currency: .init(system: "EUR", alternative: "PTS", alternativePerSystem: 10))
        c.users = [.init(id: id("7", 1), username: "alice", organisation: "acme", passwordHash: "h")]
        c.accountsReceivable = [
            .init(
                id: id("a", 1), number: "AR-001", name: "Alice", lifeCycleState: "ACTIVE",
                paymentMediumTypeIDs: [id("e", 1)], paymentMediumBrandIDs: [id("f", 1)]
            )
        ]
        c.classifications = [.init(id: id("c", 1), name: "Purchase", alternativeCode: "PUR")]
        c.products = [.init(id: id("d", 1), code: "COFFEE", alternativeCode: "CF", description: "Coffee")]
        c.paymentMediumTypes = [.init(id: id("e", 1), name: "Card", alternativeCode: "CARD")]
        c.paymentMediumBrands = [.init(id: id("f", 1), name: "Visa", alternativeCode: "VISA")]
        c.transactionAcquiringPoints = [
            .init(id: id("1", 1), name: "Till 1", code: "T1"), .init(id: id("1", 2), name: "Till 2", code: "T2"),
        ]
        c.businessUnits = [.init(id: id("2", 1), name: "Shop", code: "SHOP", tapID: id("1", 1))]
        c.units = [
            .init(
                id: id("3", 1), name: "Front desk", alternativeCode: "FD", description: "At the door",
                businessUnitID: id("2", 1), tapID: id("1", 2)
            )
        ]
        c.accessTokenClassifications = [
            .init(
                id: id("4", 1), name: "Credit card", alternativeCode: "CC",
                defaultPaymentMediumTypeID: id("e", 1), defaultPaymentMediumBrandID: id("f", 1)
            )
        ]
        c.accessTokens = [
            .init(
                id: id("5", 1), number: "AT-1", lifeCycleState: "EFFECTIVE", authenticationCode: "CARD-1111",
                identifier: "ID-1", passCodeHash: "hash:1234", accountsReceivableID: id("a", 1),
                classificationID: id("4", 1)
            ),
            .init(
                id: id("5", 2), number: "AT-2", lifeCycleState: "EFFECTIVE", authenticationCode: "CARD-2222",
                identifier: "ID-2", passCodeHash: "hash:2222", accountsReceivableID: id("a", 1), classificationID: nil
            ),
        ]
        c.promotionCampaigns = [
            .init(id: id("6", 1), name: "Summer", promoCodes: ["SUMMER"], effectiveFrom: nil, effectiveTo: nil)
        ]
        c.rewardOffers = [
            offer(1, award: .fixed(5), expirationDays: 30),
            offer(2, award: .percentage(10), currency: .alternative, expirationDays: nil),
            offer(3, award: .fixed(2.5), campaign: id("6", 1), expirationDays: 0),
        ]
        return CatalogIndex(c)
    }()

    static func offer(
        _ n: Int,
        award: Catalog.RewardOffer.Award,
        currency: Catalog.RewardOffer.AwardCurrency = .system,
        campaign: String? = nil,
        expirationDays: Int?
    ) -> Catalog.RewardOffer {
        Catalog.RewardOffer(
            id: id("9", n), name: "Offer \(n)", alternativeCode: "O\(n)", classificationIDs: [], productIDs: [],
            promotionCampaignID: campaign, minAmount: nil, effectiveFrom: nil, effectiveTo: nil, award: award,
            awardCurrency: currency, expirationDays: expirationDays
        )
    }

    static let context = CreateContext(
        now: now,
        user: user,
        verifyPassCode: { passCode, hash in hash == "hash:" + passCode }
    )

    static let commands: [CreateAchievement] = {
        var minimal = CreateAchievement()
        minimal.accountsReceivableIdentifier = Identifier(number: "AR-001")
        minimal.classificationIdentifier = Identifier(name: "Purchase")
        minimal.performedByBusinessUnitIdentifier = Identifier(code: "SHOP")
        minimal.performedOn = 1_500_000

        var byToken = minimal
        byToken.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-1111"))
        byToken.amount = 12.34

        var full = minimal
        full.performedByBusinessUnitIdentifier = nil
        full.performedByUnitIdentifier = Identifier(alternativeCode: "FD")
        full.productIdentifier = Identifier(code: "COFFEE")
        full.paymentMediumTypeIdentifier = Identifier(name: "Card")
        full.paymentMediumBrandIdentifier = Identifier(name: "Visa")
        full.paymentMediumIdentifier = "4111"
        full.amount = 0
        full.description = "Café ☕"
        full.externalSystem = "POS"
        full.externalSystemReferenceNumber = "R-1"
        full.promoCode = "SUMMER"
        full.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(identifier: "ID-1", passCode: "1234")
        full.userDefinedFields = UserDefinedFields(
            strings: ["a", nil, nil, nil, nil, nil, nil, "h"],
            floats: [0, nil, nil, nil],
            dates: [nil, nil, nil, 0]
        )

        var tokenWithoutClass = minimal
        tokenWithoutClass.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(authenticationCode: "CARD-2222")
        return [minimal, byToken, full, tokenWithoutClass]
    }()
}
