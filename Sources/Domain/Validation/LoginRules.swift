/// The rules of a Login request (PROTOCOL.md), checked before any credential is.
public enum LoginRules {
    /// Every violation of `command`: first the credentials' shape (`username`, `password` and
    /// `organisation` together, or `web_api_key` alone; none needed beside `release`, which
    /// wins), then in field order each string at most 255 bytes and `unit`'s shape.
    ///
    /// - Throws: INVALID_ARGUMENT coded after the first violation (`CREDENTIALS_CONFLICT`,
    ///   `MANDATORY_PARAMETER_MISSING`, `STRING_TOO_LONG`, `INVALID_IDENTIFIER`), carrying all of them.
    public static func validate(_ command: LoginCommand) throws(DomainError) {
        var issues: [Finding] = []
        let passwordGiven = command.username != nil || command.password != nil || command.organisation != nil
        if command.release == nil && passwordGiven && command.webAPIKey != nil {
            issues.append(Finding("CREDENTIALS_CONFLICT", "web_api_key", "Give username, password and organisation, or web_api_key, not both."))
        } else if command.release == nil && command.webAPIKey == nil {
            for (field, value) in [("username", command.username), ("password", command.password), ("organisation", command.organisation)]
            where value == nil {
                issues.append(Finding("MANDATORY_PARAMETER_MISSING", field, "Login needs username, password and organisation, or web_api_key."))
            }
        }
        Syntax.string(command.username, "username", into: &issues)
        Syntax.string(command.password, "password", into: &issues)
        Syntax.string(command.organisation, "organisation", into: &issues)
        Syntax.identifier(command.unit, IdentifierSpec.unit.at("unit"), into: &issues)
        Syntax.string(command.webAPIKey, "web_api_key", into: &issues)
        Syntax.string(command.release, "release", into: &issues)
        guard issues.isEmpty else { throw DomainError(issues: issues) }
    }
}
