/// A payload that could not be turned into Domain values; the server answers INVALID_ARGUMENT.
///
/// Thrown by every decoder of this module (`init(payload:)` and friends), on the connection's
/// queue, once per bad payload. `code` is the stable `Error.code` of SPEC §7; `field` names the
/// offending field as a dotted path in the seed's names (`items[2].description`) when known.
public struct CodecError: Error, Sendable, Equatable {
    /// Stable UPPER_SNAKE code: `MALFORMED_PAYLOAD` or `INVALID_STRING`.
    public var code: String
    /// One sentence for people.
    public var message: String
    /// Dotted path of the offending field, or nil when the payload as a whole is bad.
    public var field: String?

    /// Makes an error from its parts.
    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// The code of an undecodable payload (not protobuf of the expected message).
    public static let malformedPayloadCode = "MALFORMED_PAYLOAD"
    /// The code of a string that is not valid UTF-8 or holds U+0000.
    public static let invalidStringCode = "INVALID_STRING"

    /// MALFORMED_PAYLOAD: not protobuf of the expected message.
    ///
    /// Covers truncation, bad wire types and lengths.
    /// Valid encodings that are not canonical (defaults written out, a field repeated,
    /// overlong varints) decode as their canonical form does.
    public static let malformedPayload = CodecError(
        code: malformedPayloadCode,
        message: "The payload is not a valid protobuf encoding of the expected message."
    )

    /// INVALID_STRING for the string at `field` (invalid UTF-8 or U+0000).
    public static func invalidString(field: String) -> CodecError {
        CodecError(
            code: invalidStringCode,
            message: "The string '\(field)' is not valid UTF-8 or contains U+0000.",
            field: field
        )
    }
}
