extension CustomerEvent {
    /// The event CANCELLED by `user` at `now`: its awards CANCELLED (so the totals are 0),
    /// `updated_date` and `updated_by_user` set; id, number and everything else kept.
    ///
    /// Called by the store under its write lock before logging the cancel.
    /// - Returns: FAILED_PRECONDITION `EVENT_ALREADY_CANCELLED` when already cancelled.
    public func cancelled(now: Milliseconds, by user: ReferredObject) -> Result<CustomerEvent, DomainError> {
        guard lifeCycleState == .posted else {
            return .failure(
                DomainError(.failedPrecondition, "EVENT_ALREADY_CANCELLED", "The customer event is already cancelled.")
            )
        }
        var event = self
        event.lifeCycleState = .cancelled
        for index in event.awardRewardTransactions.indices {
            event.awardRewardTransactions[index].lifeCycleState = .cancelled
        }
        event.logInformation.updatedDate = now
        event.logInformation.updatedByUser = user
        return .success(event)
    }

    /// True when `other` was created from a request with the same content, for idempotent
    /// retries on `(external_system, external_system_reference_number)`.
    ///
    /// Compares what the request determined: `performed_on`, `description`,
    /// `payment_medium_identifier`, `amount`, `external_system`,
    /// `external_system_reference_number`, the UDFs, the promo code, and the ids (either case)
    /// of the classification, accounts receivable, product, payment medium type and brand,
    /// unit, business unit, TAP and authorizing access token. Not compared: id, number,
    /// state, log information, awards. NaN equals NaN here (a retry repeats the same bits).
    public func hasSameContent(as other: CustomerEvent) -> Bool {
        performedOn == other.performedOn && description == other.description
            && paymentMediumIdentifier == other.paymentMediumIdentifier && sameNumber(amount, other.amount)
            && externalSystem == other.externalSystem
            && externalSystemReferenceNumber == other.externalSystemReferenceNumber
            && sameUserDefinedFields(userDefinedFields, other.userDefinedFields) && promoCode == other.promoCode
            && sameReferences(other)
    }

    private func sameReferences(_ other: CustomerEvent) -> Bool {
        sameID(classification.id, other.classification.id)
            && sameID(accountsReceivable.id, other.accountsReceivable.id)
            && sameReference(product, other.product)
            && sameReference(paymentMediumType, other.paymentMediumType)
            && sameReference(paymentMediumBrand, other.paymentMediumBrand)
            && sameReference(performedByUnit, other.performedByUnit)
            && sameReference(performedByBusinessUnit, other.performedByBusinessUnit)
            && sameReference(performedByTap, other.performedByTap)
            && sameReference(authorizedByAccessToken, other.authorizedByAccessToken)
    }
}

/// Both absent, or both present with the same id (either case).
private func sameReference(_ lhs: ReferredObject?, _ rhs: ReferredObject?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): true
    case let (lhs?, rhs?): sameID(lhs.id, rhs.id)
    default: false
    }
}

/// Equal numbers, both absent, or both NaN.
private func sameNumber(_ lhs: Double?, _ rhs: Double?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): true
    case let (lhs?, rhs?): lhs == rhs || (lhs.isNaN && rhs.isNaN)
    default: false
    }
}

/// Equal UDFs, a NaN float equal to a NaN float; absent equals all-empty.
private func sameUserDefinedFields(_ lhs: UserDefinedFields?, _ rhs: UserDefinedFields?) -> Bool {
    let lhs = lhs ?? UserDefinedFields()
    let rhs = rhs ?? UserDefinedFields()
    guard lhs.strings == rhs.strings, lhs.dates == rhs.dates, lhs.floats.count == rhs.floats.count else { return false }
    return zip(lhs.floats, rhs.floats).allSatisfy { sameNumber($0, $1) }
}
