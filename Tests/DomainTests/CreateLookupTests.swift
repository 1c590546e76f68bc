import Domain
import Testing

@Suite struct CreateLookupTests {
    typealias T = TestCatalog

    @Test(
        "SPEC §3: hex ids match in either case",
        arguments: [
            ("accounts_receivable_identifier", T.accountAlice), ("classification_identifier", T.classificationPurchase),
            ("product_identifier", T.productCoffee), ("payment_medium_type_identifier", T.typeCard),
            ("payment_medium_brand_identifier", T.brandVisa), ("performed_by_business_unit_identifier", T.businessShop),
            ("performed_by_unit_identifier", T.unitFront), ("performed_by_tap_identifier", T.tapOne),
            ("rewards_participant_identifier", T.participantAlice),
        ]
    )
    func hexIDsEitherCase(_ path: String, _ id: String) throws {
        var command = T.command()
        setIdentifier(&command, path, Identifier(id: id.uppercased()))
        let event = try T.event(command)
        let referred = [
            event.accountsReceivable, event.classification, event.product, event.paymentMediumType,
            event.paymentMediumBrand, event.performedByBusinessUnit, event.performedByUnit, event.performedByTap,
        ]
        #expect(path == "rewards_participant_identifier" || referred.contains { $0?.id == id })
    }

    @Test(
        "SPEC §3: names, numbers and codes match exactly and case-sensitively",
        arguments: [
            ("accounts_receivable_identifier", Identifier(number: "ar-001"), "ACCOUNTS_RECEIVABLE_NOT_FOUND"),
            ("classification_identifier", Identifier(name: "purchase"), "CLASSIFICATION_NOT_FOUND"),
            ("classification_identifier", Identifier(name: "Purchase "), "CLASSIFICATION_NOT_FOUND"),
            ("product_identifier", Identifier(code: "coffee"), "PRODUCT_NOT_FOUND"),
            ("performed_by_business_unit_identifier", Identifier(code: "shop"), "BUSINESS_UNIT_NOT_FOUND"),
        ]
    )
    func exactMatch(_ path: String, _ identifier: Identifier, _ code: String) {
        var command = T.command()
        setIdentifier(&command, path, identifier)
        expect(T.error(command), .notFound, code, fields: [path])
    }

    @Test(
        "SPEC §3: an identifier matching several records is AMBIGUOUS_IDENTIFIER",
        arguments: [
            ("accounts_receivable_identifier", Identifier(name: "Twin")),
            ("classification_identifier", Identifier(name: "Dup")),
        ]
    )
    func ambiguous(_ path: String, _ identifier: Identifier) {
        var command = T.command()
        setIdentifier(&command, path, identifier)
        expect(T.error(command), .invalidArgument, "AMBIGUOUS_IDENTIFIER", fields: [path])
    }

    @Test(
        "SPEC §7: each identifier that matches nothing has its own NOT_FOUND code",
        arguments: [
            ("accounts_receivable_identifier", "ACCOUNTS_RECEIVABLE_NOT_FOUND"),
            ("rewards_participant_identifier", "REWARDS_PARTICIPANT_NOT_FOUND"),
            ("classification_identifier", "CLASSIFICATION_NOT_FOUND"), ("product_identifier", "PRODUCT_NOT_FOUND"),
            ("payment_medium_type_identifier", "PAYMENT_MEDIUM_TYPE_NOT_FOUND"),
            ("payment_medium_brand_identifier", "PAYMENT_MEDIUM_BRAND_NOT_FOUND"),
            ("performed_by_business_unit_identifier", "BUSINESS_UNIT_NOT_FOUND"),
            ("performed_by_unit_identifier", "UNIT_NOT_FOUND"), ("performed_by_tap_identifier", "TAP_NOT_FOUND"),
        ]
    )
    func notFound(_ path: String, _ code: String) {
        var command = T.command()
        setIdentifier(&command, path, Identifier(id: TestCatalog.id("f", 0xfff)))
        expect(T.error(command), .notFound, code, fields: [path])
    }

    @Test("SPEC §7: an access token that matches nothing is ACCESS_TOKEN_NOT_FOUND")
    func accessTokenNotFound() {
        var command = T.command()
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-0000")
        expect(T.error(command), .notFound, "ACCESS_TOKEN_NOT_FOUND", fields: ["authorized_by_access_token_identifier"])
        command = T.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-0000"))
        let path = "accounts_receivable_identifier.access_token_identifier"
        expect(T.error(command), .notFound, "ACCESS_TOKEN_NOT_FOUND", fields: [path])
    }

    @Test("SPEC §2: lookups run in the seed's parameter order")
    func lookupOrder() {
        var command = T.command()
        command.classificationIdentifier = Identifier(name: "Nope")
        command.accountsReceivableIdentifier = Identifier(number: "Nope")
        expect(T.error(command), .notFound, "ACCOUNTS_RECEIVABLE_NOT_FOUND")
    }

    @Test("seed: a unit gives its own TAP (winning over its business unit's) and its business unit")
    func unitWithOwnTap() throws {
        var command = T.command()
        setIdentifier(&command, "performed_by_unit_identifier", Identifier(alternativeCode: "FD"))
        let event = try T.event(command)
        #expect(event.performedByUnit?.id == T.unitFront)
        #expect(event.performedByUnit?.description == "At the door")
        #expect(event.performedByBusinessUnit?.id == T.businessShop)
        #expect(event.performedByTap?.id == T.tapTwo)
    }

    @Test("seed: a unit without TAP gives its business unit's TAP")
    func unitWithoutTap() throws {
        var command = T.command()
        setIdentifier(&command, "performed_by_unit_identifier", Identifier(name: "Back office"))
        let event = try T.event(command)
        #expect(event.performedByUnit?.id == T.unitBack)
        #expect(event.performedByBusinessUnit?.id == T.businessShop)
        #expect(event.performedByTap?.id == T.tapOne)
    }

    @Test("seed: a unit without business unit or TAP gives neither")
    func orphanUnit() throws {
        var command = T.command()
        setIdentifier(&command, "performed_by_unit_identifier", Identifier(name: "Orphan"))
        let event = try T.event(command)
        #expect(event.performedByUnit?.id == T.unitOrphan)
        #expect(event.performedByBusinessUnit == nil)
        #expect(event.performedByTap == nil)
    }

    @Test("seed: a business unit gives its TAP and no unit")
    func businessUnitGivesTap() throws {
        let event = try T.event(T.command())
        #expect(event.performedByBusinessUnit?.id == T.businessShop)
        #expect(event.performedByBusinessUnit?.code == "SHOP")
        #expect(event.performedByTap?.id == T.tapOne)
        #expect(event.performedByUnit == nil)
        var command = T.command()
        command.performedByBusinessUnitIdentifier = Identifier(name: "Online")
        #expect(try T.event(command).performedByTap == nil)
    }

    @Test("seed: a TAP alone gives only the TAP")
    func tapAlone() throws {
        var command = T.command()
        setIdentifier(&command, "performed_by_tap_identifier", Identifier(name: "Web"))
        let event = try T.event(command)
        #expect(event.performedByTap?.id == T.tapThree)
        #expect(event.performedByBusinessUnit == nil && event.performedByUnit == nil)
    }

    @Test("SPEC §3: the event is POSTED with zero id and number, the log from the context, and referred objects")
    func eventShape() throws {
        var command = T.command()
        command.productIdentifier = Identifier(alternativeCode: "CF")
        command.description = "A coffee"
        command.amount = 3.5
        command.externalSystem = "POS"
        command.externalSystemReferenceNumber = "R-1"
        command.paymentMediumIdentifier = "****1111"
        let event = try T.event(command)
        #expect(event.id == EventID(high: 0, low: 0) && event.number == 0 && event.lifeCycleState == .posted)
        #expect(event.performedOn == T.performedOn && event.description == "A coffee" && event.amount == 3.5)
        #expect(event.externalSystem == "POS" && event.externalSystemReferenceNumber == "R-1")
        #expect(event.paymentMediumIdentifier == "****1111")
        #expect(
            event.logInformation
                == LogInformation(createdDate: T.now, updatedDate: T.now, createdByUser: T.user, updatedByUser: T.user)
        )
        #expect(
            event.classification
                == ReferredObject(id: T.classificationPurchase, name: "Purchase", alternativeCode: "PUR")
        )
        #expect(
            event.accountsReceivable
                == ReferredObject(id: T.accountAlice, number: "AR-001", name: "Alice", lifeCycleState: "ACTIVE")
        )
        #expect(
            event.product
                == ReferredObject(id: T.productCoffee, code: "COFFEE", alternativeCode: "CF", description: "Coffee")
        )
        #expect(event.authorizedByAccessToken == nil && event.paymentMediumType == nil && event.promoCode == nil)
        #expect(event.awardRewardTransactions.isEmpty)
    }
}

@Suite struct IDCaseTests {
    /// Whether a classification whose id is `stored` is found by id `query`.
    private static func finds(stored: String, query: String) -> Bool {
        var catalog = TestCatalog.catalog()
        catalog.classifications.append(Catalog.NamedRecord(id: stored, name: "Letters", alternativeCode: "L"))
        let index = CatalogIndex(catalog)
        return (try? index.resolveClassification(Identifier(id: query), field: "classification_identifier")) != nil
    }

    @Test("ids match in either case with one capital at any position, in ids of 1 to 40 letters, a non-ASCII one included", arguments: [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40])
    func oneCapitalAnywhere(_ length: Int) {
        let letters = Array("abcdef")
        let id = (0..<length).map { letters[$0 % 6] }
        for position in 0..<length {
            var upper = id
            upper[position] = Character(String(id[position]).uppercased())
            #expect(Self.finds(stored: String(id), query: String(upper)))
            #expect(Self.finds(stored: String(upper), query: String(id)))
            var accented = id, capital = id
            accented[position] = "é"
            capital[position] = "É"
            #expect(Self.finds(stored: String(capital), query: String(accented)))
        }
    }
}

@Suite struct CreateAllViolationsTests {
    typealias T = TestCatalog

    @Test("SPEC §2: every identifier that matches nothing is reported at once, in the seed's order, coded after the first")
    func everyLookup() {
        var command = T.command()
        command.classificationIdentifier = Identifier(name: "Nothing")
        command.productIdentifier = Identifier(code: "NOTHING")
        command.paymentMediumBrandIdentifier = Identifier(name: "Nothing")
        command.performedByBusinessUnitIdentifier = Identifier(code: "NOTHING")
        expect(T.error(command), .notFound, "CLASSIFICATION_NOT_FOUND", fields: [
            "classification_identifier", "product_identifier", "payment_medium_brand_identifier",
            "performed_by_business_unit_identifier",
        ])
    }

    @Test("SPEC §2: every rule against the catalog that fails is reported at once (type, brand, promo code)")
    func everyConsistencyRule() {
        var command = T.command()
        command.paymentMediumTypeIdentifier = Identifier(name: "Cash")
        command.paymentMediumBrandIdentifier = Identifier(alternativeCode: "AMEX")
        command.promoCode = "NO-SUCH-CODE"
        let error = T.error(command)
        expect(error, .invalidArgument, "PAYMENT_MEDIUM_NOT_ALLOWED",
               fields: ["payment_medium_type_identifier", "payment_medium_brand_identifier", "promo_code"])
    }

    @Test("SPEC §2: every state that fails is reported at once (account not ACTIVE, authorizing token not EFFECTIVE)")
    func everyState() {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(number: "AR-003")
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-2222")
        expect(T.error(command), .failedPrecondition, "ACCOUNT_NOT_ACTIVE",
               fields: ["accounts_receivable_identifier", "authorized_by_access_token_identifier"])
    }

    @Test("SPEC §2: lookups come before the rules that need them: an unknown product hides a payment medium not allowed")
    func lookupsFirst() {
        var command = T.command()
        command.productIdentifier = Identifier(code: "NOTHING")
        command.paymentMediumTypeIdentifier = Identifier(name: "Cash")
        expect(T.error(command), .notFound, "PRODUCT_NOT_FOUND", fields: ["product_identifier"])
    }
}
