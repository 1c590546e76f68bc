// GetCustomerEventRequest and CancelCustomerEventRequest ⇄ `EventLookup` (methods 3 and 5).
internal import AchievementProtoC
public import Domain

extension EventLookup {
    /// Decodes a GetCustomerEventRequest payload; called by the server on the connection's queue.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(getPayload payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__get_customer_event_request__unpack) { m throws(CodecError) in
            try EventLookup(
                token: m.token,
                identifier: m.customer_event_identifier,
                fieldsSetCount: m.n_fields_set,
                fieldsSet: m.fields_set
            )
        }
    }

    /// Decodes a CancelCustomerEventRequest payload; called by the server on the connection's queue.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(cancelPayload payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__cancel_customer_event_request__unpack) {
            m throws(CodecError) in
            try EventLookup(
                token: m.token,
                identifier: m.customer_event_identifier,
                fieldsSetCount: m.n_fields_set,
                fieldsSet: m.fields_set
            )
        }
    }

    private init(
        token: UnsafePointer<CChar>?,
        identifier: UnsafeMutablePointer<Achievement__V1__CustomerEventIdentifier>?,
        fieldsSetCount: Int,
        fieldsSet: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) throws(CodecError) {
        let path = FieldPath.root
        try self.init(
            token: path.string(token, "token"),
            customerEventIdentifier: path.child("customer_event_identifier").customerEvent(identifier),
            fieldsSet: path.strings(fieldsSetCount, fieldsSet, "fields_set")
        )
    }

    /// Appends this lookup as a GetCustomerEventRequest payload; called by the client.
    public func encodeGet(appendingTo out: inout [UInt8]) {
        PackArena.with(capacity: arenaBytes(Achievement__V1__GetCustomerEventRequest.self)) { arena in
            let m = arena.message(achievement__v1__get_customer_event_request__init)
            m.pointee.token = arena.optional(token)
            m.pointee.customer_event_identifier = arena.customerEvent(customerEventIdentifier)
            (m.pointee.n_fields_set, m.pointee.fields_set) = (fieldsSet.count, arena.strings(fieldsSet))
            appendPacked(m, to: &out)
        }
    }

    /// Appends this lookup as a CancelCustomerEventRequest payload; called by the client.
    public func encodeCancel(appendingTo out: inout [UInt8]) {
        PackArena.with(capacity: arenaBytes(Achievement__V1__CancelCustomerEventRequest.self)) { arena in
            let m = arena.message(achievement__v1__cancel_customer_event_request__init)
            m.pointee.token = arena.optional(token)
            m.pointee.customer_event_identifier = arena.customerEvent(customerEventIdentifier)
            (m.pointee.n_fields_set, m.pointee.fields_set) = (fieldsSet.count, arena.strings(fieldsSet))
            appendPacked(m, to: &out)
        }
    }

    private func arenaBytes<M>(_ request: M.Type) -> Int {
        PackArena.bytes(for: request) + PackArena.bytes(forString: token) + (customerEventIdentifier?.arenaBytes ?? 0)
            + PackArena.bytes(forStrings: fieldsSet)
    }
}
