/// Syntactic checks shared by every request: mandatory values, identifier shapes and string limits.
///
/// Pure functions appending issues in the order found to the caller's list (nothing is built
/// when a value is valid); the caller collects them in the seed's parameter order and turns
/// them into one INVALID_ARGUMENT error.
enum Syntax {
    /// Longest string in bytes (UTF-8), SPEC §2.
    static let stringLimit = 255
    /// Longest `description` in bytes (UTF-8).
    static let descriptionLimit = 1024

    /// MANDATORY_PARAMETER_MISSING naming `path`.
    static func missing(_ path: String) -> Finding {
        Finding("MANDATORY_PARAMETER_MISSING", path, "\(path) is mandatory.")
    }

    /// STRING_TOO_LONG when `value` has more than `limit` UTF-8 bytes (`path` is built only then).
    static func string(
        _ value: String?,
        _ path: @autoclosure () -> String,
        limit: Int = stringLimit,
        into issues: inout [Finding]
    ) {
        guard let value, value.utf8.count > limit else { return }
        let path = path()
        issues.append(Finding("STRING_TOO_LONG", path, "\(path) is longer than \(limit) bytes."))
    }

    /// Checks an identifier: missing (when mandatory), exactly one allowed field, lengths,
    /// and the nested access token identifier.
    static func identifier(
        _ identifier: Identifier?,
        _ spec: IdentifierSpec,
        mandatory: Bool = false,
        into issues: inout [Finding]
    ) {
        guard let identifier else {
            if mandatory { issues.append(missing(spec.path)) }
            return
        }
        let token = identifier.accessTokenIdentifier
        var allowedCount = token.isPresent ? 1 : 0
        var disallowed = token.isPresent && !spec.allowsAccessToken
        var tooLong: [LookupField] = []  // stays empty (no allocation) unless a value is too long
        for field in Identifier.lookupFields {  // one pass over the values (a too long one is read again for its finding)
            guard let value = identifier.value(of: field) else { continue }
            if spec.allowed.contains(field) { allowedCount += 1 } else { disallowed = true }
            if value.utf8.count > stringLimit { tooLong.append(field) }
        }
        guard allowedCount == 1, !disallowed else {
            let text = "\(spec.path) needs exactly one of \(spec.allowedList)."
            issues.append(Finding("INVALID_IDENTIFIER", spec.path, text))
            return
        }
        for field in tooLong {
            string(identifier.value(of: field), spec.path + "." + field.seedName, into: &issues)
        }
        if let token {
            accessToken(token, spec.path + ".access_token_identifier", into: &issues)
        }
    }

    /// Checks an access token identifier: `authentication_code`, or `identifier` with its
    /// `pass_code` (a pass code without `identifier` is an invalid shape).
    static func accessToken(_ token: AccessTokenIdentifier, _ path: String, into issues: inout [Finding]) {
        let code = nonEmpty(token.authenticationCode)
        let identifier = nonEmpty(token.identifier)
        let passCode = nonEmpty(token.passCode)
        if (code == nil) == (identifier == nil) || (passCode != nil && identifier == nil) {
            let text = "\(path) needs exactly one of authentication_code, or identifier with pass_code."
            issues.append(Finding("INVALID_IDENTIFIER", path, text))
            return
        }
        string(code, path + ".authentication_code", into: &issues)
        string(identifier, path + ".identifier", into: &issues)
        if identifier != nil && passCode == nil { issues.append(missing(path + ".pass_code")) }
        string(passCode, path + ".pass_code", into: &issues)
    }

    /// Checks `fields_set` names against the response fields (UNKNOWN_FIELD).
    static func fieldsSet(_ names: [String], _ path: String = "fields_set", into issues: inout [Finding]) {
        do throws(DomainError) {
            _ = try FieldMask(fieldsSet: names)
        } catch {
            for violation in error.violations {
                let suffix =
                    violation.field.hasPrefix("fields_set") ? violation.field.dropFirst("fields_set".count) : ""
                issues.append(Finding(error.code, path + suffix, violation.description))
            }
        }
    }
}

/// `value` unless it is nil or empty (an empty string means "not given").
func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
