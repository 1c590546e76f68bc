/// How one identifier of SPEC §4 is named, which fields it allows, and its NOT_FOUND code.
struct IdentifierSpec: Sendable {
    /// Dotted path of the identifier in violations (`classification_identifier`).
    var path: String
    /// Allowed identifying fields, in the order messages list them.
    let allowed: [LookupField]
    /// Whether a nested `access_token_identifier` may identify the record.
    let allowsAccessToken: Bool
    /// `<IDENTIFIER>_NOT_FOUND`.
    let notFoundCode: String
    /// What the record is called in messages ("accounts receivable").
    let noun: String

    /// The same identifier at another path (a bulk item, a login's `unit`).
    func at(_ path: String) -> IdentifierSpec {
        var copy = self
        copy.path = path
        return copy
    }

    /// "id, name or alternative_code" (plus the access token when allowed).
    var allowedList: String {
        var names = allowed.map(\.seedName)
        if allowsAccessToken { names.append("access_token_identifier") }
        guard let last = names.popLast() else { return "" }
        return names.isEmpty ? last : names.joined(separator: ", ") + " or " + last
    }
}

extension IdentifierSpec {
    static let accountsReceivable = IdentifierSpec(
        path: "accounts_receivable_identifier",
        allowed: [.id, .number, .name],
        allowsAccessToken: true,
        notFoundCode: "ACCOUNTS_RECEIVABLE_NOT_FOUND",
        noun: "accounts receivable"
    )
    static let rewardsParticipant = IdentifierSpec(
        path: "rewards_participant_identifier",
        allowed: [.id, .number],
        allowsAccessToken: true,
        notFoundCode: "REWARDS_PARTICIPANT_NOT_FOUND",
        noun: "rewards participant"
    )
    static let classification = IdentifierSpec(
        path: "classification_identifier",
        allowed: [.id, .name, .alternativeCode],
        allowsAccessToken: false,
        notFoundCode: "CLASSIFICATION_NOT_FOUND",
        noun: "classification"
    )
    static let product = IdentifierSpec(
        path: "product_identifier",
        allowed: [.id, .code, .alternativeCode],
        allowsAccessToken: false,
        notFoundCode: "PRODUCT_NOT_FOUND",
        noun: "product"
    )
    static let paymentMediumType = IdentifierSpec(
        path: "payment_medium_type_identifier",
        allowed: [.id, .name, .alternativeCode],
        allowsAccessToken: false,
        notFoundCode: "PAYMENT_MEDIUM_TYPE_NOT_FOUND",
        noun: "payment medium type"
    )
    static let paymentMediumBrand = IdentifierSpec(
        path: "payment_medium_brand_identifier",
        allowed: [.id, .name, .alternativeCode],
        allowsAccessToken: false,
        notFoundCode: "PAYMENT_MEDIUM_BRAND_NOT_FOUND",
        noun: "payment medium brand"
    )
    static let businessUnit = IdentifierSpec(
        path: "performed_by_business_unit_identifier",
        allowed: [.id, .name, .code],
        allowsAccessToken: false,
        notFoundCode: "BUSINESS_UNIT_NOT_FOUND",
        noun: "business unit"
    )
    static let unit = IdentifierSpec(
        path: "performed_by_unit_identifier",
        allowed: [.id, .name, .alternativeCode],
        allowsAccessToken: false,
        notFoundCode: "UNIT_NOT_FOUND",
        noun: "unit"
    )
    static let tap = IdentifierSpec(
        path: "performed_by_tap_identifier",
        allowed: [.id, .name, .code],
        allowsAccessToken: false,
        notFoundCode: "TAP_NOT_FOUND",
        noun: "transaction acquiring point"
    )
}

extension Identifier {
    /// The value of `field` when given (an empty string counts as not given).
    func value(of field: LookupField) -> String? {
        let raw: String?
        switch field {
        case .id: raw = id
        case .number: raw = number
        case .name: raw = name
        case .code: raw = code
        case .alternativeCode: raw = alternativeCode
        default: raw = nil
        }
        guard let raw, !raw.isEmpty else { return nil }
        return raw
    }

    /// The fields an identifier may give, in the seed's order (built once: this runs on every create).
    static let lookupFields: [LookupField] = [.id, .number, .name, .code, .alternativeCode]
}

/// One violation with the code it stands for (the error takes the first one's code).
struct Finding: Sendable, Equatable {
    let code: String
    let violation: Violation

    init(_ code: String, _ field: String, _ description: String) {
        self.code = code
        self.violation = Violation(field: field, description: description)
    }
}

extension DomainError {
    /// INVALID_ARGUMENT carrying every issue, coded and worded after the first.
    init(issues: [Finding]) {
        let first = issues.first
        self.init(
            .invalidArgument,
            first?.code ?? "INVALID_ARGUMENT",
            first?.violation.description ?? "The request is invalid.",
            violations: issues.map(\.violation)
        )
    }

    /// One issue as an error of `kind`.
    init(_ kind: Kind, issue: Finding) {
        self.init(kind, issue.code, issue.violation.description, violations: [issue.violation])
    }

    /// NOT_FOUND `spec.notFoundCode` naming `path`.
    static func notFound(_ spec: IdentifierSpec, path: String? = nil) -> DomainError {
        DomainError(
            .notFound,
            issue: Finding(spec.notFoundCode, path ?? spec.path, "No \(spec.noun) matches \(path ?? spec.path).")
        )
    }

    /// INVALID_ARGUMENT `AMBIGUOUS_IDENTIFIER` naming `path`.
    static func ambiguous(_ path: String, noun: String) -> DomainError {
        DomainError(
            .invalidArgument,
            issue: Finding("AMBIGUOUS_IDENTIFIER", path, "\(path) matches several \(noun) records.")
        )
    }
}
