/// The rules of a ListCustomerEvents request (SPEC §3), checked before any lookup.
public enum ListRules {
    /// The largest `page_size`; 0 asks for `defaultPageSize`.
    public static let pageSizeLimit: UInt32 = 1000
    /// The page size when `page_size` is 0.
    public static let defaultPageSize = 100

    /// Every syntactic violation of `query`, in its fields' order: the filters' identifier
    /// shapes, a `life_cycle_state` this version does not know, `page_size` above 1000, a
    /// `page_token` this server cannot have written, `fields_set` names.
    ///
    /// - Throws: INVALID_ARGUMENT coded after the first violation (`INVALID_IDENTIFIER`,
    ///   `STRING_TOO_LONG`, `UNKNOWN_ENUM_VALUE`, `INVALID_PAGE_SIZE`, `INVALID_PAGE_TOKEN`,
    ///   `UNKNOWN_FIELD`), carrying all of them.
    public static func validate(_ query: ListEvents) throws(DomainError) {
        var issues: [Finding] = []
        Syntax.identifier(query.accountsReceivableIdentifier, IdentifierSpec.accountsReceivable.at("accounts_receivable_identifier"), into: &issues)
        Syntax.identifier(query.classificationIdentifier, IdentifierSpec.classification.at("classification_identifier"), into: &issues)
        if let number = query.unknownLifeCycleState {
            issues.append(Finding("UNKNOWN_ENUM_VALUE", "life_cycle_state", "life_cycle_state \(number) is not a state (1 POSTED, 2 CANCELLED; 0: any)."))
        }
        if query.pageSize > pageSizeLimit {
            issues.append(Finding("INVALID_PAGE_SIZE", "page_size", "page_size is at most \(pageSizeLimit)."))
        }
        if let token = query.pageToken, PageToken(parsing: token) == nil {
            issues.append(Finding("INVALID_PAGE_TOKEN", "page_token", "page_token is not a token this server issued."))
        }
        Syntax.fieldsSet(query.fieldsSet, into: &issues)
        guard issues.isEmpty else { throw DomainError(issues: issues) }
    }

    /// True when the accounts receivable filter carries an access token pass code (the server
    /// then resolves it on its crypt queue).
    public static func needsPassCodeCheck(_ query: ListEvents) -> Bool {
        nonEmpty(query.accountsReceivableIdentifier?.accessTokenIdentifier?.passCode) != nil
    }

    /// INVALID_PAGE_TOKEN for a well-formed token issued for other filters.
    public static let pageTokenForOtherFilters = DomainError(
        .invalidArgument, "INVALID_PAGE_TOKEN", "page_token was issued for other filters.",
        violations: [Violation(field: "page_token", description: "page_token was issued for other filters.")])
}

/// The opaque keyset cursor of a list page, after the last event of the page it ends:
/// `v1.<performed_on>.<number>.<filter fingerprint hex>.<first page's stamp>.<next number then>`
/// (tokens of four parts, written before the last two were added, still read).
public struct PageToken: Sendable {
    /// The last event's `performed_on`.
    public var performedOn: Milliseconds
    /// The last event's number.
    public var number: UInt64
    /// A fingerprint of the filters the token was issued for (the server's to compute).
    public var fingerprint: UInt64
    /// When the list's first page was served and the next event number then (nil in a
    /// four-part token): an event POSTED then belongs to a POSTED list's later pages, even
    /// when cancelled since.
    public var firstPage: (at: Milliseconds, nextNumber: UInt64)?

    /// The token after an event, for filters of `fingerprint`.
    public init(performedOn: Milliseconds, number: UInt64, fingerprint: UInt64, firstPage: (at: Milliseconds, nextNumber: UInt64)?) {
        self.performedOn = performedOn
        self.number = number
        self.fingerprint = fingerprint
        self.firstPage = firstPage
    }

    /// Reads a token's text; nil when this server cannot have written it.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 6, parts[0] == "v1", let on = Int64(parts[1]), let number = UInt64(parts[2]),
            let fingerprint = UInt64(parts[3], radix: 16)
        else { return nil }
        var firstPage: (at: Milliseconds, nextNumber: UInt64)?
        if parts.count == 6 {
            guard let at = Int64(parts[4]), at >= 0, let next = UInt64(parts[5]) else { return nil }
            firstPage = (at, next)
        }
        self.init(performedOn: on, number: number, fingerprint: fingerprint, firstPage: firstPage)
    }

    /// The token's text.
    public var text: String {
        "v1.\(performedOn).\(number).\(String(fingerprint, radix: 16))" + (firstPage.map { ".\($0.at).\($0.nextNumber)" } ?? "")
    }
}
