import Domain
import Posix
import Synchronization

/// Who a valid token belongs to.
public struct Session: Sendable {
    /// The user as events record it (id, name = username).
    public var user: ReferredObject
    /// The unit given at login, if any.
    public var unitID: String?
    public var expiresAt: Milliseconds
}

/// Issued tokens: `<16 hex id>.<32 hex secret>` (64-bit id, 128-bit secret from the kernel's
/// generator). Looked up by id; the secret compared in constant time. Thread-safe (a lock).
public final class TokenStore: Sendable {
    /// How long a token lives: 2 hours from issue (CRM.COM R12+).
    public static let lifetime: Milliseconds = 2 * 60 * 60 * 1000

    fileprivate struct Entry {
        var secret: (UInt64, UInt64)
        var session: Session
    }

    private let entries = Locked<[UInt64: Entry]>([:])
    /// Releases so far: a `SessionCache` filled before the last one starts over.
    private let releases = Atomic<Int>(0)

    public init() {}

    /// Issues a token for `user`, valid until `now + lifetime`.
    public func issue(user: ReferredObject, unitID: String?, now: Milliseconds) -> LoginResult {
        var random = [UInt8](repeating: 0, count: 24)
        random.withUnsafeMutableBytes { FileSystem.randomBytes($0) }
        let id = random.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        let secret = random.withUnsafeBytes { ($0.loadUnaligned(fromByteOffset: 8, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) }
        let session = Session(user: user, unitID: unitID, expiresAt: now + Self.lifetime)
        entries.withLock { table in
            if table.count > 10_000 { table = table.filter { $0.value.session.expiresAt > now } }
            table[id] = Entry(secret: secret, session: session)
        }
        return LoginResult(token: "\(EventID(high: 0, low: id).description.suffix(16)).\(EventID(high: secret.0, low: secret.1))", expiresAt: session.expiresAt)
    }

    /// The session of a valid token.
    /// - Throws: UNAUTHENTICATED `TOKEN_INVALID` (unknown, malformed, released) or `TOKEN_EXPIRED`.
    public func check(_ token: String?, now: Milliseconds) throws(DomainError) -> Session {
        guard let token, let (id, secret) = Self.parse(token) else { throw Self.invalid }
        guard let entry = entries.withLock({ $0[id] }) else { throw Self.invalid }
        return try Self.verify(entry, secret, now: now)
    }

    /// `check(_:now:)` through `cache`, the calling event loop's: a token it has seen is
    /// checked without the store's lock and without touching the shared session (its user is
    /// the cache's own copy, so the events of each loop count references on that loop's core).
    /// A release anywhere empties every cache at its next check.
    public func check(_ token: String?, now: Milliseconds, cache: SessionCache) throws(DomainError) -> Session {
        guard let token, let (id, secret) = Self.parse(token) else { throw Self.invalid }
        let released = releases.load(ordering: .acquiring)
        if cache.releases != released {
            cache.entries.removeAll(keepingCapacity: true)
            cache.releases = released
        }
        let entry: Entry
        if let cached = cache.entries[id] {
            entry = cached
        } else {
            guard let shared = entries.withLock({ $0[id] }) else { throw Self.invalid }
            var session = shared.session
            session.user = ReferredObject(id: session.user.id, name: session.user.name)  // the loop's own instance
            entry = Entry(secret: shared.secret, session: session)
            if cache.entries.count >= SessionCache.limit { cache.entries.removeAll(keepingCapacity: true) }
            cache.entries[id] = entry
        }
        return try Self.verify(entry, secret, now: now)
    }

    private static func verify(_ entry: Entry, _ secret: (UInt64, UInt64), now: Milliseconds) throws(DomainError) -> Session {
        let difference = (entry.secret.0 ^ secret.0) | (entry.secret.1 ^ secret.1)
        guard difference == 0 else { throw Self.invalid }
        guard entry.session.expiresAt > now else {
            throw DomainError(.unauthenticated, "TOKEN_EXPIRED", "The token expired; log in again.")
        }
        return entry.session
    }

    /// Invalidates a token; unknown tokens are ignored.
    public func release(_ token: String) {
        guard let (id, secret) = Self.parse(token) else { return }
        entries.withLock { table in
            if let entry = table[id], entry.secret == secret { table[id] = nil }
        }
        releases.add(1, ordering: .releasing)
    }

    private static let invalid = DomainError(.unauthenticated, "TOKEN_INVALID", "The token is not valid.")

    /// `<16 hex>.<32 hex>` → (id, secret), without allocating (runs on every call).
    private static func parse(_ token: String) -> (UInt64, (UInt64, UInt64))? {
        token.withUTF8Bytes { bytes -> (UInt64, (UInt64, UInt64))? in
            guard bytes.count == 49, bytes[16] == UInt8(ascii: ".") else { return nil }
            guard let id = hexWord(bytes, at: 0), let high = hexWord(bytes, at: 17), let low = hexWord(bytes, at: 33) else { return nil }
            return (id, (high, low))
        }
    }
}

/// The sessions one event loop has checked (see `TokenStore.check(_:now:cache:)`). Not
/// thread-safe: one per event loop, used only on it.
public final class SessionCache {
    /// Entries kept at most; then the cache starts over.
    static let limit = 1024
    fileprivate var entries: [UInt64: TokenStore.Entry] = [:]
    /// The store's release count when `entries` was last emptied.
    fileprivate var releases = -1

    public init() {}
}
