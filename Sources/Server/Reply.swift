import Codec
import Domain
import Wire

/// What a call answers: a status and a payload writer (the method's response on OK,
/// an `Error` message otherwise).
struct Reply: Sendable {
    var status: StatusCode
    var writePayload: @Sendable (inout [UInt8]) -> Void

    /// OK with a payload written by `write`.
    static func ok(_ write: @escaping @Sendable (inout [UInt8]) -> Void) -> Reply {
        Reply(status: .ok, writePayload: write)
    }

    /// An error answer with an `Error` payload.
    static func error(_ status: StatusCode, _ code: String, _ message: String, violations: [Violation] = []) -> Reply {
        let payload = ErrorPayload(code: code, message: message, violations: violations)
        return Reply(status: status) { payload.encode(appendingTo: &$0) }
    }

    /// The answer for a failed domain rule (SPEC §7's status for its kind).
    static func error(_ error: DomainError) -> Reply {
        .error(StatusCode(error.kind), error.code, error.message, violations: error.violations)
    }

    /// RESOURCE_EXHAUSTED `FRAME_TOO_LARGE`: the answer would not fit a payload of `limit` bytes.
    static func answerTooLarge(limit: Int) -> Reply {
        .error(.resourceExhausted, "FRAME_TOO_LARGE", "The answer would exceed the frame limit of \(limit) bytes.")
    }

    /// The answer for a payload the codec could not read.
    static func error(_ error: CodecError) -> Reply {
        .error(.invalidArgument, error.code, error.message, violations: error.field.map { [Violation(field: $0, description: error.message)] } ?? [])
    }
}

extension StatusCode {
    /// The wire status of a domain failure kind (the one mapping of SPEC §7).
    init(_ kind: DomainError.Kind) {
        switch kind {
        case .invalidArgument: self = .invalidArgument
        case .notFound: self = .notFound
        case .alreadyExists: self = .alreadyExists
        case .failedPrecondition: self = .failedPrecondition
        case .unauthenticated: self = .unauthenticated
        case .permissionDenied: self = .permissionDenied
        case .resourceExhausted: self = .resourceExhausted
        case .unavailable: self = .unavailable
        case .internalError: self = .internalError
        }
    }
}
