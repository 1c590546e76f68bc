import Auth
import Codec
import Domain
import Store
import Wire

extension Dispatcher {
    /// ListCustomerEvents: filtered, ordered by (performed_on, number), keyset-paged.
    func list(_ payload: [UInt8]) throws -> Reply? {
        let query = try payload.withUnsafeBytes { try ListEvents(payload: $0) }
        _ = try authenticator.tokens.check(query.token, now: clock())
        let mask = try FieldMask(fieldsSet: query.fieldsSet)
        guard query.pageSize <= 1000 else {
            throw DomainError(.invalidArgument, "INVALID_PAGE_SIZE", "page_size is at most 1000.", violations: [Violation(field: "page_size", description: "At most 1000.")])
        }
        let accountID = try query.accountsReceivableIdentifier.map { (identifier) throws(DomainError) in
            // A pass code here is checked inline (rare for a list filter).
            try catalog.resolveAccountsReceivable(identifier, field: "accounts_receivable_identifier", verifyPassCode: { SecretHasher.verify($0, hash: $1) }).id.lowercased()
        }
        let classificationID = try query.classificationIdentifier.map { (identifier) throws(DomainError) in
            try catalog.resolveClassification(identifier, field: "classification_identifier").id.lowercased()
        }
        let filter = EventFilter(accountID: accountID, classificationID: classificationID, state: query.lifeCycleState,
                                 from: query.performedOnFrom, to: query.performedOnTo)
        let cursor = try query.pageToken.map { (token) throws(DomainError) in try PageToken(parsing: token, filter: filter) }
        let limit = query.pageSize == 0 ? 100 : Int(query.pageSize)
        let (matches, more) = store.page(filter, after: cursor.map { ($0.performedOn, $0.number) }, limit: limit)
        var page: [CustomerEvent] = []
        var bytes = 16
        for event in matches {
            let size = event.encodedSize(fields: mask) + 6
            if !page.isEmpty && bytes + size > maxPayloadBytes - 64 { break }
            page.append(event)
            bytes += size
        }
        let next = page.count < matches.count || more ? page.last.map { PageToken(after: $0, filter: filter).text } ?? "" : ""
        let events = page
        return .ok { encodeEventPage(events: events, fields: mask, nextPageToken: next, appendingTo: &$0) }
    }
}

extension EventFilter {
    /// FNV-1a 64 of the canonical filter text: stable across restarts.
    var fingerprint: UInt64 {
        let text = "\(accountID ?? "-")|\(classificationID ?? "-")|\(state?.rawValue ?? 0)|\(from.map(String.init) ?? "-")|\(to.map(String.init) ?? "-")"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

/// Opaque keyset cursor: `v1.<performed_on>.<number>.<filter fingerprint hex>`.
struct PageToken {
    var performedOn: Milliseconds
    var number: UInt64
    var fingerprint: UInt64

    init(after event: CustomerEvent, filter: EventFilter) {
        performedOn = event.performedOn
        number = event.number
        fingerprint = filter.fingerprint
    }

    init(parsing text: String, filter: EventFilter) throws(DomainError) {
        let parts = text.split(separator: ".")
        guard parts.count == 4, parts[0] == "v1", let on = Int64(parts[1]), let number = UInt64(parts[2]),
              let fingerprint = UInt64(parts[3], radix: 16)
        else { throw Self.invalid("page_token is not a token this server issued.") }
        guard fingerprint == filter.fingerprint else { throw Self.invalid("page_token was issued for other filters.") }
        performedOn = on
        self.number = number
        self.fingerprint = fingerprint
    }

    var text: String { "v1.\(performedOn).\(number).\(String(fingerprint, radix: 16))" }

    private static func invalid(_ message: String) -> DomainError {
        DomainError(.invalidArgument, "INVALID_PAGE_TOKEN", message, violations: [Violation(field: "page_token", description: message)])
    }
}
