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
