import Domain
import Testing

@Suite struct PaymentMediumAndPromoTests {
    typealias T = TestCatalog

    @Test(
        "seed: only payment medium types and brands allowed for the accounts receivable can be given",
        arguments: [
            ("payment_medium_type_identifier", Identifier(name: "Cash")),
            ("payment_medium_brand_identifier", Identifier(alternativeCode: "AMEX")),
        ]
    )
    func notAllowed(_ path: String, _ identifier: Identifier) {
        var command = T.command()
        setIdentifier(&command, path, identifier)
        expect(T.error(command), .invalidArgument, "PAYMENT_MEDIUM_NOT_ALLOWED", fields: [path])
    }

    @Test("seed: an allowed payment medium type and brand are kept")
    func allowed() throws {
        var command = T.command()
        command.paymentMediumTypeIdentifier = Identifier(alternativeCode: "CARD")
        command.paymentMediumBrandIdentifier = Identifier(name: "Visa")
        let event = try T.event(command)
        #expect(event.paymentMediumType?.id == T.typeCard)
        #expect(event.paymentMediumBrand == ReferredObject(id: T.brandVisa, name: "Visa", alternativeCode: "VISA"))
    }

    @Test("decision: an account that lists no allowed payment media restricts none")
    func emptyListAllowsAny() throws {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(number: "AR-004")
        command.paymentMediumTypeIdentifier = Identifier(name: "Card")
        #expect(try T.event(command).paymentMediumType?.id == T.typeCard)
    }

    @Test(
        "seed: promo_code must belong to a campaign effective on performed_on (from inclusive, to exclusive)",
        arguments: [
            ("SUMMER", 1_000_000, true), ("SUMMER", 1_999_999, true), ("SUMMER", 2_000_000, false),
            ("SUMMER", 999_999, false), ("ALWAYS", 0, true), ("ALWAYS", 9_999_999_999_999, true),
            ("WINTER", 1_500_000, false), ("summer", 1_500_000, false),
        ] as [(String, Milliseconds, Bool)]
    )
    func promoCodeWindow(_ code: String, _ performedOn: Milliseconds, _ valid: Bool) throws {
        var command = T.command()
        command.promoCode = code
        command.performedOn = performedOn
        if valid {
            #expect(try T.event(command).promoCode == code)
        } else {
            expect(T.error(command), .invalidArgument, "PROMO_CODE_INVALID", fields: ["promo_code"])
        }
    }

    @Test("SPEC §8: a promo code is judged on performed_on, not on now")
    func judgedOnPerformedOn() throws {
        var command = T.command()
        command.promoCode = "SUMMER"
        command.performedOn = 1_200_000  // now (9_000_000) is past the campaign
        #expect(try T.event(command).promoCode == "SUMMER")
    }

    @Test("a code shared by an expired and an effective campaign is valid")
    func sharedCode() throws {
        var catalog = T.catalog()
        catalog.promotionCampaigns.append(
            .init(id: T.id("6", 3), name: "Old", promoCodes: ["ALWAYS"], effectiveFrom: 0, effectiveTo: 1)
        )
        var command = T.command()
        command.promoCode = "ALWAYS"
        #expect(try T.event(command, catalog: CatalogIndex(catalog)).promoCode == "ALWAYS")
    }
}
