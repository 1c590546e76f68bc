import Domain
import Testing

@Suite struct CustomerEventLifecycleTests {
    typealias T = TestCatalog
    static let bob = ReferredObject(id: TestCatalog.id("7", 2), name: "bob")

    @Test("SPEC §3: cancel makes the event and its awards CANCELLED, totals 0, log updated")
    func cancel() throws {
        let event = try CustomerEventViewTests.storedEvent()
        let cancelled = try event.cancelled(now: 10_000_000, by: Self.bob).get()
        #expect(cancelled.lifeCycleState == .cancelled)
        #expect(cancelled.awardRewardTransactions.allSatisfy { $0.lifeCycleState == .cancelled })
        #expect(cancelled.awardRewardTransactions.count == event.awardRewardTransactions.count)
        #expect(cancelled.totalAwardedAmount == 0 && cancelled.totalAwardedAlternativeAmount == 0)
        #expect(
            cancelled.logInformation.updatedDate == 10_000_000 && cancelled.logInformation.updatedByUser === Self.bob
        )
        #expect(cancelled.logInformation.createdDate == T.now && cancelled.logInformation.createdByUser == T.user)
        #expect(cancelled.id == event.id && cancelled.number == event.number && cancelled.hasSameContent(as: event))
    }

    @Test("SPEC §3: cancelling a cancelled event is EVENT_ALREADY_CANCELLED")
    func cancelTwice() throws {
        let cancelled = try CustomerEventViewTests.storedEvent().cancelled(now: 1, by: Self.bob).get()
        guard case .failure(let error) = cancelled.cancelled(now: 2, by: Self.bob) else {
            Issue.record("expected a failure")
            return
        }
        expect(error, .failedPrecondition, "EVENT_ALREADY_CANCELLED")
    }

    @Test("SPEC §3: a retry of the same request has the same content, whatever its id, number, log or awards")
    func sameContent() throws {
        var command = T.command()
        command.amount = 3
        command.externalSystemReferenceNumber = "R-1"
        command.userDefinedFields.floats[1] = .nan
        let first = try T.event(command)
        var retry = try T.event(command, catalog: CatalogIndex(T.catalog(offers: [T.offer(1)])))
        retry.id = EventID(high: 1, low: 2)
        retry.number = 99
        retry.logInformation.createdDate = 1
        #expect(first.hasSameContent(as: retry) && retry.hasSameContent(as: first))
    }

    @Test(
        "SPEC §3: any difference in what the request determined is different content",
        arguments: [
            "performed_on", "description", "payment_medium_identifier", "amount", "external_system",
            "external_system_reference_number", "udf", "promo_code", "classification", "accounts_receivable", "product",
            "payment_medium_type", "payment_medium_brand", "unit", "tap", "authorized_by",
        ]
    )
    func differentContent(_ field: String) throws {
        let base = T.command()
        var other = base
        switch field {
        case "performed_on": other.performedOn = T.performedOn + 1
        case "description": other.description = "x"
        case "payment_medium_identifier": other.paymentMediumIdentifier = "x"
        case "amount": other.amount = 1
        case "external_system": other.externalSystem = "x"
        case "external_system_reference_number": other.externalSystemReferenceNumber = "x"
        case "udf": other.userDefinedFields.dates[2] = 5
        case "promo_code": other.promoCode = "ALWAYS"
        case "classification": other.classificationIdentifier = Identifier(name: "Visit")
        case "accounts_receivable": other.accountsReceivableIdentifier = Identifier(number: "AR-002")
        case "product": other.productIdentifier = Identifier(code: "TEA")
        case "payment_medium_type": other.paymentMediumTypeIdentifier = Identifier(name: "Card")
        case "payment_medium_brand": other.paymentMediumBrandIdentifier = Identifier(name: "Visa")
        case "unit": setIdentifier(&other, "performed_by_unit_identifier", Identifier(name: "Back office"))
        case "tap": setIdentifier(&other, "performed_by_tap_identifier", Identifier(code: "T1"))
        default: other.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-1111")
        }
        let lhs = try T.event(base)
        let rhs = try T.event(other)
        #expect(!lhs.hasSameContent(as: rhs) && !rhs.hasSameContent(as: lhs))
    }
}
