extension CustomerEvent {
    /// The event as a response carries it: exactly the fields whose bits `mask` sets.
    ///
    /// Field numbers are those of `FieldMask.names`. `type` is always ACHIEVEMENT;
    /// `process_immediately` is never filled; the totals are the sums of the awards that are
    /// not CANCELLED, rounded to cents; `award_reward_transactions_set` is nil unless
    /// selected; an award without expiration has `expiration_date` 0 (the wire's "not set").
    /// Users in `log_information` carry the username in `name`. Called per response, on any queue.
    public func view(_ mask: FieldMask) -> EventView {
        var view = EventView()
        fillScalars(&view, mask)
        fillUserDefinedFields(&view, mask)
        fillReferences(&view, mask)
        if mask.contains(39) { view.logInformation = logInformation.view }
        if mask.contains(40) { view.awardRewardTransactionsSet = awardRewardTransactions.map(\.view) }
        return view
    }

    private func fillScalars(_ view: inout EventView, _ mask: FieldMask) {
        if mask.contains(1) { view.id = id.description }
        if mask.contains(2) { view.number = String(number) }
        if mask.contains(3) { view.type = "ACHIEVEMENT" }
        if mask.contains(4) { view.lifeCycleState = lifeCycleState }
        if mask.contains(5) { view.performedOn = performedOn }
        if mask.contains(6) { view.description = description }
        if mask.contains(8) { view.paymentMediumIdentifier = paymentMediumIdentifier }
        if mask.contains(9) { view.amount = amount }
        if mask.contains(10) { view.externalSystem = externalSystem }
        if mask.contains(11) { view.externalSystemReferenceNumber = externalSystemReferenceNumber }
        if mask.contains(12) { view.totalAwardedAmount = RewardEvaluation.roundToCents(totalAwardedAmount) }
        if mask.contains(13) {
            view.totalAwardedAlternativeAmount = RewardEvaluation.roundToCents(totalAwardedAlternativeAmount)
        }
    }

    private func fillUserDefinedFields(_ view: inout EventView, _ mask: FieldMask) {
        guard let udfs = userDefinedFields else { return }
        for index in 0..<8 where mask.contains(14 + index) && udfs.strings.indices.contains(index) {
            view.udfStrings[index] = udfs.strings[index]
        }
        for index in 0..<4 {
            if mask.contains(22 + index), udfs.floats.indices.contains(index) {
                view.udfFloats[index] = udfs.floats[index]
            }
            if mask.contains(26 + index), udfs.dates.indices.contains(index) {
                view.udfDates[index] = udfs.dates[index]
            }
        }
    }

    private func fillReferences(_ view: inout EventView, _ mask: FieldMask) {
        if mask.contains(30) { view.classification = classification.namedView }
        if mask.contains(31) {
            view.accountsReceivable = ReferredView(
                id: accountsReceivable.id,
                number: accountsReceivable.number,
                name: accountsReceivable.name,
                lifeCycleState: accountsReceivable.lifeCycleState
            )
        }
        if mask.contains(32) {
            view.product = product.map {
                ReferredView(id: $0.id, code: $0.code, alternativeCode: $0.alternativeCode, description: $0.description)
            }
        }
        if mask.contains(33) { view.paymentMediumType = paymentMediumType?.namedView }
        if mask.contains(34) { view.paymentMediumBrand = paymentMediumBrand?.namedView }
        if mask.contains(35) {
            view.performedByUnit = performedByUnit.map {
                ReferredView(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode, description: $0.description)
            }
        }
        if mask.contains(36) { view.performedByBusinessUnit = performedByBusinessUnit?.codedView }
        if mask.contains(37) { view.performedByTap = performedByTap?.codedView }
        if mask.contains(38) { view.authorizedByAccessToken = authorizedByAccessToken?.accessTokenView }
    }
}

extension ReferredObject {
    /// {id, name, alternative_code}: classification, payment medium type/brand, reward offer.
    var namedView: ReferredView { ReferredView(id: id, name: name, alternativeCode: alternativeCode) }

    /// {id, name, code}: business unit, transaction acquiring point.
    var codedView: ReferredView { ReferredView(id: id, name: name, code: code) }

    /// {id, name = username}: a user of `log_information`.
    var userView: ReferredView { ReferredView(id: id, name: name) }

    /// {id, number, life_cycle_state, authentication_code, identifier, classification}.
    var accessTokenView: ReferredView {
        ReferredView(
            id: id,
            number: number,
            lifeCycleState: lifeCycleState,
            authenticationCode: authenticationCode,
            identifier: identifier,
            classification: classification.map {
                ShortReferenceView(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode)
            }
        )
    }
}

extension LogInformation {
    /// The response form: dates and the two users.
    var view: LogInformationView {
        LogInformationView(
            createdDate: createdDate,
            updatedDate: updatedDate,
            createdByUser: createdByUser.userView,
            updatedByUser: updatedByUser.userView
        )
    }
}

extension AwardTransaction {
    /// The response form; no expiration date is 0.
    var view: AwardTransactionView {
        AwardTransactionView(
            id: id.description,
            number: String(number),
            lifeCycleState: lifeCycleState,
            amount: amount,
            alternativeAmount: alternativeAmount,
            expirationDate: expirationDate ?? 0,
            rewardOffer: rewardOffer.namedView
        )
    }
}
