import Auth
import Codec
import Domain
import Reactor
import Store
import Wire

extension Dispatcher {
    /// ListCustomerEvents: filtered, ordered by (performed_on, number), keyset-paged.
    ///
    /// An accounts receivable filter with an access token pass code is resolved on the crypt
    /// queue (OVERLOADED when it is full), as a create's is: never on the connection's loop.
    func list(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let query = try payload.withUnsafeBytes { try ListEvents(payload: $0) }
        _ = try authenticator.tokens.check(query.token, now: clock())
        try ListRules.validate(query)
        let mask = try FieldMask(fieldsSet: query.fieldsSet)
        guard ListRules.needsPassCodeCheck(query) else { return try page(query, mask) }
        let connection = call.connection
        let admitted = hasher.submit { [self] in
            guard connection.loop.sync({ connection.begin(call) }) else { return }
            do throws(DomainError) { call.complete(try page(query, mask)) } catch { call.complete(.error(error)) }
        }
        return admitted ? nil : .error(.resourceExhausted, "OVERLOADED", "Too many pass code checks in progress; retry shortly.")
    }

    /// The page a validated query asks for: its filters resolved (NOT_FOUND when unknown), its
    /// page token checked against them, then the events after the token, as many as fit a frame.
    private func page(_ query: ListEvents, _ mask: FieldMask) throws(DomainError) -> Reply {
        let accountID = try query.accountsReceivableIdentifier.map { (identifier) throws(DomainError) in
            try catalog.resolveAccountsReceivable(identifier, field: "accounts_receivable_identifier", verifyPassCode: { SecretHasher.verify($0, hash: $1) }).id.lowercased()
        }
        let classificationID = try query.classificationIdentifier.map { (identifier) throws(DomainError) in
            try catalog.resolveClassification(identifier, field: "classification_identifier").id.lowercased()
        }
        var filter = EventFilter(accountID: accountID, classificationID: classificationID, state: query.lifeCycleState,
                                 from: query.performedOnFrom, to: query.performedOnTo)
        let cursor = query.pageToken.flatMap(PageToken.init(parsing:))  // well-formed: validated
        if let cursor, cursor.fingerprint != filter.fingerprint { throw ListRules.pageTokenForOtherFilters }
        filter.postedAsOf = cursor?.firstPage.map { EventFilter.PostedAsOf(time: $0.at, numbersBelow: $0.nextNumber) }
        let limit = query.pageSize == 0 ? ListRules.defaultPageSize : Int(query.pageSize)
        let (matches, more, servedAt, nextNumber) = store.page(filter, after: cursor.map { ($0.performedOn, $0.number) }, limit: limit, clock: clock)
        let firstPage = cursor == nil ? (servedAt, nextNumber) : cursor?.firstPage
        var page: [CustomerEvent] = []
        var bytes = 16
        for event in matches {
            let size = event.encodedSize(fields: mask) + 6
            if !page.isEmpty && bytes + size > maxPayloadBytes - 64 { break }
            page.append(event)
            bytes += size
        }
        let next = page.count < matches.count || more
            ? page.last.map { PageToken(performedOn: $0.performedOn, number: $0.number, fingerprint: filter.fingerprint, firstPage: firstPage).text } ?? "" : ""
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
