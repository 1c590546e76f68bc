// The `Error` message ⇄ `ErrorPayload`: the payload of every response whose status is not 0.
internal import AchievementProtoC
public import Domain

/// The payload of a failed call: a stable UPPER_SNAKE code (SPEC §7), one sentence, and the
/// violations found, in the seed's parameter order.
public struct ErrorPayload: Sendable, Equatable, Codable {
    /// Stable UPPER_SNAKE code, e.g. `INVALID_IDENTIFIER`.
    public var code: String
    /// One sentence for people.
    public var message: String
    /// Every violation found, each naming a field by its dotted path.
    public var violations: [Violation]

    /// Makes a payload from its parts.
    public init(code: String, message: String, violations: [Violation] = []) {
        self.code = code
        self.message = message
        self.violations = violations
    }

    /// Decodes an `Error` payload; called by the client for every status other than 0.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__error__unpack) { m throws(CodecError) in
            try ErrorPayload(
                code: FieldPath.root.text(m.code, "code"),
                message: FieldPath.root.text(m.message, "message"),
                violations: FieldPath.root.violations(m.n_violations, m.violations)
            )
        }
    }

    /// Appends this error as an `Error` payload; called by the server (and the connection's
    /// error path), so it never fails.
    public func encode(appendingTo out: inout [UInt8]) {
        let bytes =
            PackArena.bytes(for: Achievement__V1__Error.self) + PackArena.bytes(forString: code)
            + PackArena.bytes(forString: message) + PackArena.bytes(forViolations: violations)
        PackArena.with(capacity: bytes) { arena in
            let m = arena.message(achievement__v1__error__init)
            (m.pointee.code, m.pointee.message) = (arena.optional(code), arena.optional(message))
            (m.pointee.n_violations, m.pointee.violations) = (violations.count, arena.violations(violations))
            appendPacked(m, to: &out)
        }
    }
}

extension FieldPath {
    /// The `count` Violation messages of a repeated `violations` field.
    func violations(
        _ count: Int,
        _ list: UnsafeMutablePointer<UnsafeMutablePointer<Achievement__V1__Violation>?>?
    ) throws(CodecError) -> [Violation] {
        try messages(count, list) { (v, index) throws(CodecError) in
            let path = child("violations", index: index)
            return try Violation(
                field: path.text(v.field, "field"),
                description: path.text(v.description, "description")
            )
        }
    }
}

extension PackArena {
    /// Arena bytes of `violations(_:)`.
    static func bytes(forViolations violations: [Violation]) -> Int {
        violations.reduce(bytes(for: UnsafeMutableRawPointer.self, count: violations.count)) {
            $0 + bytes(for: Achievement__V1__Violation.self) + $1.field.utf8.count + $1.description.utf8.count + 2
        }
    }

    /// A C array of Violation messages, or NULL when empty.
    mutating func violations(
        _ violations: [Violation]
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Achievement__V1__Violation>?>? {
        messages(count: violations.count) { arena, index in
            let m = arena.message(achievement__v1__violation__init)
            m.pointee.field = arena.optional(violations[index].field)
            m.pointee.description = arena.optional(violations[index].description)
            return m
        }
    }
}
