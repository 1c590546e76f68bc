import Domain
import Testing

/// A small catalog for the rule tests, plus a valid command and helpers to run and check it.
enum TestCatalog {
    /// A 32-hex id ending in `suffix` (lowercase, as the catalog file stores them).
    static func id(_ prefix: String, _ suffix: Int) -> String {
        let tail = String(suffix, radix: 16)
        return prefix + String(repeating: "0", count: 32 - prefix.count - tail.count) + tail
    }

    static let accountAlice = id("a", 1)
    static let accountBob = id("a", 2)
    static let accountClosed = id("a", 3)
    static let accountTwinA = id("a", 4)
    static let accountTwinB = id("a", 5)
    static let participantAlice = id("b", 1)
    static let participantBob = id("b", 2)
    static let classificationPurchase = id("c", 1)
    static let classificationVisit = id("c", 2)
    static let productCoffee = id("d", 1)
    static let productTea = id("d", 2)
    static let typeCard = id("e", 1)
    static let typeCash = id("e", 2)
    static let brandVisa = id("f", 1)
    static let brandAmex = id("f", 2)
    static let tapOne = id("1", 1)
    static let tapTwo = id("1", 2)
    static let tapThree = id("1", 3)
    static let businessShop = id("2", 1)
    static let businessOnline = id("2", 2)
    static let unitFront = id("3", 1)
    static let unitBack = id("3", 2)
    static let unitOrphan = id("3", 3)
    static let tokenClassCredit = id("4", 1)
    static let tokenClassLoyalty = id("4", 2)
    static let tokenAlice = id("5", 1)
    static let tokenSuspended = id("5", 2)
    static let tokenBob = id("5", 3)
    static let tokenClosed = id("5", 4)
    static let campaignSummer = id("6", 1)
    static let campaignAlways = id("6", 2)
    static let userAlice = id("7", 1)
    static let keyAlice = id("8", 1)

    /// `performed_on` of the valid command: inside the summer campaign.
    static let performedOn: Milliseconds = 1_500_000
    /// `now` of the test context.
    static let now: Milliseconds = 9_000_000

    /// The test catalog with the given reward offers (none by default).
    static func catalog(offers: [Catalog.RewardOffer] = []) -> Catalog {
        var catalog = Catalog(currency: .init(system: "EUR", alternative: "PTS", alternativePerSystem: 10))
        catalog.users = [.init(id: userAlice, username: "alice", organisation: "acme", passwordHash: "hash:pw")]
        catalog.webAPIKeys = [.init(id: keyAlice, userID: userAlice, keyHash: "hash:key")]
        catalog.accountsReceivable = [
            .init(
                id: accountAlice,
                number: "AR-001",
                name: "Alice",
                lifeCycleState: "ACTIVE",
                paymentMediumTypeIDs: [typeCard],
                paymentMediumBrandIDs: [brandVisa]
            ),
            .init(
                id: accountBob,
                number: "AR-002",
                name: "Bob",
                lifeCycleState: "ACTIVE",
                paymentMediumTypeIDs: [typeCard, typeCash],
                paymentMediumBrandIDs: [brandVisa]
            ),
            .init(id: accountClosed, number: "AR-003", name: "Closed", lifeCycleState: "TERMINATED", paymentMediumTypeIDs: [typeCard]),
            .init(id: accountTwinA, number: "AR-004", name: "Twin", lifeCycleState: "ACTIVE"),
            .init(id: accountTwinB, number: "AR-005", name: "Twin", lifeCycleState: "ACTIVE"),
        ]
        catalog.rewardsParticipants = [
            .init(id: participantAlice, number: "RP-001", accountsReceivableID: accountAlice),
            .init(id: participantBob, number: "RP-002", accountsReceivableID: accountBob),
        ]
        catalog.classifications = [
            .init(id: classificationPurchase, name: "Purchase", alternativeCode: "PUR"),
            .init(id: classificationVisit, name: "Visit", alternativeCode: "VIS"),
            .init(id: id("c", 3), name: "Dup", alternativeCode: "DUP1"),
            .init(id: id("c", 4), name: "Dup", alternativeCode: "DUP2"),
        ]
        catalog.products = [
            .init(id: productCoffee, code: "COFFEE", alternativeCode: "CF", description: "Coffee"),
            .init(id: productTea, code: "TEA", alternativeCode: "TE", description: "Tea"),
        ]
        catalog.paymentMediumTypes = [
            .init(id: typeCard, name: "Card", alternativeCode: "CARD"),
            .init(id: typeCash, name: "Cash", alternativeCode: "CASH"),
        ]
        catalog.paymentMediumBrands = [
            .init(id: brandVisa, name: "Visa", alternativeCode: "VISA"),
            .init(id: brandAmex, name: "Amex", alternativeCode: "AMEX"),
        ]
        addPlaces(&catalog)
        addTokens(&catalog)
        catalog.promotionCampaigns = [
            .init(
                id: campaignSummer,
                name: "Summer",
                promoCodes: ["SUMMER"],
                effectiveFrom: 1_000_000,
                effectiveTo: 2_000_000
            ),
            .init(id: campaignAlways, name: "Always", promoCodes: ["ALWAYS"], effectiveFrom: nil, effectiveTo: nil),
        ]
        catalog.rewardOffers = offers
        return catalog
    }

    private static func addPlaces(_ catalog: inout Catalog) {
        catalog.transactionAcquiringPoints = [
            .init(id: tapOne, name: "Till 1", code: "T1"),
            .init(id: tapTwo, name: "Till 2", code: "T2"),
            .init(id: tapThree, name: "Web", code: "T3"),
        ]
        catalog.businessUnits = [
            .init(id: businessShop, name: "Shop", code: "SHOP", tapID: tapOne),
            .init(id: businessOnline, name: "Online", code: "WEB", tapID: nil),
        ]
        catalog.units = [
            .init(
                id: unitFront,
                name: "Front desk",
                alternativeCode: "FD",
                description: "At the door",
                businessUnitID: businessShop,
                tapID: tapTwo
            ),
            .init(
                id: unitBack,
                name: "Back office",
                alternativeCode: "BO",
                description: "Behind",
                businessUnitID: businessShop,
                tapID: nil
            ),
            .init(
                id: unitOrphan,
                name: "Orphan",
                alternativeCode: "OR",
                description: "",
                businessUnitID: nil,
                tapID: nil
            ),
        ]
    }

    private static func addTokens(_ catalog: inout Catalog) {
        catalog.accessTokenClassifications = [
            .init(
                id: tokenClassCredit,
                name: "Credit card",
                alternativeCode: "CC",
                defaultPaymentMediumTypeID: typeCard,
                defaultPaymentMediumBrandID: brandVisa
            ),
            .init(
                id: tokenClassLoyalty,
                name: "Loyalty card",
                alternativeCode: "LC",
                defaultPaymentMediumTypeID: typeCash,
                defaultPaymentMediumBrandID: brandAmex
            ),
        ]
        catalog.accessTokens = [
            .init(
                id: tokenAlice,
                number: "AT-1",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "CARD-1111",
                identifier: "ID-1",
                passCodeHash: "hash:1234",
                accountsReceivableID: accountAlice,
                classificationID: tokenClassCredit
            ),
            .init(
                id: tokenSuspended,
                number: "AT-2",
                lifeCycleState: "SUSPENDED",
                authenticationCode: "CARD-2222",
                identifier: "ID-2",
                passCodeHash: "hash:2222",
                accountsReceivableID: accountAlice,
                classificationID: tokenClassCredit
            ),
            .init(
                id: tokenBob,
                number: "AT-3",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "CARD-3333",
                identifier: "ID-3",
                passCodeHash: "hash:3333",
                accountsReceivableID: accountBob,
                classificationID: tokenClassLoyalty
            ),
            .init(
                id: tokenClosed,
                number: "AT-4",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "CARD-4444",
                identifier: "ID-4",
                passCodeHash: "hash:4444",
                accountsReceivableID: accountClosed,
                classificationID: nil
            ),
        ]
    }

    /// The index of the test catalog without offers, shared by tests.
    static let index = CatalogIndex(catalog())

    /// The calling user of the test context.
    static let user = ReferredObject(id: userAlice, name: "alice")

    /// A context at `now` whose pass code check accepts `hash == "hash:" + passCode`.
    static let context = CreateContext(
        now: now,
        user: user,
        verifyPassCode: { passCode, hash in hash == "hash:" + passCode }
    )

    /// A valid create: Alice's account by number, Purchase by name, the Shop by code.
    static func command() -> CreateAchievement {
        var command = CreateAchievement()
        command.accountsReceivableIdentifier = Identifier(number: "AR-001")
        command.classificationIdentifier = Identifier(name: "Purchase")
        command.performedByBusinessUnitIdentifier = Identifier(code: "SHOP")
        command.performedOn = performedOn
        return command
    }

    /// Runs `AchievementRules.prepare` on the test context.
    static func prepare(
        _ command: CreateAchievement,
        catalog: CatalogIndex = index
    ) -> Result<CustomerEvent, DomainError> {
        AchievementRules.prepare(command, catalog: catalog, context: context)
    }

    /// The event of a create that must succeed.
    static func event(_ command: CreateAchievement, catalog: CatalogIndex = index) throws -> CustomerEvent {
        try prepare(command, catalog: catalog).get()
    }

    /// The error of a create that must fail (nil after recording an issue when it succeeded).
    static func error(_ command: CreateAchievement, catalog: CatalogIndex = index) -> DomainError? {
        switch prepare(command, catalog: catalog) {
        case .success:
            Issue.record("expected the create to fail")
            return nil
        case .failure(let error):
            return error
        }
    }
}
