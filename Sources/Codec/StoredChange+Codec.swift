// `StoredChangeValue` ⇄ StoredChange message (Protos/storage.proto): the bodies of write-ahead
// log records and snapshot entries. Internal format, not the wire contract.
internal import AchievementProtoC
internal import CProtobufC
public import Domain

/// A change as the store logs it; mirrors Store.StoreChange (the Server module adapts between the two).
public enum StoredChangeValue: Sendable, Equatable {
    case created(CustomerEvent)
    case cancelled(id: EventID, at: Milliseconds, by: ReferredObject)
}

extension StoredChangeValue {
    /// Appends the protobuf `StoredChange` encoding (storage.proto).
    ///
    /// For `created`, the CustomerEvent message has every field `FieldMask.all` selects (the
    /// derived `type` and totals included, ignored on decode) and `promo_code` is
    /// `event.promoCode` ("" for nil). Lossless for every event the Domain builds; the limits,
    /// inherited from the wire shapes, are: an award's `expirationDate` of `.some(0)` reads
    /// back as nil (0 is the wire's "none"), a promo code of "" reads back as nil (the Domain
    /// never stores one), strings are cut at a U+0000 (validated input has none), and a
    /// referred object keeps only the fields of its kind.
    public func encode(appendingTo out: inout [UInt8]) {
        switch self {
        case .created(let event): Self.encodeCreated(event, appendingTo: &out)
        case .cancelled(let id, let at, let by): Self.encodeCancelled(id: id, at: at, by: by, appendingTo: &out)
        }
    }

    /// `StoredChangeValue.created(event).encode(appendingTo:)` without wrapping the event.
    public static func encodeCreated(_ event: CustomerEvent, appendingTo out: inout [UInt8]) {
        let capacity =
            event.arenaBytes + PackArena.bytes(for: Achievement__V1__StoredChange.self)
            + PackArena.bytes(for: Achievement__V1__StoredEvent.self) + PackArena.bytes(forString: event.promoCode)
        PackArena.with(capacity: capacity) { arena in
            let stored = arena.message(achievement__v1__stored_event__init)
            stored.pointee.event = arena.customerEvent(event, fields: .all)
            stored.pointee.promo_code = arena.optional(event.promoCode)
            let change = arena.message(achievement__v1__stored_change__init)
            change.pointee.change_case = ACHIEVEMENT__V1__STORED_CHANGE__CHANGE_CREATED
            change.pointee.created = stored
            appendPacked(change, to: &out)
        }
    }

    /// `StoredChangeValue.cancelled(id:at:by:).encode(appendingTo:)`; `by` keeps its id and name.
    public static func encodeCancelled(
        id: EventID,
        at: Milliseconds,
        by: ReferredObject,
        appendingTo out: inout [UInt8]
    ) {
        let capacity =
            PackArena.bytes(for: Achievement__V1__StoredChange.self)
            + PackArena.bytes(for: Achievement__V1__StoredCancel.self)
            + PackArena.bytes(for: Achievement__V1__User.self) + PackArena.hexBytes
            + PackArena.bytes(forString: by.id) + PackArena.bytes(forString: by.name)
        PackArena.with(capacity: capacity) { arena in
            let user = arena.message(achievement__v1__user__init)
            (user.pointee.id, user.pointee.username) = (arena.optional(by.id), arena.optional(by.name))
            let cancel = arena.message(achievement__v1__stored_cancel__init)
            (cancel.pointee.id, cancel.pointee.at) = (arena.hex(high: id.high, low: id.low), at)
            cancel.pointee.by = user
            let change = arena.message(achievement__v1__stored_change__init)
            change.pointee.change_case = ACHIEVEMENT__V1__STORED_CHANGE__CHANGE_CANCELLED
            change.pointee.cancelled = cancel
            appendPacked(change, to: &out)
        }
    }

    /// Decodes a `StoredChange` that refers to no log table (a record of before 0.4, or a cancel).
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        try self.init(payload: payload, objects: UnsafeBufferPointer(start: nil, count: 0), sets: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// Decodes a `StoredChange`; called by the store on replay, once per record, from several
    /// threads at once. A `LoggedEvent`'s numbers refer to `objects` and `sets`, the log's
    /// tables (read only here; nil where a number has no definition), and its referred
    /// objects are those very instances.
    ///
    /// A `created` event comes back `==` to the one encoded (within the limits `encode` lists);
    /// a cancel's `by` comes back as `ReferredObject(id:name:)`, as the catalog builds users.
    /// Errors inside the event name its fields from the event (`award_reward_transactions_set[1].id`).
    /// - Throws: `CodecError` MALFORMED_PAYLOAD on bad protobuf, no change, a number outside
    ///   the tables, or a missing or unparsable required part (see
    ///   `CustomerEvent.init(stored:…)`; for a cancel: `id` of 32 hex digits and `by`);
    ///   INVALID_STRING on invalid UTF-8 or U+0000.
    public init(payload: UnsafeRawBufferPointer, objects: UnsafeBufferPointer<ReferredObject?>, sets: UnsafeBufferPointer<ReferredSet?>) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__stored_change__unpack) { m throws(CodecError) in
            switch m.change_case {
            case ACHIEVEMENT__V1__STORED_CHANGE__CHANGE_EVENT:
                guard let logged = m.event?.pointee else { throw .storedFieldMissing("event") }
                return .created(try Self.logged(logged, objects: objects, sets: sets))
            case ACHIEVEMENT__V1__STORED_CHANGE__CHANGE_CREATED:
                guard let stored = m.created?.pointee else { throw .storedFieldMissing("created") }
                guard let event = stored.event?.pointee else { throw .storedFieldMissing("created.event") }
                let promoCode = try StoredReader.text(stored.promo_code, "created.promo_code")
                return .created(try CustomerEvent(stored: event, promoCode: promoCode.isEmpty ? nil : promoCode))
            case ACHIEVEMENT__V1__STORED_CHANGE__CHANGE_CANCELLED:
                guard let cancel = m.cancelled?.pointee else { throw .storedFieldMissing("cancelled") }
                let id = try StoredReader.eventID(cancel.id, "cancelled.id")
                guard let by = try StoredReader.user(cancel.by, "cancelled.by") else {
                    throw .storedFieldMissing("cancelled.by")
                }
                return .cancelled(id: id, at: cancel.at, by: by)
            default:
                throw .storedFieldMissing("change")
            }
        }
    }
}
