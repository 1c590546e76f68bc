/// Syntactic checks shared by every request: mandatory values, identifier shapes and string limits.
///
/// Pure functions returning issues in the order found; the caller collects them in the
/// seed's parameter order and turns them into one INVALID_ARGUMENT error.
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
    static func string(_ value: String?, _ path: @autoclosure () -> String, limit: Int = stringLimit) -> [Finding] {
        guard let value, value.utf8.count > limit else { return [] }
        let path = path()
        return [Finding("STRING_TOO_LONG", path, "\(path) is longer than \(limit) bytes.")]
    }

    /// Checks an identifier: missing (when mandatory), exactly one allowed field, lengths,
    /// and the nested access token identifier.
    static func identifier(_ identifier: Identifier?, _ spec: IdentifierSpec, mandatory: Bool = false) -> [Finding] {
        guard let identifier else { return mandatory ? [missing(spec.path)] : [] }
        let given = identifier.givenFields
        let token = identifier.accessTokenIdentifier
        let allowedCount = given.filter { spec.allowed.contains($0) }.count + (token == nil ? 0 : 1)
        let disallowed = given.contains { !spec.allowed.contains($0) } || (token != nil && !spec.allowsAccessToken)
        guard allowedCount == 1, !disallowed else {
            return [
                Finding("INVALID_IDENTIFIER", spec.path, "\(spec.path) needs exactly one of \(spec.allowedList).")
            ]
        }
        var issues: [Finding] = []
        for field in given {
            issues += string(identifier.value(of: field), spec.path + "." + field.seedName)
        }
        if let token {
            issues += accessToken(token, spec.path + ".access_token_identifier")
        }
        return issues
    }

    /// Checks an access token identifier: `authentication_code`, or `identifier` with its
    /// `pass_code` (a pass code without `identifier` is an invalid shape).
    static func accessToken(_ token: AccessTokenIdentifier, _ path: String) -> [Finding] {
        let code = nonEmpty(token.authenticationCode)
        let identifier = nonEmpty(token.identifier)
        let passCode = nonEmpty(token.passCode)
        if (code == nil) == (identifier == nil) || (passCode != nil && identifier == nil) {
            let text = "\(path) needs exactly one of authentication_code, or identifier with pass_code."
            return [Finding("INVALID_IDENTIFIER", path, text)]
        }
        var issues: [Finding] = []
        issues += string(code, path + ".authentication_code")
        issues += string(identifier, path + ".identifier")
        if identifier != nil && passCode == nil { issues.append(missing(path + ".pass_code")) }
        issues += string(passCode, path + ".pass_code")
        return issues
    }

    /// Checks `fields_set` names against the response fields (UNKNOWN_FIELD).
    static func fieldsSet(_ names: [String], _ path: String = "fields_set") -> [Finding] {
        do throws(DomainError) {
            _ = try FieldMask(fieldsSet: names)
            return []
        } catch {
            return error.violations.map { violation in
                let suffix =
                    violation.field.hasPrefix("fields_set") ? violation.field.dropFirst("fields_set".count) : ""
                return Finding(error.code, path + suffix, violation.description)
            }
        }
    }
}

/// `value` unless it is nil or empty (an empty string means "not given").
func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
