import Domain
import Testing

@Suite struct RewardEvaluationTests {
    typealias T = TestCatalog

    /// The awards of a create against a catalog holding `offers`.
    static func awards(
        _ offers: [Catalog.RewardOffer],
        amount: Double? = nil,
        product: String? = nil,
        promoCode: String? = nil,
        performedOn: Milliseconds = T.performedOn
    ) throws -> [AwardTransaction] {
        var command = T.command()
        command.amount = amount
        command.productIdentifier = product.map { Identifier(code: $0) }
        command.promoCode = promoCode
        command.performedOn = performedOn
        return try T.event(command, catalog: CatalogIndex(T.catalog(offers: offers))).awardRewardTransactions
    }

    @Test("SPEC §3: a fixed award in the system currency, converted to the alternative")
    func fixedAward() throws {
        let awards = try Self.awards([T.offer(1, award: .fixed(5), expirationDays: 30)])
        let award = try #require(awards.first)
        #expect(awards.count == 1)
        #expect(award.amount == 5 && award.alternativeAmount == 50)
        #expect(award.lifeCycleState == .posted && award.id == EventID(high: 0, low: 0) && award.number == 0)
        #expect(award.rewardOffer == ReferredObject(id: T.id("9", 1), name: "Offer 1", alternativeCode: "O1"))
        #expect(award.expirationDate == T.performedOn + 30 * 86_400_000)
    }

    @Test("SPEC §3: a percentage award is that percentage of amount")
    func percentageAward() throws {
        let award = try #require(try Self.awards([T.offer(1, award: .percentage(10))], amount: 25).first)
        #expect(award.amount == 2.5 && award.alternativeAmount == 25)
    }

    @Test("SPEC §3: an award in the alternative currency is converted back to the system currency")
    func alternativeCurrency() throws {
        let award = try #require(try Self.awards([T.offer(1, award: .fixed(15), currency: .alternative)]).first)
        #expect(award.alternativeAmount == 15 && award.amount == 1.5)
    }

    @Test(
        "SPEC §3: amounts round half away from zero to 2 decimals",
        arguments: [
            (0.125, 0.13), (1.005, 1.01), (2.675, 2.68), (0.124, 0.12), (-0.125, -0.13), (0.3, 0.3),
            (0.1 + 0.2, 0.3), (0.0049, 0), (-0.001, 0), (1_234_567.895, 1_234_567.9), (Double.nan, 0),
            (Double.infinity, 0),
        ] as [(Double, Double)]
    )
    func rounding(_ value: Double, _ expected: Double) {
        let rounded = RewardEvaluation.roundToCents(value)
        #expect(rounded == expected)
        #expect(rounded.sign == .plus || expected < 0)
    }

    @Test("an amount near the largest double keeps its awards exact when they are finite")
    func hugeAmountFinite() throws {
        let award = try #require(try Self.awards([T.offer(1, award: .percentage(100))], amount: 1e307).first)
        #expect(award.amount == 1e307 && award.alternativeAmount == 1e308)
    }

    @Test(
        "an amount whose award, conversion or total would overflow is INVALID_AMOUNT, not an award of 0 or infinity",
        arguments: [
            (1e308, [Catalog.RewardOffer.Award.percentage(500)]),  // the percentage overflows
            (1.7e308, [.percentage(100)]),  // the conversion (× 10) overflows
            (1e308, [.percentage(100), .percentage(100)]),  // each is finite, their total is not
        ]
    )
    func hugeAmountOverflow(_ amount: Double, _ awards: [Catalog.RewardOffer.Award]) {
        var command = T.command()
        command.amount = amount
        let offers = awards.enumerated().map { T.offer($0.offset + 1, award: $0.element) }
        expect(T.error(command, catalog: CatalogIndex(T.catalog(offers: offers))), .invalidArgument, "INVALID_AMOUNT", fields: ["amount"])
    }

    @Test("SPEC §3: 12.5 % of 1.00 awards 0.13 (half away from zero), 1.25 in the alternative currency")
    func roundingThroughPercentage() throws {
        let award = try #require(try Self.awards([T.offer(1, award: .percentage(12.5))], amount: 1).first)
        #expect(award.amount == 0.13 && award.alternativeAmount == 1.25)
    }

    @Test("SPEC §3: a zero award creates no transaction", arguments: [0, 0.0004])
    func zeroAward(_ fixed: Double) throws {
        #expect(try Self.awards([T.offer(1, award: .fixed(fixed))]).isEmpty)
    }

    @Test("SPEC §3: a percentage award without amount is zero and creates nothing")
    func percentageWithoutAmount() throws {
        #expect(try Self.awards([T.offer(1, award: .percentage(50))]).isEmpty)
    }

    @Test(
        "SPEC §3: amount >= min_amount, and no amount fails a minimum",
        arguments: [(nil, false), (9.99, false), (10, true), (10.01, true)] as [(Double?, Bool)]
    )
    func minimumAmount(_ amount: Double?, _ matches: Bool) throws {
        #expect(try Self.awards([T.offer(1, minAmount: 10)], amount: amount).count == (matches ? 1 : 0))
    }

    @Test(
        "SPEC §3: product_ids empty or holding the event's product; no product matches only empty lists",
        arguments: [
            ([], nil, true), ([], "COFFEE", true), ([TestCatalog.productCoffee], "COFFEE", true),
            ([TestCatalog.productCoffee.uppercased()], "COFFEE", true), ([TestCatalog.productCoffee], "TEA", false),
            ([TestCatalog.productCoffee], nil, false),
        ] as [([String], String?, Bool)]
    )
    func productList(_ products: [String], _ product: String?, _ matches: Bool) throws {
        #expect(try Self.awards([T.offer(1, products: products)], product: product).count == (matches ? 1 : 0))
    }

    @Test(
        "SPEC §3: classification_ids empty or holding the event's classification",
        arguments: [
            ([], true), ([TestCatalog.classificationPurchase], true), ([TestCatalog.classificationVisit], false),
            ([TestCatalog.classificationVisit, TestCatalog.classificationPurchase.uppercased()], true),
        ] as [([String], Bool)]
    )
    func classificationList(_ classifications: [String], _ matches: Bool) throws {
        #expect(try Self.awards([T.offer(1, classifications: classifications)]).count == (matches ? 1 : 0))
    }

    @Test(
        "SPEC §3: effective_from <= performed_on < effective_to",
        arguments: [
            (1_500_000, nil, true), (1_500_001, nil, false), (nil, 1_500_000, false), (nil, 1_500_001, true),
            (1_000_000, 2_000_000, true),
        ] as [(Milliseconds?, Milliseconds?, Bool)]
    )
    func effectiveWindow(_ from: Milliseconds?, _ to: Milliseconds?, _ matches: Bool) throws {
        #expect(try Self.awards([T.offer(1, from: from, to: to)]).count == (matches ? 1 : 0))
    }

    @Test(
        "SPEC §3: an offer tied to a campaign needs the event's promo code to belong to it",
        arguments: [("SUMMER", true), ("ALWAYS", false), (nil, false)] as [(String?, Bool)]
    )
    func campaignTied(_ promoCode: String?, _ matches: Bool) throws {
        let offer = T.offer(1, campaign: T.campaignSummer.uppercased())
        #expect(try Self.awards([offer], promoCode: promoCode).count == (matches ? 1 : 0))
    }

    @Test("an offer tied to a campaign missing from the catalog never matches")
    func danglingCampaign() throws {
        #expect(try Self.awards([T.offer(1, campaign: T.id("6", 0xff))], promoCode: "SUMMER").isEmpty)
    }

    @Test("SPEC §3: every matching offer applies, in catalog order, and the totals sum them")
    func severalOffers() throws {
        let offers = [
            T.offer(3, award: .fixed(1.1)), T.offer(1, award: .fixed(9), minAmount: 100),
            T.offer(2, award: .fixed(2.2)),
        ]
        let event = try T.event(
            {
                var c = T.command()
                c.amount = 5
                return c
            }(),
            catalog: CatalogIndex(T.catalog(offers: offers))
        )
        #expect(event.awardRewardTransactions.map(\.rewardOffer.name) == ["Offer 3", "Offer 2"])
        #expect(RewardEvaluation.roundToCents(event.totalAwardedAmount) == 3.3)
        #expect(RewardEvaluation.roundToCents(event.totalAwardedAlternativeAmount) == 33)
    }

    @Test("SPEC §3: expiration_date is performed_on + expiration_days days, absent without expiration_days")
    func expirationDate() throws {
        let awards = try Self.awards([T.offer(1, expirationDays: 1), T.offer(2), T.offer(3, expirationDays: 0)])
        #expect(awards.map(\.expirationDate) == [T.performedOn + 86_400_000, nil, T.performedOn])
    }

    @Test("events of one offer share its referred object")
    func sharedOfferReference() throws {
        let index = CatalogIndex(T.catalog(offers: [T.offer(1)]))
        let first = try T.event(T.command(), catalog: index)
        let second = try T.event(T.command(), catalog: index)
        #expect(first.awardRewardTransactions[0].rewardOffer === second.awardRewardTransactions[0].rewardOffer)
    }
}
