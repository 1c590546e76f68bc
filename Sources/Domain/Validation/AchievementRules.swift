/// Everything a create needs besides the command and the catalog.
public struct CreateContext: Sendable {
    /// The time of the call: `log_information.created_date` and `updated_date`.
    public var now: Milliseconds
    /// The calling token's user: id + name (= username); ideally `CatalogIndex.userReference(id:)`.
    public var user: ReferredObject
    /// Checks an access token's pass code against its crypt(3) hash (injected; slow; the server
    /// runs it off the connection queue).
    public var verifyPassCode: PassCodeVerifier

    /// Makes a context for one create call.
    public init(now: Milliseconds, user: ReferredObject, verifyPassCode: @escaping PassCodeVerifier) {
        self.now = now
        self.user = user
        self.verifyPassCode = verifyPassCode
    }
}

/// The rules of CreateAchievement (SPEC §3, §4, §8): validation, lookups, state, rewards.
///
/// Pure: no I/O, no clock (`context.now`), no threads. Checks run in SPEC §2's order:
/// 1. syntax — every issue collected in the seed's parameter order, one INVALID_ARGUMENT whose
///    code is the first issue's (`MANDATORY_PARAMETER_MISSING`, `INVALID_IDENTIFIER`,
///    `PERFORMED_BY_REQUIRED`, `PERFORMED_BY_CONFLICT`, `INVALID_AMOUNT`, `STRING_TOO_LONG`,
///    `UNKNOWN_FIELD`);
/// 2. lookups in the seed's order — NOT_FOUND `<IDENTIFIER>_NOT_FOUND` (a wrong pass code is
///    `ACCESS_TOKEN_NOT_FOUND`), INVALID_ARGUMENT `AMBIGUOUS_IDENTIFIER`;
/// 3. consistency — INVALID_ARGUMENT `REWARDS_PARTICIPANT_MISMATCH`, `PAYMENT_MEDIUM_NOT_ALLOWED`,
///    `PROMO_CODE_INVALID`;
/// 4. state — FAILED_PRECONDITION `ACCESS_TOKEN_NOT_EFFECTIVE`, `ACCOUNT_NOT_ACTIVE`.
public enum AchievementRules {
    /// Validates and resolves a create; the returned event has id EventID(high:0,low:0), number 0,
    /// and award transactions with zero ids/numbers: the store assigns them.
    ///
    /// Called once per create (and per bulk item), on the crypt queue when
    /// `needsPassCodeCheck` is true, else on any queue.
    public static func prepare(
        _ command: CreateAchievement,
        catalog: CatalogIndex,
        context: CreateContext
    ) -> Result<CustomerEvent, DomainError> {
        do throws(DomainError) {
            return .success(try draft(command, catalog: catalog, context: context))
        } catch {
            return .failure(error)
        }
    }

    /// True when the command carries an access token pass code (so the server runs `prepare` on its crypt queue).
    public static func needsPassCodeCheck(_ command: CreateAchievement) -> Bool {
        nonEmpty(command.accountsReceivableIdentifier?.accessTokenIdentifier?.passCode) != nil
            || nonEmpty(command.rewardsParticipantIdentifier?.accessTokenIdentifier?.passCode) != nil
            || nonEmpty(command.authorizedByAccessTokenIdentifier?.passCode) != nil
    }

    /// Every syntactic violation of `command`, in the seed's parameter order (no catalog needed).
    ///
    /// - Throws: INVALID_ARGUMENT coded after the first violation, carrying all of them.
    public static func validateSyntax(_ command: CreateAchievement) throws(DomainError) {
        let issues = CreateSyntax.issues(command)
        guard issues.isEmpty else { throw DomainError(issues: issues) }
    }

    /// `prepare` as a throwing call: the event itself, with no `Result` around it to copy it out of.
    /// With `referredSets` (the calling loop's), the event's referred set is one made before
    /// for the same objects when there is one.
    public static func draft(
        _ command: CreateAchievement,
        catalog: CatalogIndex,
        context: CreateContext,
        referredSets: ReferredSetCache? = nil
    ) throws(DomainError) -> CustomerEvent {
        try validateSyntax(command)
        guard let performedOn = command.performedOn else {
            throw DomainError(issues: [Syntax.missing("performed_on")])
        }
        var resolved = try CreateResolver(catalog: catalog, verify: context.verifyPassCode).resolve(command)
        try CreateConsistency.check(command, resolved, catalog: catalog)
        CreateConsistency.applyDefaults(&resolved, catalog: catalog)
        let promoCode = nonEmpty(command.promoCode)
        let facts = RewardEvaluation.Facts(
            classificationID: resolved.classification.record.id,
            productID: resolved.product?.record.id,
            amount: command.amount,
            performedOn: performedOn,
            promoCode: promoCode
        )
        let awards = RewardEvaluation.awards(for: facts, catalog: catalog)
        guard RewardEvaluation.areFinite(awards) else {
            throw DomainError(issues: [Finding("INVALID_AMOUNT", "amount", "amount is too large: its awards would not be finite numbers.")])
        }
        return makeEvent(command, performedOn: performedOn, resolved: resolved, awards: awards, context: context,
                         catalog: catalog, referredSets: referredSets)
    }

    /// The event a validated, resolved create makes: POSTED, id and number 0, log from `context`.
    private static func makeEvent(
        _ command: CreateAchievement,
        performedOn: Milliseconds,
        resolved: ResolvedCreate,
        awards: [AwardTransaction],
        context: CreateContext,
        catalog: CatalogIndex,
        referredSets: ReferredSetCache?
    ) -> CustomerEvent {
        let log = LogInformation(
            createdDate: context.now,
            updatedDate: context.now,
            createdByUser: context.user,
            updatedByUser: context.user
        )
        let referred = referredSets?.set(resolved.setKey, of: catalog) { referredSet(resolved) } ?? referredSet(resolved)
        let udfs = command.userDefinedFields
        return CustomerEvent(
            id: EventID(high: 0, low: 0), number: 0, lifeCycleState: .posted, performedOn: performedOn, amount: command.amount,
            externalSystem: command.externalSystem, externalSystemReferenceNumber: command.externalSystemReferenceNumber,
            logInformation: log, awardRewardTransactions: awards, referred: referred,
            extras: EventExtras.make(description: command.description, paymentMediumIdentifier: command.paymentMediumIdentifier,
                                     promoCode: nonEmpty(command.promoCode), userDefinedFields: udfs.isEmpty ? nil : udfs))
    }

    /// A new set of the objects `resolved` names.
    private static func referredSet(_ resolved: ResolvedCreate) -> ReferredSet {
        ReferredSet(
            classification: resolved.classification.reference, accountsReceivable: resolved.account.reference,
            product: resolved.product?.reference, paymentMediumType: resolved.paymentMediumType?.reference,
            paymentMediumBrand: resolved.paymentMediumBrand?.reference, performedByUnit: resolved.performedBy.unit,
            performedByBusinessUnit: resolved.performedBy.businessUnit, performedByTap: resolved.performedBy.tap,
            authorizedByAccessToken: resolved.authorizingToken?.reference)
    }
}
