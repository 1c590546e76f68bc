import Codec
import Domain

/// Sample domain values and byte helpers shared by the codec tests.
enum Fixtures {
    /// Bytes from a hex literal (whitespace ignored).
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8.filter { $0 != 0x20 && $0 != 0x0A })
        var out: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            let pair = String(decoding: digits[index...index + 1], as: UTF8.self)
            out.append(UInt8(pair, radix: 16) ?? 0)
            index += 2
        }
        return out
    }

    /// Lowercase hex of `bytes`, for readable failure messages.
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Runs an encoder into a fresh buffer.
    static func encode(_ body: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        body(&out)
        return out
    }

    /// A create command with every field given, zero values included.
    static var fullCreate: CreateAchievement {
        var c = CreateAchievement()
        c.token = "tok.abc"
        c.accountsReceivableIdentifier = Identifier(
            id: "a0000000000000000000000000000001",
            number: "AR-001",
            name: "Jane",
            accessTokenIdentifier: AccessTokenIdentifier(
                authenticationCode: "AUTH",
                identifier: "card-7",
                passCode: "1234"
            )
        )
        c.rewardsParticipantIdentifier = Identifier(
            id: "p1",
            number: "RP-1",
            accessTokenIdentifier: AccessTokenIdentifier(authenticationCode: "X")
        )
        c.classificationIdentifier = Identifier(id: "c1", name: "Purchase", alternativeCode: "PUR")
        c.productIdentifier = Identifier(id: "pr1", code: "P-1", alternativeCode: "PP")
        c.paymentMediumTypeIdentifier = Identifier(id: "t1", name: "Card", alternativeCode: "CD")
        c.paymentMediumBrandIdentifier = Identifier(id: "b1", name: "Visa", alternativeCode: "VS")
        c.paymentMediumIdentifier = "4111"
        c.amount = 0
        c.performedByBusinessUnitIdentifier = Identifier(id: "bu1", name: "Shops", code: "SH")
        c.performedByUnitIdentifier = Identifier(id: "u1", name: "HQ", alternativeCode: "U1")
        c.performedByTapIdentifier = Identifier(id: "tap1", name: "Till", code: "T1")
        c.performedOn = 0
        c.description = "Café visit ☕"
        c.externalSystem = "POS"
        c.externalSystemReferenceNumber = "R-9"
        c.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(identifier: "card-8", passCode: "0000")
        c.promoCode = "SPRING"
        c.userDefinedFields = UserDefinedFields(
            strings: ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
            floats: [0, -1.5, 2.25, .greatestFiniteMagnitude],
            dates: [0, -1, 1_700_000_000_000, .max]
        )
        c.fieldsSet = ["id", "number", "amount"]
        c.requestUniqueIdentifier = "req-1"
        return c
    }

    static let user = ReferredObject(id: "u0000000000000000000000000000001", name: "demo")
    static let offer = ReferredObject(id: "r1", name: "Welcome", alternativeCode: "WEL")

    /// A stored event with every optional part filled.
    static var fullEvent: CustomerEvent {
        CustomerEvent(
            id: EventID(high: 0x0123_4567_89AB_CDEF, low: 0xFF),
            number: 42,
            lifeCycleState: .posted,
            performedOn: 1_700_000_000_000,
            description: "Visit",
            paymentMediumIdentifier: "4111",
            amount: 0,
            externalSystem: "POS",
            externalSystemReferenceNumber: "R-9",
            userDefinedFields: UserDefinedFields(
                strings: ["s1", nil, nil, nil, nil, nil, nil, "s8"],
                floats: [0, nil, nil, 3.5],
                dates: [nil, 0, nil, nil]
            ),
            classification: ReferredObject(id: "c1", name: "Purchase", alternativeCode: "PUR"),
            accountsReceivable: ReferredObject(id: "a1", number: "AR-001", name: "Jane", lifeCycleState: "ACTIVE"),
            product: ReferredObject(id: "pr1", code: "P-1", alternativeCode: "PP", description: "Coffee"),
            paymentMediumType: ReferredObject(id: "t1", name: "Card", alternativeCode: "CD"),
            paymentMediumBrand: ReferredObject(id: "b1", name: "Visa", alternativeCode: "VS"),
            performedByUnit: ReferredObject(id: "un1", name: "HQ", alternativeCode: "U1", description: "Head office"),
            performedByBusinessUnit: ReferredObject(id: "bu1", name: "Shops", code: "SH"),
            performedByTap: ReferredObject(id: "tap1", name: "Till", code: "T1"),
            authorizedByAccessToken: ReferredObject(
                id: "at1",
                number: "AT-1",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "AUTH",
                identifier: "card-7",
                classification: ReferredObject(id: "atc1", name: "Gold", alternativeCode: "GLD")
            ),
            promoCode: "SPRING",
            logInformation: LogInformation(
                createdDate: 1_700_000_000_001,
                updatedDate: 1_700_000_000_002,
                createdByUser: user,
                updatedByUser: user
            ),
            awardRewardTransactions: [
                AwardTransaction(
                    id: EventID(high: 0xB000_0000_0000_0000, low: 1),
                    number: 7,
                    lifeCycleState: .posted,
                    amount: 5,
                    alternativeAmount: 50,
                    expirationDate: nil,
                    rewardOffer: offer
                ),
                AwardTransaction(
                    id: EventID(high: 0xB000_0000_0000_0000, low: 2),
                    number: 8,
                    lifeCycleState: .cancelled,
                    amount: 1.25,
                    alternativeAmount: 12.5,
                    expirationDate: 1_800_000_000_000,
                    rewardOffer: offer
                ),
            ]
        )
    }

    /// What a client reads back from `fullEvent` encoded with `FieldMask.all`.
    static var fullView: EventView {
        var v = EventView()
        v.id = "0123456789abcdef00000000000000ff"
        v.number = "42"
        v.type = "ACHIEVEMENT"
        v.lifeCycleState = .posted
        v.performedOn = 1_700_000_000_000
        v.description = "Visit"
        v.paymentMediumIdentifier = "4111"
        v.amount = 0
        v.externalSystem = "POS"
        v.externalSystemReferenceNumber = "R-9"
        v.totalAwardedAmount = 5
        v.totalAwardedAlternativeAmount = 50
        v.udfStrings = ["s1", nil, nil, nil, nil, nil, nil, "s8"]
        v.udfFloats = [0, nil, nil, 3.5]
        v.udfDates = [nil, 0, nil, nil]
        v.classification = ReferredView(id: "c1", name: "Purchase", alternativeCode: "PUR")
        v.accountsReceivable = ReferredView(id: "a1", number: "AR-001", name: "Jane", lifeCycleState: "ACTIVE")
        v.product = ReferredView(id: "pr1", code: "P-1", alternativeCode: "PP", description: "Coffee")
        v.paymentMediumType = ReferredView(id: "t1", name: "Card", alternativeCode: "CD")
        v.paymentMediumBrand = ReferredView(id: "b1", name: "Visa", alternativeCode: "VS")
        v.performedByUnit = ReferredView(id: "un1", name: "HQ", alternativeCode: "U1", description: "Head office")
        v.performedByBusinessUnit = ReferredView(id: "bu1", name: "Shops", code: "SH")
        v.performedByTap = ReferredView(id: "tap1", name: "Till", code: "T1")
        v.authorizedByAccessToken = ReferredView(
            id: "at1",
            number: "AT-1",
            lifeCycleState: "EFFECTIVE",
            authenticationCode: "AUTH",
            identifier: "card-7",
            classification: ShortReferenceView(id: "atc1", name: "Gold", alternativeCode: "GLD")
        )
        let user = ReferredView(id: "u0000000000000000000000000000001", name: "demo")
        v.logInformation = LogInformationView(
            createdDate: 1_700_000_000_001,
            updatedDate: 1_700_000_000_002,
            createdByUser: user,
            updatedByUser: user
        )
        let offer = ReferredView(id: "r1", name: "Welcome", alternativeCode: "WEL")
        v.awardRewardTransactionsSet = [
            AwardTransactionView(
                id: "b0000000000000000000000000000001",
                number: "7",
                lifeCycleState: .posted,
                amount: 5,
                alternativeAmount: 50,
                expirationDate: 0,
                rewardOffer: offer
            ),
            AwardTransactionView(
                id: "b0000000000000000000000000000002",
                number: "8",
                lifeCycleState: .cancelled,
                amount: 1.25,
                alternativeAmount: 12.5,
                expirationDate: 1_800_000_000_000,
                rewardOffer: offer
            ),
        ]
        return v
    }

    /// A small deterministic generator (SplitMix64) for the garbage tests.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
