/// A pass code check: `(passCode, crypt(3) hash) -> matches`; injected, since Domain has no crypt.
public typealias PassCodeVerifier = @Sendable (_ passCode: String, _ hash: String) -> Bool

extension CatalogIndex {
    /// Resolves a login's `unit` (id, name or alternative_code): shape, then lookup.
    ///
    /// - Parameter field: the identifier's path in violations (`unit`).
    /// - Throws: INVALID_ARGUMENT `INVALID_IDENTIFIER` / `STRING_TOO_LONG` / `AMBIGUOUS_IDENTIFIER`,
    ///   NOT_FOUND `UNIT_NOT_FOUND`.
    public func resolveUnit(_ identifier: Identifier, field: String) throws(DomainError) -> Catalog.Unit {
        let spec = IdentifierSpec.unit.at(field)
        try Self.checkShape(identifier, spec)
        return try resolve(identifier, spec, in: units).record
    }

    /// Resolves a classification identifier (id, name or alternative_code), e.g. a list filter.
    ///
    /// - Throws: INVALID_ARGUMENT for a bad shape or several matches, NOT_FOUND `CLASSIFICATION_NOT_FOUND`.
    public func resolveClassification(
        _ identifier: Identifier,
        field: String
    ) throws(DomainError) -> Catalog.NamedRecord {
        let spec = IdentifierSpec.classification.at(field)
        try Self.checkShape(identifier, spec)
        return try resolve(identifier, spec, in: classifications).record
    }

    /// Resolves an accounts receivable identifier (id, number, name or access token), e.g. a list
    /// filter. The token's state is not checked here; its pass code is (slow when given).
    ///
    /// - Throws: INVALID_ARGUMENT for a bad shape or several matches, NOT_FOUND
    ///   `ACCOUNTS_RECEIVABLE_NOT_FOUND` or `ACCESS_TOKEN_NOT_FOUND` (also for a wrong pass code).
    public func resolveAccountsReceivable(
        _ identifier: Identifier,
        field: String,
        verifyPassCode: PassCodeVerifier
    ) throws(DomainError) -> Catalog.AccountsReceivable {
        let spec = IdentifierSpec.accountsReceivable.at(field)
        try Self.checkShape(identifier, spec)
        return try resolveAccount(identifier, spec, verify: verifyPassCode).account.record
    }

    /// Throws the syntactic issues of one identifier, if any.
    static func checkShape(_ identifier: Identifier, _ spec: IdentifierSpec) throws(DomainError) {
        var issues: [Finding] = []
        Syntax.identifier(identifier, spec, into: &issues)
        guard issues.isEmpty else { throw DomainError(issues: issues) }
    }

    /// The record named by the one allowed field given (shape already checked).
    func resolve<Record>(
        _ identifier: Identifier,
        _ spec: IdentifierSpec,
        in table: RecordTable<Record>
    ) throws(DomainError) -> CatalogEntry<Record> {
        for field in spec.allowed {
            guard let value = identifier.value(of: field) else { continue }
            return try single(table.matches(field, value), in: table, spec)
        }
        throw DomainError(issues: [
            Finding("INVALID_IDENTIFIER", spec.path, "\(spec.path) needs exactly one of \(spec.allowedList).")
        ])
    }

    /// The one match, NOT_FOUND for none, AMBIGUOUS_IDENTIFIER for several.
    func single<Record>(
        _ match: RecordTable<Record>.Match?,
        in table: RecordTable<Record>,
        _ spec: IdentifierSpec
    ) throws(DomainError) -> CatalogEntry<Record> {
        guard let match else { throw .notFound(spec) }
        guard !match.several else { throw .ambiguous(spec.path, noun: spec.noun) }
        return table.entry(Int(match.first))
    }

    /// The access token named by `authentication_code`, or by `identifier` whose pass code
    /// verifies; a wrong pass code is reported as not found (which part was wrong stays hidden).
    func resolveToken(
        _ identifier: AccessTokenIdentifier,
        path: String,
        verify: PassCodeVerifier
    ) throws(DomainError) -> CatalogEntry<Catalog.AccessToken> {
        let spec = IdentifierSpec.accessToken.at(path)
        if let code = nonEmpty(identifier.authenticationCode) {
            return try single(accessTokens.matches(.authenticationCode, code), in: accessTokens, spec)
        }
        guard let value = nonEmpty(identifier.identifier) else { throw .notFound(spec) }
        let token = try single(accessTokens.matches(.identifier, value), in: accessTokens, spec)
        guard let passCode = nonEmpty(identifier.passCode), verify(passCode, token.record.passCodeHash) else {
            throw .notFound(spec)
        }
        return token
    }

    /// The accounts receivable, and the access token when it identified the account.
    func resolveAccount(
        _ identifier: Identifier,
        _ spec: IdentifierSpec,
        verify: PassCodeVerifier
    ) throws(DomainError) -> (
        account: CatalogEntry<Catalog.AccountsReceivable>, token: CatalogEntry<Catalog.AccessToken>?
    ) {
        guard let tokenIdentifier = identifier.accessTokenIdentifier else {
            return (try resolve(identifier, spec, in: accountsReceivable), nil)
        }
        let token = try resolveToken(tokenIdentifier, path: spec.path + ".access_token_identifier", verify: verify)
        guard let account = accountsReceivable.first(id: token.record.accountsReceivableID) else {
            throw .notFound(spec)
        }
        return (account, token)
    }

    /// The rewards participant, and the access token when it identified the participant
    /// (the one participant of the token's accounts receivable).
    func resolveParticipant(
        _ identifier: Identifier,
        _ spec: IdentifierSpec,
        verify: PassCodeVerifier
    ) throws(DomainError) -> (participant: Catalog.RewardsParticipant, token: CatalogEntry<Catalog.AccessToken>?) {
        guard let tokenIdentifier = identifier.accessTokenIdentifier else {
            return (try resolve(identifier, spec, in: rewardsParticipants).record, nil)
        }
        let token = try resolveToken(tokenIdentifier, path: spec.path + ".access_token_identifier", verify: verify)
        let match = rewardsParticipants.matches(.accountsReceivableID, token.record.accountsReceivableID)
        return (try single(match, in: rewardsParticipants, spec).record, token)
    }
}

extension IdentifierSpec {
    static let accessToken = IdentifierSpec(
        path: "access_token_identifier",
        allowed: [.authenticationCode, .identifier],
        allowsAccessToken: false,
        notFoundCode: "ACCESS_TOKEN_NOT_FOUND",
        noun: "access token"
    )
}
