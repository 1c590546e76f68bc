import Auth
import Codec
import Dispatch
import Domain
import Reactor
import Store
import Wire

/// Runs each method: decode the payload, check the token, apply the domain rules, touch
/// the store, and build the reply (SPEC §2's order of checks).
///
/// Called on a connection's queue. Returns the reply when it is ready at once, or nil when
/// the call completes later through `CallContext.complete` (creates after their group
/// commit, logins after their hash check).
final class Dispatcher: Sendable {
    let catalog: CatalogIndex
    let store: EventStore
    let authenticator: Authenticator
    let hasher: SecretHasher
    let health: @Sendable () -> HealthReport
    let clock: @Sendable () -> Milliseconds
    /// `--max-frame-bytes`: answers are kept below it.
    let maxPayloadBytes: Int

    init(catalog: CatalogIndex, store: EventStore, authenticator: Authenticator, hasher: SecretHasher, maxPayloadBytes: Int,
         clock: @escaping @Sendable () -> Milliseconds, health: @escaping @Sendable () -> HealthReport) {
        self.maxPayloadBytes = maxPayloadBytes
        self.catalog = catalog
        self.store = store
        self.authenticator = authenticator
        self.hasher = hasher
        self.clock = clock
        self.health = health
    }

    /// True for the methods of wire contract v1.
    static func knows(_ method: MethodID) -> Bool { (1...7).contains(method.rawValue) }

    func handle(_ method: MethodID, payload: [UInt8], call: CallContext) -> Reply? {
        if call.deadlinePassed {
            return .error(.deadlineExceeded, "DEADLINE_EXCEEDED", "The deadline passed before the call started.")
        }
        do {
            switch method {
            case .health:
                try payload.withUnsafeBytes { try validateHealthRequest(payload: $0) }
                let report = health()
                return .ok { report.encode(appendingTo: &$0) }
            case .login: return try login(payload, call: call)
            case .createAchievement: return try create(payload, call: call)
            case .getCustomerEvent: return try get(payload, call: call)
            case .cancelCustomerEvent: return try cancel(payload, call: call)
            case .listCustomerEvents: return try list(payload, call: call)
            case .createAchievementsBulk: return try bulk(payload, call: call)
            default: return .error(.unimplemented, "UNKNOWN_METHOD", "Method \(method.rawValue) does not exist.")
            }
        } catch let error as CodecError {
            return .error(error)
        } catch let error as DomainError {
            return .error(error)
        } catch {
            return .error(.internalError, "INTERNAL", "Unexpected error.")
        }
    }

    private func login(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let command = try payload.withUnsafeBytes { try LoginCommand(payload: $0) }
        let connection = call.connection
        let immediate = authenticator.login(
            command, now: clock,
            begin: { connection.loop.sync { connection.begin(call) } },
            completion: { call.complete(Self.loginReply($0)) })
        return immediate.map(Self.loginReply)
    }

    private static func loginReply(_ result: Result<LoginResult, DomainError>) -> Reply {
        switch result {
        case .success(let answer): .ok { answer.encode(appendingTo: &$0) }
        case .failure(let error): .error(error)
        }
    }

    private func create(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let command = try payload.withUnsafeBytes { try CreateAchievement(payload: $0) }
        let now = clock()
        let local = LoopLocal.of(call.connection.loop)
        let session = try authenticator.tokens.check(command.token, now: now, cache: local.sessions)
        let mask: FieldMask
        do throws(DomainError) { mask = try FieldMask(fieldsSet: command.fieldsSet) } catch {
            try AchievementRules.validateSyntax(command)  // names the unknown fields with every other violation, in the seed's order
            throw error
        }
        let context = CreateContext(now: now, user: session.user, verifyPassCode: { SecretHasher.verify($0, hash: $1) })
        if AchievementRules.needsPassCodeCheck(command) {
            let connection = call.connection
            let admitted = hasher.submit { [self] in
                guard connection.loop.sync({ connection.begin(call) }) else { return }
                switch AchievementRules.prepare(command, catalog: catalog, context: context) {
                case .failure(let error): call.complete(.error(error))
                case .success(let draft) where !draft.answerFits(in: maxPayloadBytes, fields: mask):
                    call.complete(.answerTooLarge(limit: maxPayloadBytes))
                case .success(let draft): store.create(draft) { call.complete(Self.eventReply($0, mask, call)) }
                }
            }
            return admitted ? nil : .error(.resourceExhausted, "OVERLOADED", "Too many pass code checks in progress; retry shortly.")
        }
        do throws(DomainError) {
            let draft = try AchievementRules.draft(command, catalog: catalog, context: context, referredSets: local.referredSets(store))
            guard draft.answerFits(in: maxPayloadBytes, fields: mask) else { return .answerTooLarge(limit: maxPayloadBytes) }  // nothing stored
            CreateRound.gather(draft, call: call, mask: mask, into: store)
            return nil
        } catch {
            return .error(error)
        }
    }

    /// The answer of a call that returns one event; it is written on the call's loop, with that
    /// loop's cache of referred objects.
    static func eventReply(_ result: Result<CustomerEvent, DomainError>, _ mask: FieldMask, _ call: CallContext) -> Reply {
        switch result {
        case .success(let event):
            let loop = call.connection.loop
            return .ok { event.encode(fields: mask, appendingTo: &$0, referred: LoopLocal.of(loop).referred) }
        case .failure(let error): return .error(error)
        }
    }

    private func get(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let lookup = try payload.withUnsafeBytes { try EventLookup(getPayload: $0) }
        _ = try authenticator.tokens.check(lookup.token, now: clock(), cache: LoopLocal.of(call.connection.loop).sessions)
        try EventLookupRules.validate(lookup.customerEventIdentifier, fieldsSet: lookup.fieldsSet)
        let mask = try FieldMask(fieldsSet: lookup.fieldsSet)
        guard let identifier = lookup.customerEventIdentifier else { return .error(.invalidArgument, "MANDATORY_PARAMETER_MISSING", "customer_event_identifier is mandatory.") }
        return Self.eventReply(store.find(identifier), mask, call)
    }

    private func cancel(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let lookup = try payload.withUnsafeBytes { try EventLookup(cancelPayload: $0) }
        let now = clock()
        let session = try authenticator.tokens.check(lookup.token, now: now, cache: LoopLocal.of(call.connection.loop).sessions)
        try EventLookupRules.validate(lookup.customerEventIdentifier, fieldsSet: lookup.fieldsSet)
        let mask = try FieldMask(fieldsSet: lookup.fieldsSet)
        guard let identifier = lookup.customerEventIdentifier else { return .error(.invalidArgument, "MANDATORY_PARAMETER_MISSING", "customer_event_identifier is mandatory.") }
        store.cancel(identifier, now: clock(), by: session.user) { call.complete(Self.eventReply($0, mask, call)) }
        return nil
    }
}
