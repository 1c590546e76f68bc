import Domain

/// The Login method: checks credentials against the catalog's hashes off the caller's
/// thread, issues and releases tokens, and checks tokens for every other method.
public final class Authenticator: Sendable {
    /// Issued tokens.
    public let tokens: TokenStore
    private let catalog: CatalogIndex
    private let hasher: SecretHasher
    /// Hash checked when the username is unknown, so both cases cost the same time.
    private let decoyHash: String

    /// An authenticator over `catalog`, running secret checks on `hasher`'s bounded queue.
    public init(catalog: CatalogIndex, hasher: SecretHasher = SecretHasher(), tokens: TokenStore = TokenStore()) {
        self.catalog = catalog
        self.hasher = hasher
        self.tokens = tokens
        decoyHash = catalog.catalog.users.first?.passwordHash ?? "$6$decoy$"
    }

    private static let invalidCredentials = DomainError(
        .unauthenticated, "INVALID_CREDENTIALS", "The credentials are not valid.")

    /// Runs a login. Synchronous answers (bad shape, release, overload) return a result; a
    /// credential check returns nil and calls `completion` from the crypt queue later.
    /// `begin` runs on the crypt queue before the check; false abandons it (call cancelled).
    public func login(
        _ command: LoginCommand, now: @escaping @Sendable () -> Milliseconds,
        begin: @escaping @Sendable () -> Bool,
        completion: @escaping @Sendable (Result<LoginResult, DomainError>) -> Void
    ) -> Result<LoginResult, DomainError>? {
        do throws(DomainError) { try LoginRules.validate(command) } catch { return .failure(error) }
        if let release = command.release {
            tokens.release(release)
            return .success(LoginResult(token: "", expiresAt: 0))
        }
        let check: @Sendable () -> Result<LoginResult, DomainError>
        if let key = command.webAPIKey {
            check = { self.checkKey(key, unit: command.unit, now: now()) }
        } else if let username = command.username, let password = command.password, let organisation = command.organisation {
            check = { self.checkPassword(username, password, organisation, unit: command.unit, now: now()) }
        } else {
            return .failure(Self.invalidCredentials)  // not reached: LoginRules.validate refuses it
        }
        let admitted = hasher.submit {
            guard begin() else { return }
            completion(check())
        }
        return admitted ? nil : .failure(DomainError(.resourceExhausted, "OVERLOADED", "Too many logins in progress; retry shortly."))
    }

    private func checkPassword(_ username: String, _ password: String, _ organisation: String, unit: Identifier?, now: Milliseconds) -> Result<LoginResult, DomainError> {
        guard let user = catalog.user(username: username, organisation: organisation) else {
            _ = SecretHasher.verify(password, hash: decoyHash)
            return .failure(Self.invalidCredentials)
        }
        guard SecretHasher.verify(password, hash: user.passwordHash) else { return .failure(Self.invalidCredentials) }
        return issue(userID: user.id, unit: unit, now: now)
    }

    private func checkKey(_ key: String, unit: Identifier?, now: Milliseconds) -> Result<LoginResult, DomainError> {
        let parts = key.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let record = catalog.webAPIKey(id: String(parts[0])) else {
            _ = SecretHasher.verify(key, hash: decoyHash)
            return .failure(Self.invalidCredentials)
        }
        guard SecretHasher.verify(String(parts[1]), hash: record.keyHash) else { return .failure(Self.invalidCredentials) }
        return issue(userID: record.userID, unit: unit, now: now)
    }

    private func issue(userID: String, unit: Identifier?, now: Milliseconds) -> Result<LoginResult, DomainError> {
        guard let user = catalog.userReference(id: userID) else { return .failure(Self.invalidCredentials) }
        var unitID: String?
        if let unit {
            do throws(DomainError) { unitID = try catalog.resolveUnit(unit, field: "unit").id } catch { return .failure(error) }
        }
        return .success(tokens.issue(user: user, unitID: unitID, now: now))
    }
}
