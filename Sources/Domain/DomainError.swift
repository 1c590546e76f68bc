/// One problem with one field, named by its dotted path in the seed's names
/// (`items[3].accounts_receivable_identifier`).
public struct Violation: Sendable, Equatable, Hashable, Codable {
    public var field: String
    public var description: String

    public init(field: String, description: String) {
        self.field = field
        self.description = description
    }
}

/// A failed domain rule: a status class, a stable UPPER_SNAKE code, one sentence, and the
/// violations found (all of them, in the seed's parameter order).
public struct DomainError: Error, Sendable, Equatable {
    /// The class of failure; the server maps it to a wire status (SPEC §7).
    public enum Kind: Sendable, Equatable {
        case invalidArgument, notFound, alreadyExists, failedPrecondition, unauthenticated
        case permissionDenied, resourceExhausted, unavailable, internalError
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var violations: [Violation]

    public init(_ kind: Kind, _ code: String, _ message: String, violations: [Violation] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.violations = violations
    }
}

extension DomainError {
    /// A create whose external system reference number is taken by `existing` (an event with
    /// other content): ALREADY_EXISTS `EXTERNAL_REFERENCE_CONFLICT`.
    public static func externalReferenceConflict(existing number: UInt64) -> DomainError {
        DomainError(
            .alreadyExists, "EXTERNAL_REFERENCE_CONFLICT",
            "An event with this external system reference number exists with different content.",
            violations: [Violation(field: "external_system_reference_number", description: "Already used by event \(number).")])
    }
}

/// The errors of one step of checks that are all made (SPEC §2: every violation found), thrown
/// as one: the first error's status, code and message, with every error's violations in turn.
struct ErrorCollector {
    private(set) var error: DomainError?

    /// Runs `check`, keeping its error; nil when it failed.
    mutating func attempt<Value>(_ check: () throws(DomainError) -> Value) -> Value? {
        do { return try check() } catch { add(error) }
        return nil
    }

    /// Keeps `error` (its violations after those kept before).
    mutating func add(_ error: DomainError) {
        if self.error == nil { self.error = error } else { self.error!.violations += error.violations }
    }

    /// Throws what was kept, if anything.
    func throwIfAny() throws(DomainError) {
        if let error { throw error }
    }
}
