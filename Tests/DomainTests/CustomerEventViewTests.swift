import Domain
import Testing

@Suite struct CustomerEventViewTests {
    typealias T = TestCatalog

    /// A rich stored event: every optional field, a token, a unit, one award.
    static func storedEvent() throws -> CustomerEvent {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-1111"))
        setIdentifier(&command, "performed_by_unit_identifier", Identifier(alternativeCode: "FD"))
        command.productIdentifier = Identifier(code: "COFFEE")
        command.amount = 20
        command.description = "Coffee"
        command.externalSystem = "POS"
        command.externalSystemReferenceNumber = "R-1"
        command.paymentMediumIdentifier = "****"
        command.userDefinedFields.strings = (1...8).map { "s\($0)" }
        command.userDefinedFields.strings[7] = "eight"
        command.userDefinedFields.floats = [1.5, 2.5, 3.5, 4.5]
        command.userDefinedFields.dates = [74, 75, 76, 77]
        let index = CatalogIndex(
            T.catalog(offers: [T.offer(1, award: .percentage(10), expirationDays: 2), T.offer(2)])
        )
        var event = try T.event(command, catalog: index)
        event.id = EventID(high: 0xABC, low: 1)
        event.number = 42
        event.awardRewardTransactions[0].id = EventID(high: 0, low: 7)
        event.awardRewardTransactions[0].number = 7
        return event
    }

    @Test("SPEC §3: an empty fields_set fills every field but process_immediately")
    func fullView() throws {
        let view = try Self.storedEvent().view(try FieldMask(fieldsSet: []))
        #expect(view.id == "0000000000000abc0000000000000001" && view.number == "42" && view.type == "ACHIEVEMENT")
        #expect(view.lifeCycleState == .posted && view.performedOn == T.performedOn && view.processImmediately == nil)
        #expect(view.description == "Coffee" && view.amount == 20 && view.paymentMediumIdentifier == "****")
        #expect(view.externalSystem == "POS" && view.externalSystemReferenceNumber == "R-1")
        #expect(view.totalAwardedAmount == 3 && view.totalAwardedAlternativeAmount == 30)
        #expect(
            view.udfStrings[7] == "eight" && view.udfFloats[0] == 1.5 && view.udfDates[3] == 77
                && view.udfStrings[0] == "s1"
        )
        #expect(
            view.classification == ReferredView(id: T.classificationPurchase, name: "Purchase", alternativeCode: "PUR")
        )
        #expect(
            view.accountsReceivable
                == ReferredView(id: T.accountAlice, number: "AR-001", name: "Alice", lifeCycleState: "ACTIVE")
        )
        #expect(
            view.product
                == ReferredView(id: T.productCoffee, code: "COFFEE", alternativeCode: "CF", description: "Coffee")
        )
        #expect(view.paymentMediumType == ReferredView(id: T.typeCard, name: "Card", alternativeCode: "CARD"))
        #expect(view.paymentMediumBrand?.id == T.brandVisa)
        #expect(
            view.performedByUnit
                == ReferredView(id: T.unitFront, name: "Front desk", alternativeCode: "FD", description: "At the door")
        )
        #expect(view.performedByBusinessUnit == ReferredView(id: T.businessShop, name: "Shop", code: "SHOP"))
        #expect(view.performedByTap == ReferredView(id: T.tapTwo, name: "Till 2", code: "T2"))
        #expect(view.authorizedByAccessToken == Self.tokenView)
        let user = ReferredView(id: T.userAlice, name: "alice")
        #expect(
            view.logInformation
                == LogInformationView(createdDate: T.now, updatedDate: T.now, createdByUser: user, updatedByUser: user)
        )
        #expect(view.awardRewardTransactionsSet == Self.awardViews)
    }

    static let tokenView = ReferredView(
        id: TestCatalog.tokenAlice,
        number: "AT-1",
        lifeCycleState: "EFFECTIVE",
        authenticationCode: "CARD-1111",
        identifier: "ID-1",
        classification: ShortReferenceView(id: TestCatalog.tokenClassCredit, name: "Credit card", alternativeCode: "CC")
    )

    static let awardViews = [
        AwardTransactionView(
            id: "00000000000000000000000000000007",
            number: "7",
            lifeCycleState: .posted,
            amount: 2,
            alternativeAmount: 20,
            expirationDate: TestCatalog.performedOn + 2 * 86_400_000,
            rewardOffer: ReferredView(id: TestCatalog.id("9", 1), name: "Offer 1", alternativeCode: "O1")
        ),
        AwardTransactionView(
            id: "00000000000000000000000000000000",
            number: "0",
            lifeCycleState: .posted,
            amount: 1,
            alternativeAmount: 10,
            expirationDate: 0,
            rewardOffer: ReferredView(id: TestCatalog.id("9", 2), name: "Offer 2", alternativeCode: "O2")
        ),
    ]

    @Test("SPEC §3: fields_set fills exactly the named fields")
    func maskedView() throws {
        let view = try Self.storedEvent().view(
            try FieldMask(fieldsSet: ["id", "amount", "udf_string_8", "performed_by_tap"])
        )
        var expected = EventView()
        expected.id = "0000000000000abc0000000000000001"
        expected.amount = 20
        expected.udfStrings[7] = "eight"
        expected.performedByTap = ReferredView(id: T.tapTwo, name: "Till 2", code: "T2")
        #expect(view == expected)
    }

    @Test("SPEC §3: process_immediately is accepted and never filled")
    func processImmediately() throws {
        let view = try Self.storedEvent().view(try FieldMask(fieldsSet: ["process_immediately"]))
        #expect(view == EventView())
    }

    @Test("award_reward_transactions_set is nil unless selected, empty when selected without awards")
    func awardsSet() throws {
        #expect(try Self.storedEvent().view(try FieldMask(fieldsSet: ["id"])).awardRewardTransactionsSet == nil)
        let plain = try T.event(T.command())
        #expect(plain.view(.all).awardRewardTransactionsSet == [])
    }

    @Test("fields the event does not have stay nil even when selected")
    func absentFields() throws {
        let view = try T.event(T.command()).view(.all)
        #expect(view.product == nil && view.performedByUnit == nil && view.authorizedByAccessToken == nil)
        #expect(view.amount == nil && view.description == nil && view.udfStrings.allSatisfy { $0 == nil })
        #expect(view.totalAwardedAmount == 0 && view.totalAwardedAlternativeAmount == 0)
    }

    @Test("each field number fills its own field", arguments: 1..<41)
    func oneBit(_ number: Int) throws {
        let view = try Self.storedEvent().view(FieldMask(bits: 1 << UInt64(number)))
        let full = try Self.storedEvent().view(.all)
        #expect((view == EventView()) == (number == 7))
        #expect(number == 7 || view != full)
    }
}
