/// Everything a create's identifiers resolved to (lookups done, state not yet checked).
///
/// Lives within one `AchievementRules.draft` call: its catalog objects are not owned (the
/// catalog owns them; see `CatalogEntry`), so copying it retains nothing.
struct ResolvedCreate: Sendable {
    var account: CatalogEntry<Catalog.AccountsReceivable>
    /// The token of `accounts_receivable_identifier.access_token_identifier`, when used.
    var accountToken: CatalogEntry<Catalog.AccessToken>?
    var participant: Catalog.RewardsParticipant?
    /// The token of `rewards_participant_identifier.access_token_identifier`, when used.
    var participantToken: CatalogEntry<Catalog.AccessToken>?
    var classification: CatalogEntry<Catalog.NamedRecord>
    var product: CatalogEntry<Catalog.Product>?
    var paymentMediumType: CatalogEntry<Catalog.NamedRecord>?
    var paymentMediumBrand: CatalogEntry<Catalog.NamedRecord>?
    var performedBy: PerformedBy
    /// The token of `authorized_by_access_token_identifier`, when given.
    var authorizedToken: CatalogEntry<Catalog.AccessToken>?

    /// The event's `authorized_by_access_token`: the account's token overrides the parameter.
    var authorizingToken: CatalogEntry<Catalog.AccessToken>? { accountToken ?? authorizedToken }

    /// The catalog positions of the event's referred objects: equal keys, equal sets.
    var setKey: ReferredSetCache.Key {
        ReferredSetCache.Key(
            classification: classification.position, accountsReceivable: account.position, product: product?.position ?? -1,
            paymentMediumType: paymentMediumType?.position ?? -1, paymentMediumBrand: paymentMediumBrand?.position ?? -1,
            performedBy: performedBy.key, authorizedByAccessToken: authorizingToken?.position ?? -1)
    }
}

/// The unit, business unit and TAP an event was performed by (derived ones included).
///
/// Not owned: the `CatalogIndex` that holds these (built once per unit and business unit)
/// also holds the objects.
struct PerformedBy: Sendable {
    unowned(unsafe) var unit: ReferredObject?
    unowned(unsafe) var businessUnit: ReferredObject?
    unowned(unsafe) var tap: ReferredObject?
    /// What it was made from, unique in its catalog: 3 × the position of its unit, business
    /// unit (+ 1) or TAP (+ 2).
    var key: Int
}

/// The lookup step of a create: resolves every identifier in the seed's parameter order; when
/// some fail (NOT_FOUND, AMBIGUOUS_IDENTIFIER), throws them all as one error, after the first.
struct CreateResolver {
    let catalog: CatalogIndex
    let verify: PassCodeVerifier

    /// Resolves `command`, whose syntax has been checked.
    func resolve(_ command: CreateAchievement) throws(DomainError) -> ResolvedCreate {
        var failures = ErrorCollector()
        // Mandatory identifiers are bound in place: a function returning them copied each of
        // their strings (a retain and a release each, 1.4 % of a create's instructions).
        guard let accountIdentifier = command.accountsReceivableIdentifier else { throw missing(.accountsReceivable) }
        typealias Account = (account: CatalogEntry<Catalog.AccountsReceivable>, token: CatalogEntry<Catalog.AccessToken>?)
        typealias Participant = (participant: Catalog.RewardsParticipant, token: CatalogEntry<Catalog.AccessToken>?)
        let account = failures.attempt { () throws(DomainError) -> Account in
            try catalog.resolveAccount(accountIdentifier, .accountsReceivable, verify: verify)
        }
        let participant = failures.attempt { () throws(DomainError) -> Participant? in try self.participant(command) } ?? nil
        guard let classificationIdentifier = command.classificationIdentifier else { throw missing(.classification) }
        let classification = failures.attempt { () throws(DomainError) -> CatalogEntry<Catalog.NamedRecord> in
            try catalog.resolve(classificationIdentifier, .classification, in: catalog.classifications)
        }
        let product = failures.attempt { () throws(DomainError) -> CatalogEntry<Catalog.Product>? in
            try optional(command.productIdentifier, .product, in: catalog.products)
        } ?? nil
        let type = failures.attempt { () throws(DomainError) -> CatalogEntry<Catalog.NamedRecord>? in
            try optional(command.paymentMediumTypeIdentifier, .paymentMediumType, in: catalog.paymentMediumTypes)
        } ?? nil
        let brand = failures.attempt { () throws(DomainError) -> CatalogEntry<Catalog.NamedRecord>? in
            try optional(command.paymentMediumBrandIdentifier, .paymentMediumBrand, in: catalog.paymentMediumBrands)
        } ?? nil
        let performedBy = failures.attempt { () throws(DomainError) -> PerformedBy in try self.performedBy(command) }
        let authorized = failures.attempt { () throws(DomainError) -> CatalogEntry<Catalog.AccessToken>? in try self.authorized(command) } ?? nil
        guard let account, let classification, let performedBy else {
            try failures.throwIfAny()
            throw missing(.accountsReceivable)  // unreachable: each nil above kept an error
        }
        try failures.throwIfAny()
        return ResolvedCreate(
            account: account.account,
            accountToken: account.token,
            participant: participant?.participant,
            participantToken: participant?.token,
            classification: classification,
            product: product,
            paymentMediumType: type,
            paymentMediumBrand: brand,
            performedBy: performedBy,
            authorizedToken: authorized
        )
    }

    /// The rewards participant (and its token), nil when not given.
    private func participant(
        _ command: CreateAchievement
    ) throws(DomainError) -> (participant: Catalog.RewardsParticipant, token: CatalogEntry<Catalog.AccessToken>?)? {
        guard let identifier = command.rewardsParticipantIdentifier else { return nil }
        return try catalog.resolveParticipant(identifier, .rewardsParticipant, verify: verify)
    }

    /// The token of `authorized_by_access_token_identifier`, nil when not given.
    private func authorized(_ command: CreateAchievement) throws(DomainError) -> CatalogEntry<Catalog.AccessToken>? {
        guard let identifier = command.authorizedByAccessTokenIdentifier else { return nil }
        return try catalog.resolveToken(identifier, path: "authorized_by_access_token_identifier", verify: verify)
    }

    /// The unit, business unit or TAP given, with what it derives: a unit gives its own TAP,
    /// else its business unit's TAP, and its business unit; a business unit gives its TAP.
    func performedBy(_ command: CreateAchievement) throws(DomainError) -> PerformedBy {
        if let identifier = command.performedByUnitIdentifier {
            return catalog.performedByUnit[try catalog.resolve(identifier, .unit, in: catalog.units).position]
        }
        if let identifier = command.performedByBusinessUnitIdentifier {
            let businessUnit = try catalog.resolve(identifier, .businessUnit, in: catalog.businessUnits)
            return catalog.performedByBusinessUnit[businessUnit.position]
        }
        if let identifier = command.performedByTapIdentifier {
            let tap = try catalog.resolve(identifier, .tap, in: catalog.taps)
            return PerformedBy(unit: nil, businessUnit: nil, tap: tap.reference, key: 3 * tap.position + 2)
        }
        var issues: [Finding] = []
        CreateSyntax.performedBy(command, into: &issues)
        throw DomainError(issues: issues)
    }

    /// The catalog entry of an optional identifier, nil when not given.
    private func optional<Record>(
        _ identifier: Identifier?,
        _ spec: IdentifierSpec,
        in table: RecordTable<Record>
    ) throws(DomainError) -> CatalogEntry<Record>? {
        guard let identifier else { return nil }
        return try catalog.resolve(identifier, spec, in: table)
    }

    /// The error of an absent mandatory identifier (the syntax step reports it first; checked
    /// again here so that nothing traps).
    private func missing(_ spec: IdentifierSpec) -> DomainError {
        DomainError(issues: [Syntax.missing(spec.path)])
    }
}
