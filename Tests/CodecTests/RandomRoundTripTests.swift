import Codec
import Domain
import Testing

/// Seeded random values through encoder and decoder: exercises arena sizing with long and
/// multi-byte strings, and every optional both present and absent.
@Suite("Random round trips")
struct RandomRoundTripTests {
    private struct Maker {
        var random: Fixtures.SplitMix
        static let alphabet: [String] = ["a", "Z", "0", " ", "é", "€", "😀", "字", "-", "."]

        mutating func text(max: Int = 40) -> String {
            let count = Int.random(in: 0...max, using: &random)
            return (0..<count).map { _ in Self.alphabet.randomElement(using: &random) ?? "a" }.joined()
        }

        mutating func maybe<T>(_ make: (inout Maker) -> T) -> T? {
            Bool.random(using: &random) ? make(&self) : nil
        }

        mutating func nonEmpty() -> String? { maybe { "x" + $0.text() } }

        mutating func identifier() -> Identifier? {
            maybe {
                Identifier(
                    id: $0.nonEmpty(),
                    number: $0.nonEmpty(),
                    name: $0.nonEmpty(),
                    code: $0.nonEmpty(),
                    alternativeCode: $0.nonEmpty(),
                    accessTokenIdentifier: $0.accessToken()
                )
            }
        }

        mutating func accessToken() -> AccessTokenIdentifier? {
            maybe {
                AccessTokenIdentifier(
                    authenticationCode: $0.nonEmpty(),
                    identifier: $0.nonEmpty(),
                    passCode: $0.nonEmpty()
                )
            }
        }

        mutating func double() -> Double? { maybe { Double.random(in: -1e9...1e9, using: &$0.random) } }
        mutating func date() -> Int64? { maybe { Int64.random(in: .min ... .max, using: &$0.random) } }

        mutating func create() -> CreateAchievement {
            var c = CreateAchievement()
            (c.token, c.paymentMediumIdentifier, c.description) = (nonEmpty(), nonEmpty(), nonEmpty())
            (c.externalSystem, c.externalSystemReferenceNumber, c.promoCode) = (nonEmpty(), nonEmpty(), nonEmpty())
            c.requestUniqueIdentifier = nonEmpty()
            (c.amount, c.performedOn) = (double(), date())
            c.authorizedByAccessTokenIdentifier = accessToken()
            c.userDefinedFields = UserDefinedFields(
                strings: (0..<8).map { _ in nonEmpty() },
                floats: (0..<4).map { _ in double() },
                dates: (0..<4).map { _ in date() }
            )
            c.fieldsSet = (0..<Int.random(in: 0...4, using: &random)).map { _ in text(max: 10) }
            // Only the fields each identifier message carries survive the wire.
            let ar = identifier()
            c.accountsReceivableIdentifier = ar.map {
                Identifier(id: $0.id, number: $0.number, name: $0.name, accessTokenIdentifier: $0.accessTokenIdentifier)
            }
            let rp = identifier()
            c.rewardsParticipantIdentifier = rp.map {
                Identifier(id: $0.id, number: $0.number, accessTokenIdentifier: $0.accessTokenIdentifier)
            }
            c.classificationIdentifier = identifier().map {
                Identifier(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode)
            }
            c.productIdentifier = identifier().map {
                Identifier(id: $0.id, code: $0.code, alternativeCode: $0.alternativeCode)
            }
            c.performedByTapIdentifier = identifier().map { Identifier(id: $0.id, name: $0.name, code: $0.code) }
            c.performedByUnitIdentifier = identifier().map {
                Identifier(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode)
            }
            return c
        }

        mutating func referred() -> ReferredObject {
            ReferredObject(
                id: text(),
                number: text(),
                name: text(),
                code: text(),
                alternativeCode: text(),
                description: text(max: 300),
                lifeCycleState: text(),
                authenticationCode: text(),
                identifier: text(),
                classification: maybe { ReferredObject(id: $0.text(), name: $0.text(), alternativeCode: $0.text()) }
            )
        }

        mutating func event() -> CustomerEvent {
            let user = referred()
            return CustomerEvent(
                id: EventID(high: random.next(), low: random.next()),
                number: random.next(),
                lifeCycleState: Bool.random(using: &random) ? .posted : .cancelled,
                performedOn: date() ?? 0,
                description: maybe { $0.text(max: 1024) },
                paymentMediumIdentifier: maybe { $0.text() },
                amount: double(),
                externalSystem: maybe { $0.text() },
                externalSystemReferenceNumber: maybe { $0.text() },
                userDefinedFields: maybe { m in
                    UserDefinedFields(strings: (0..<8).map { _ in m.maybe { $0.text() } }, floats: (0..<4).map { _ in m.double() },
                                      dates: (0..<4).map { _ in m.date() })
                },
                classification: referred(),
                accountsReceivable: referred(),
                product: maybe { $0.referred() },
                paymentMediumType: maybe { $0.referred() },
                paymentMediumBrand: maybe { $0.referred() },
                performedByUnit: maybe { $0.referred() },
                performedByBusinessUnit: maybe { $0.referred() },
                performedByTap: maybe { $0.referred() },
                authorizedByAccessToken: maybe { $0.referred() },
                logInformation: LogInformation(
                    createdDate: 1,
                    updatedDate: 2,
                    createdByUser: user,
                    updatedByUser: user
                ),
                awardRewardTransactions: (0..<Int.random(in: 0...5, using: &random)).map { _ in
                    AwardTransaction(
                        id: EventID(high: random.next(), low: random.next()),
                        number: random.next(),
                        lifeCycleState: .posted,
                        amount: 1,
                        alternativeAmount: 2,
                        expirationDate: date(),
                        rewardOffer: referred()
                    )
                }
            )
        }
    }

    @Test("create commands survive the wire", arguments: 0..<8)
    func creates(_ seed: UInt64) throws {
        var maker = Maker(random: Fixtures.SplitMix(state: seed))
        for _ in 0..<50 {
            let command = maker.create()
            let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
            #expect(try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) } == command)
        }
    }

    @Test("events with random masks encode to their measured size and decode", arguments: 0..<8)
    func events(_ seed: UInt64) throws {
        var maker = Maker(random: Fixtures.SplitMix(state: seed))
        for _ in 0..<50 {
            let event = maker.event()
            let mask = FieldMask(bits: maker.random.next() & FieldMask.all.bits)
            let bytes = Fixtures.encode { event.encode(fields: mask, appendingTo: &$0) }
            #expect(bytes.count == event.encodedSize(fields: mask))
            let view = try bytes.withUnsafeBytes { try EventView(payload: $0) }
            // The fields read from the packed extras (the view keeps "" where the wire has none,
            // so whole views differ in referred objects' empty strings).
            let expected = event.view(mask)
            #expect(view.paymentMediumIdentifier == expected.paymentMediumIdentifier)
            #expect(view.udfStrings == expected.udfStrings && view.udfFloats == expected.udfFloats && view.udfDates == expected.udfDates)
            #expect(view.id == (mask.contains(1) ? event.id.description : nil))
            #expect(view.number == (mask.contains(2) ? event.number.description : nil))
            #expect(view.description == (mask.contains(6) ? event.description : nil))
            #expect(view.amount == (mask.contains(9) ? event.amount : nil))
            #expect(
                view.awardRewardTransactionsSet?.map(\.id) ?? []
                    == (mask.contains(40) ? event.awardRewardTransactions.map(\.id.description) : [])
            )
        }
    }

    /// `event` with values at the edges of protobuf-c's packing: zero, negative and -0.0
    /// numbers, text cut by a U+0000, empty users, cancelled awards, long sub-messages.
    private static func edgy(_ event: CustomerEvent, _ maker: inout Maker) -> CustomerEvent {
        var e = event
        func pick<T>(_ values: [T]) -> T { values[Int(maker.random.next() % UInt64(values.count))] }
        func cut(_ text: String) -> String { pick([text, "\u{0}" + text, text + "\u{0}tail", ""]) }
        e.logInformation.createdDate = pick([0, -1, .min, 1_767_225_600_000])
        e.logInformation.updatedDate = pick([0, .max, 5])
        e.logInformation.createdByUser = ReferredObject(id: cut("u1"), name: cut("name"))
        e.logInformation.updatedByUser = pick([ReferredObject(id: ""), e.logInformation.createdByUser])
        e.performedOn = pick([0, -1, e.performedOn])
        e.amount = pick([nil, 0, -0.0, -12.5, e.amount])
        if e.description != nil { e.description = cut(e.description ?? "") }
        e.externalSystem = e.externalSystem.map(cut)
        if var udf = e.userDefinedFields, let first = udf.string(at: 0) {
            udf = UserDefinedFields(strings: [cut(first)] + (1..<8).map { udf.string(at: $0) }, floats: (0..<4).map { udf.float(at: $0) },
                                    dates: (0..<4).map { udf.date(at: $0) })
            e.userDefinedFields = udf
        }
        for i in e.awardRewardTransactions.indices {
            e.awardRewardTransactions[i].amount = pick([0, -0.0, 3.25, -1])
            e.awardRewardTransactions[i].alternativeAmount = pick([0, 1e300, -0.0])
            e.awardRewardTransactions[i].lifeCycleState = pick([.posted, .cancelled])
            e.awardRewardTransactions[i].expirationDate = pick([nil, 0, -5, e.awardRewardTransactions[i].expirationDate])
            e.awardRewardTransactions[i].rewardOffer = pick([ReferredObject(id: ""), ReferredObject(id: cut("offer"), name: String(repeating: "n", count: 200))])
        }
        return e
    }

    @Test("answers through the referred-object cache are the bytes of a full encode, on a miss, a hit and after the cache starts over", arguments: 0..<8)
    func referredCache(_ seed: UInt64) throws {
        var maker = Maker(random: Fixtures.SplitMix(state: seed))
        let cache = ReferredAnswerCache(limit: 3)
        let referredBits = ((UInt64(1) << 39) - 1) & ~((UInt64(1) << 30) - 1)
        var events: [CustomerEvent] = []
        for index in 0..<60 {
            var event = maker.event()
            if index % 3 == 2 { event = Self.edgy(event, &maker) }
            if index % 2 == 1, let earlier = events.last { event.referred = earlier.referred }  // a hit: same set, other fields
            events.append(event)
            for mask in [FieldMask.all, FieldMask(bits: (maker.random.next() | referredBits) & FieldMask.all.bits),
                         FieldMask(bits: maker.random.next() & FieldMask.all.bits)] {
                let plain = Fixtures.encode { event.encode(fields: mask, appendingTo: &$0) }
                let cached = Fixtures.encode { event.encode(fields: mask, appendingTo: &$0, referred: cache) }
                #expect(cached == plain)
                #expect(repackedCustomerEventByProtobufC(plain) == plain)
            }
        }
    }

    @Test("answers packed without protobuf-c's size pass are its bytes, for events of many near-empty awards and extreme numbers", arguments: [0, 1, 2, 1000])
    func packedWithoutSizePass(_ awards: Int) throws {
        var maker = Maker(random: Fixtures.SplitMix(state: UInt64(awards)))
        var event = maker.event()
        event.id = EventID(high: .max, low: .max)
        event.number = .max
        event.performedOn = .min
        event.amount = -.greatestFiniteMagnitude
        event.logInformation = LogInformation(createdDate: .min, updatedDate: .min, createdByUser: ReferredObject(id: ""),
                                              updatedByUser: ReferredObject(id: ""))
        event.awardRewardTransactions = (0..<awards).map { index in
            AwardTransaction(id: EventID(high: .max, low: UInt64(index)), number: .max, lifeCycleState: .cancelled,
                             amount: -0.5, alternativeAmount: .infinity, expirationDate: .min, rewardOffer: ReferredObject(id: ""))
        }
        let cache = ReferredAnswerCache()
        for mask in [FieldMask.all, FieldMask(bits: 1 << 40), FieldMask(bits: 1 << 39 | 1 << 5)] {
            let plain = Fixtures.encode { event.encode(fields: mask, appendingTo: &$0) }
            #expect(plain.count == event.encodedSize(fields: mask))
            #expect(repackedCustomerEventByProtobufC(plain) == plain)
            #expect(Fixtures.encode { event.encode(fields: mask, appendingTo: &$0, referred: cache) } == plain)
        }
    }

    @Test("strings are cut at U+0000 on encode (protobuf-c cannot carry one)", arguments: [0, 1, 7, 8, 9, 15, 16, 40])
    func nulCut(_ position: Int) throws {
        let head = String(repeating: "é", count: position / 2) + String(repeating: "a", count: position % 2)
        var command = CreateAchievement()
        command.description = head + "\u{0}tail" + String(repeating: "z", count: 20)
        let bytes = Fixtures.encode { command.encode(appendingTo: &$0) }
        let decoded = try bytes.withUnsafeBytes { try CreateAchievement(payload: $0) }
        #expect(decoded.description == (head.isEmpty ? nil : head))
    }
}
