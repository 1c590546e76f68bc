/// The consistency and state step of a create, after every lookup succeeded.
///
/// Order: first the INVALID_ARGUMENT rules that need the catalog (rewards participant
/// mismatch, payment medium not allowed, promo code), in the seed's parameter order; then the
/// FAILED_PRECONDITION states (access tokens EFFECTIVE, accounts receivable ACTIVE), also in
/// the seed's order. Each of the two steps reports every failure it finds, as one error; the
/// states are checked only when the arguments pass.
enum CreateConsistency {
    /// The `life_cycle_state` an access token must have to identify or authorize.
    static let effective = "EFFECTIVE"
    /// The `life_cycle_state` an accounts receivable must have.
    static let active = "ACTIVE"

    /// Checks `resolved` against `command` and the catalog.
    static func check(
        _ command: CreateAchievement,
        _ resolved: ResolvedCreate,
        catalog: CatalogIndex
    ) throws(DomainError) {
        try checkArguments(command, resolved, catalog: catalog)
        try checkStates(resolved)
    }

    private static func checkArguments(
        _ command: CreateAchievement,
        _ resolved: ResolvedCreate,
        catalog: CatalogIndex
    ) throws(DomainError) {
        var failures = ErrorCollector()
        // The account's record is read in place each time: bound to a `let`, it was copied.
        if let participant = resolved.participant, !sameID(participant.accountsReceivableID, resolved.account.record.id) {
            failures.add(invalid(
                "REWARDS_PARTICIPANT_MISMATCH",
                IdentifierSpec.rewardsParticipant.path,
                "The rewards participant does not belong to the accounts receivable."
            ))
        }
        if let type = resolved.paymentMediumType, !allows(resolved.account.record.paymentMediumTypeIDs, type.record.id) {
            failures.add(invalid(
                "PAYMENT_MEDIUM_NOT_ALLOWED",
                IdentifierSpec.paymentMediumType.path,
                "The payment medium type is not allowed for the accounts receivable."
            ))
        }
        if let brand = resolved.paymentMediumBrand, !allows(resolved.account.record.paymentMediumBrandIDs, brand.record.id) {
            failures.add(invalid(
                "PAYMENT_MEDIUM_NOT_ALLOWED",
                IdentifierSpec.paymentMediumBrand.path,
                "The payment medium brand is not allowed for the accounts receivable."
            ))
        }
        if let code = nonEmpty(command.promoCode), let performedOn = command.performedOn,
            !catalog.isValidPromoCode(code, on: performedOn)
        {
            failures.add(invalid(
                "PROMO_CODE_INVALID",
                "promo_code",
                "promo_code is not a code of a campaign effective on performed_on."
            ))
        }
        try failures.throwIfAny()
    }

    private static func checkStates(_ resolved: ResolvedCreate) throws(DomainError) {
        var failures = ErrorCollector()
        requireEffective(resolved.accountToken, "accounts_receivable_identifier.access_token_identifier", into: &failures)
        if resolved.account.record.lifeCycleState != active {
            failures.add(DomainError(
                .failedPrecondition,
                issue: Finding(
                    "ACCOUNT_NOT_ACTIVE",
                    IdentifierSpec.accountsReceivable.path,
                    "The accounts receivable is not ACTIVE."
                )
            ))
        }
        requireEffective(resolved.participantToken, "rewards_participant_identifier.access_token_identifier", into: &failures)
        requireEffective(resolved.authorizedToken, "authorized_by_access_token_identifier", into: &failures)
        try failures.throwIfAny()
    }

    private static func requireEffective(
        _ token: CatalogEntry<Catalog.AccessToken>?,
        _ path: String,
        into failures: inout ErrorCollector
    ) {
        guard let token, token.record.lifeCycleState != effective else { return }
        failures.add(DomainError(
            .failedPrecondition,
            issue: Finding("ACCESS_TOKEN_NOT_EFFECTIVE", path, "The access token of \(path) is not EFFECTIVE.")
        ))
    }

    /// Fills a payment medium type or brand not given from the authorizing access token's
    /// classification.
    ///
    /// Decision: a default is applied only when it resolves and is allowed for the accounts
    /// receivable; otherwise the field stays empty. A default is the catalog's choice, not
    /// the caller's, so it never fails a create with PAYMENT_MEDIUM_NOT_ALLOWED.
    static func applyDefaults(_ resolved: inout ResolvedCreate, catalog: CatalogIndex) {
        guard let token = resolved.authorizingToken,
            let classification = catalog.accessTokenClassifications.first(id: token.record.classificationID)?.record
        else { return }
        let account = resolved.account.record
        if resolved.paymentMediumType == nil,
            let type = catalog.paymentMediumTypes.first(id: classification.defaultPaymentMediumTypeID),
            allows(account.paymentMediumTypeIDs, type.record.id)
        {
            resolved.paymentMediumType = type
        }
        if resolved.paymentMediumBrand == nil,
            let brand = catalog.paymentMediumBrands.first(id: classification.defaultPaymentMediumBrandID),
            allows(account.paymentMediumBrandIDs, brand.record.id)
        {
            resolved.paymentMediumBrand = brand
        }
    }

    /// True when `ids` holds `id` (either case), or when `ids` is empty: an account that lists
    /// no allowed payment media restricts none (PROTOCOL.md, decisions).
    static func allows(_ ids: [String], _ id: String) -> Bool {
        ids.isEmpty || ids.contains { sameID($0, id) }
    }

    private static func invalid(_ code: String, _ path: String, _ text: String) -> DomainError {
        DomainError(.invalidArgument, issue: Finding(code, path, text))
    }
}

/// True when two hex ids are equal in either case.
func sameID(_ lhs: String, _ rhs: String) -> Bool {
    lhs == rhs || lhs.lowercased() == rhs.lowercased()
}
