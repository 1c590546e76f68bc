// ListCustomerEventsRequest ⇄ `ListEvents`, ListCustomerEventsResponse ⇄ `EventPage` (method 4).
internal import AchievementProtoC
public import Domain

extension ListEvents {
    /// Decodes a ListCustomerEventsRequest payload; called by the server on the connection's queue.
    ///
    /// `life_cycle_state` 0 (no filter) reads as nil; an unknown value as nil too, with its
    /// number in `unknownLifeCycleState`.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__list_customer_events_request__unpack) {
            m throws(CodecError) in
            let path = FieldPath.root
            var list = ListEvents()
            list.token = try path.string(m.token, "token")
            list.accountsReceivableIdentifier = try path.child("accounts_receivable_identifier")
                .accountsReceivable(m.accounts_receivable_identifier)
            list.classificationIdentifier = try path.child("classification_identifier").classification(
                m.classification_identifier
            )
            list.lifeCycleState = lifeCycleStateValue(m.life_cycle_state)
            if list.lifeCycleState == nil && m.life_cycle_state.rawValue != 0 { list.unknownLifeCycleState = Int32(truncatingIfNeeded: m.life_cycle_state.rawValue) }
            // One-member oneofs: a nonzero case means present.
            list.performedOnFrom = m._performed_on_from_case.rawValue != 0 ? m.performed_on_from : nil
            list.performedOnTo = m._performed_on_to_case.rawValue != 0 ? m.performed_on_to : nil
            list.pageSize = m.page_size
            list.pageToken = try path.string(m.page_token, "page_token")
            list.fieldsSet = try path.strings(m.n_fields_set, m.fields_set, "fields_set")
            return list
        }
    }

    /// Appends this query as a ListCustomerEventsRequest payload; called by the client.
    public func encode(appendingTo out: inout [UInt8]) {
        let bytes =
            PackArena.bytes(for: Achievement__V1__ListCustomerEventsRequest.self) + PackArena.bytes(forString: token)
            + (accountsReceivableIdentifier?.arenaBytes ?? 0) + (classificationIdentifier?.arenaBytes ?? 0)
            + PackArena.bytes(forString: pageToken) + PackArena.bytes(forStrings: fieldsSet)
        PackArena.with(capacity: bytes) { arena in
            let m = arena.message(achievement__v1__list_customer_events_request__init)
            m.pointee.token = arena.optional(token)
            m.pointee.accounts_receivable_identifier = arena.accountsReceivable(accountsReceivableIdentifier)
            m.pointee.classification_identifier = arena.classification(classificationIdentifier)
            if let state = lifeCycleState { m.pointee.life_cycle_state = arena.wireState(state) }
            if let number = unknownLifeCycleState, lifeCycleState == nil { m.pointee.life_cycle_state = .init(rawValue: .init(truncatingIfNeeded: number)) }
            if let from = performedOnFrom {
                m.pointee._performed_on_from_case =
                    ACHIEVEMENT__V1__LIST_CUSTOMER_EVENTS_REQUEST___PERFORMED_ON_FROM_PERFORMED_ON_FROM
                m.pointee.performed_on_from = from
            }
            if let to = performedOnTo {
                m.pointee._performed_on_to_case =
                    ACHIEVEMENT__V1__LIST_CUSTOMER_EVENTS_REQUEST___PERFORMED_ON_TO_PERFORMED_ON_TO
                m.pointee.performed_on_to = to
            }
            m.pointee.page_size = pageSize
            m.pointee.page_token = arena.optional(pageToken)
            (m.pointee.n_fields_set, m.pointee.fields_set) = (fieldsSet.count, arena.strings(fieldsSet))
            appendPacked(m, to: &out)
        }
    }
}

/// Appends a ListCustomerEventsResponse payload holding `events`, each shaped by `fields`.
///
/// Called by the server on the connection's queue; the whole page shares one arena. To keep a
/// page under the frame limit, measure events first with `CustomerEvent.encodedSize(fields:)`:
/// each costs that plus one tag byte and its length as a varint (3 bytes below 2 MiB), and a
/// non-empty `nextPageToken` one tag byte, a length varint and its UTF-8 bytes.
public func encodeEventPage(
    events: [CustomerEvent],
    fields: FieldMask,
    nextPageToken: String,
    appendingTo out: inout [UInt8]
) {
    var bytes =
        PackArena.bytes(for: Achievement__V1__ListCustomerEventsResponse.self)
        + PackArena.bytes(forString: nextPageToken)
    bytes += PackArena.bytes(for: UnsafeMutableRawPointer.self, count: events.count)
    for event in events { bytes += event.arenaBytes }
    PackArena.with(capacity: bytes) { arena in
        let m = arena.message(achievement__v1__list_customer_events_response__init)
        m.pointee.n_events = events.count
        m.pointee.events = arena.messages(count: events.count) { arena, index in
            arena.customerEvent(events[index], fields: fields)
        }
        m.pointee.next_page_token = arena.optional(nextPageToken)
        appendPacked(m, to: &out)
    }
}

extension EventPage {
    /// Decodes a ListCustomerEventsResponse payload; called by the client.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field (`events[3].id`).
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__list_customer_events_response__unpack) {
            m throws(CodecError) in
            let path = FieldPath.root
            return try EventPage(
                events: path.messages(m.n_events, m.events) { (e, index) throws(CodecError) in
                    try EventView(reading: e, at: path.child("events", index: index))
                },
                nextPageToken: path.text(m.next_page_token, "next_page_token")
            )
        }
    }
}
