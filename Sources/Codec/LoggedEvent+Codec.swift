// The log's compact records (storage.proto, since 0.4): `LoggedEvent` change records, whose
// shared referred objects are numbers in the log's tables, and the `StoredDefinition`
// records that give those numbers. Internal format, not the wire contract.
//
// A LoggedEvent is written here field by field, exactly as protobuf-c would pack it (fields in
// number order, proto3 defaults omitted, one-member oneofs written when set), since it is
// written once per create and holds no nested strings to lay out: about a tenth of the cost of
// packing the full event. `withUnpacked` rejects any other encoding, so a difference would show
// as a record that does not decode (the tests compare with protobuf-c's own packing too).
internal import AchievementProtoC
internal import CProtobufC
public import Domain

/// A definition record: the next number of the log's object table or set table. The shape of
/// Store.LogDefinition: Store and Codec sit at the same layer and do not import each other,
/// and the server adapts between the two.
public enum StoredDefinitionValue: Sendable, Equatable {
    /// Object `number` is `object` (every field; an access token's classification inline).
    case object(number: UInt32, ReferredObject)
    /// Set `number` has these members: nine object numbers in `ReferredSet.Fields` order
    /// (classification, accounts receivable, product, payment medium type and brand,
    /// performed by unit, business unit and TAP, authorized by access token), nil when absent.
    case set(number: UInt32, members: [UInt32?])

    /// Appends the protobuf `StoredDefinition` encoding.
    public func encode(appendingTo out: inout [UInt8]) {
        switch self {
        case .object(let number, let object):
            var capacity = PackArena.bytes(for: Achievement__V1__StoredDefinition.self)
            var next: ReferredObject? = object
            while let current = next {  // the object and its classifications, however deep (a log may hold any)
                capacity += Self.arenaBytes(current)
                next = current.classification
            }
            PackArena.with(capacity: capacity) { arena in
                let definition = arena.message(achievement__v1__stored_definition__init)
                definition.pointee.number = number
                definition.pointee.definition_case = ACHIEVEMENT__V1__STORED_DEFINITION__DEFINITION_OBJECT
                definition.pointee.object = Self.storedObject(object, &arena)
                appendPacked(definition, to: &out)
            }
        case .set(let number, let members):
            let capacity =
                PackArena.bytes(for: Achievement__V1__StoredDefinition.self)
                + PackArena.bytes(for: Achievement__V1__StoredSetMembers.self) + PackArena.bytes(for: UInt32.self, count: members.count)
            PackArena.with(capacity: capacity) { arena in
                let set = arena.message(achievement__v1__stored_set_members__init)
                let list = arena.array(UInt32.self, count: members.count)
                for (index, member) in members.enumerated() { list[index] = member.map { $0 + 1 } ?? 0 }
                set.pointee.n_members = members.count
                set.pointee.members = list
                let definition = arena.message(achievement__v1__stored_definition__init)
                definition.pointee.number = number
                definition.pointee.definition_case = ACHIEVEMENT__V1__STORED_DEFINITION__DEFINITION_SET
                definition.pointee.set = set
                appendPacked(definition, to: &out)
            }
        }
    }

    private static func arenaBytes(_ o: ReferredObject) -> Int {
        PackArena.bytes(for: Achievement__V1__StoredObject.self)
            + [o.id, o.number, o.name, o.code, o.alternativeCode, o.description, o.lifeCycleState, o.authenticationCode, o.identifier]
            .reduce(0) { $0 + PackArena.bytes(forString: $1) }
    }

    private static func storedObject(_ o: ReferredObject, _ arena: inout PackArena) -> UnsafeMutablePointer<Achievement__V1__StoredObject> {
        let m = arena.message(achievement__v1__stored_object__init)
        (m.pointee.id, m.pointee.number, m.pointee.name) = (arena.optional(o.id), arena.optional(o.number), arena.optional(o.name))
        (m.pointee.code, m.pointee.alternative_code) = (arena.optional(o.code), arena.optional(o.alternativeCode))
        (m.pointee.description, m.pointee.life_cycle_state) = (arena.optional(o.description), arena.optional(o.lifeCycleState))
        (m.pointee.authentication_code, m.pointee.identifier) = (arena.optional(o.authenticationCode), arena.optional(o.identifier))
        m.pointee.classification = o.classification.map { storedObject($0, &arena) }
        return m
    }

    /// Decodes a `StoredDefinition`.
    /// - Throws: `CodecError` MALFORMED_PAYLOAD on bad protobuf, no definition, or a set
    ///   without nine members (classification and accounts receivable present);
    ///   INVALID_STRING on invalid UTF-8 or U+0000.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__stored_definition__unpack) { m throws(CodecError) in
            switch m.definition_case {
            case ACHIEVEMENT__V1__STORED_DEFINITION__DEFINITION_OBJECT:
                guard let object = m.object?.pointee else { throw .storedFieldMissing("object") }
                return .object(number: m.number, try Self.object(object, "object"))
            case ACHIEVEMENT__V1__STORED_DEFINITION__DEFINITION_SET:
                guard let set = m.set?.pointee, set.n_members == 9, let list = set.members else { throw .storedFieldMissing("set.members") }
                let members = (0..<9).map { list[$0] == 0 ? nil : list[$0] - 1 }
                guard members[0] != nil, members[1] != nil else { throw .storedFieldMissing("set.members") }
                return .set(number: m.number, members: members)
            default:
                throw .storedFieldMissing("definition")
            }
        }
    }

    private static func object(_ r: Achievement__V1__StoredObject, _ at: @autoclosure FieldName) throws(CodecError) -> ReferredObject {
        typealias R = StoredReader
        return try ReferredObject(
            id: R.text(r.id, at() + ".id"), number: R.text(r.number, at() + ".number"), name: R.text(r.name, at() + ".name"),
            code: R.text(r.code, at() + ".code"), alternativeCode: R.text(r.alternative_code, at() + ".alternative_code"),
            description: R.text(r.description, at() + ".description"), lifeCycleState: R.text(r.life_cycle_state, at() + ".life_cycle_state"),
            authenticationCode: R.text(r.authentication_code, at() + ".authentication_code"),
            identifier: R.text(r.identifier, at() + ".identifier"),
            classification: r.classification.map { c throws(CodecError) in try object(c.pointee, at() + ".classification") })
    }
}

extension StoredChangeValue {
    /// Appends the `StoredChange` body of `event` as a `LoggedEvent`, byte for byte what
    /// protobuf-c packs. Its shared objects are numbers in the log's table: `set` its referred
    /// set, `createdBy` and `updatedBy` its users, `offers` each award's reward offer in order.
    /// - Precondition: `offers` has one number per award.
    public static func encodeLogged(
        _ event: CustomerEvent, set: UInt32, createdBy: UInt32, updatedBy: UInt32, offers: ArraySlice<UInt32>, appendingTo out: inout [UInt8]
    ) {
        precondition(offers.count == event.awardRewardTransactions.count, "one offer number per award")  // safe because: the store numbers every award's offer
        var w = ProtoWriter(capacity: 160 + 96 * event.awardRewardTransactions.count + (event.extras?.packedByteCount ?? 0))
        let eventStart = w.openMessage(field: 3)  // StoredChange.event
        w.id(1, event.id)
        w.varint(2, event.number)
        w.varint(3, UInt64(event.lifeCycleState.rawValue))
        w.varint(4, UInt64(bitPattern: event.performedOn))
        if let amount = event.amount { w.double(5, amount, always: true) }
        if let system = event.externalSystem { w.string(6, system) }
        if let reference = event.externalSystemReferenceNumber { w.string(7, reference) }
        w.varint(8, UInt64(set))
        w.varint(9, UInt64(bitPattern: event.logInformation.createdDate))
        w.varint(10, UInt64(bitPattern: event.logInformation.updatedDate))
        w.varint(11, UInt64(createdBy))
        w.varint(12, UInt64(updatedBy))
        for (index, award) in event.awardRewardTransactions.enumerated() {
            let awardStart = w.openMessage(field: 13)
            w.id(1, award.id)
            w.varint(2, award.number)
            w.varint(3, UInt64(award.lifeCycleState.rawValue))
            w.double(4, award.amount)
            w.double(5, award.alternativeAmount)
            if let expiration = award.expirationDate { w.tag(6, 0); w.rawVarint(UInt64(bitPattern: expiration)) }
            w.varint(7, UInt64(offers[offers.startIndex + index]))
            w.closeMessage(awardStart)
        }
        event.extras?.withPackedBytes { w.bytes(14, UnsafeRawBufferPointer($0)) }
        w.closeMessage(eventStart)
        w.finish(appendingTo: &out)
    }

    /// Reads a `LoggedEvent` whose numbers refer to `objects` and `sets` (the log's tables).
    /// - Throws: MALFORMED_PAYLOAD naming the field when a part is missing, unparsable or a
    ///   number outside the tables; `.invalidString` for invalid UTF-8.
    static func logged(
        _ m: Achievement__V1__LoggedEvent, objects: UnsafeBufferPointer<ReferredObject?>, sets: UnsafeBufferPointer<ReferredSet?>
    ) throws(CodecError) -> CustomerEvent {
        typealias R = StoredReader
        func object(_ number: UInt32, _ name: @autoclosure FieldName) throws(CodecError) -> ReferredObject {
            guard Int(number) < objects.count, let object = objects[Int(number)] else { throw .storedFieldMissing(name()) }
            return object
        }
        guard let state = lifeCycleStateValue(m.life_cycle_state) else { throw .storedFieldMissing("life_cycle_state") }
        guard Int(m.referred) < sets.count, let referred = sets[Int(m.referred)] else { throw .storedFieldMissing("referred") }
        var awards: [AwardTransaction] = []
        if m.n_awards > 0, let list = m.awards {
            awards.reserveCapacity(m.n_awards)
            for index in 0..<m.n_awards {
                guard let a = list[index]?.pointee, let awardState = lifeCycleStateValue(a.life_cycle_state) else {
                    throw .storedFieldMissing("awards[\(index)].life_cycle_state")
                }
                awards.append(AwardTransaction(
                    id: try eventID(a.id, "awards[\(index)].id"), number: a.number, lifeCycleState: awardState, amount: a.amount,
                    alternativeAmount: a.alternative_amount, expirationDate: a._expiration_date_case.rawValue != 0 ? a.expiration_date : nil,
                    rewardOffer: try object(a.reward_offer, "awards[\(index)].reward_offer")))
            }
        }
        var extras: EventExtras?
        if m.extras.len > 0 {
            guard let packed = EventExtras.make(packed: UnsafeRawBufferPointer(start: m.extras.data, count: m.extras.len)) else {
                throw .storedFieldMissing("extras")
            }
            extras = packed
        }
        return CustomerEvent(
            id: try eventID(m.id, "id"), number: m.number, lifeCycleState: state, performedOn: m.performed_on,
            amount: m._amount_case.rawValue != 0 ? m.amount : nil,
            externalSystem: m._external_system_case.rawValue != 0 ? try R.text(m.external_system, "external_system") : nil,
            externalSystemReferenceNumber: m._external_system_reference_number_case.rawValue != 0
                ? try R.text(m.external_system_reference_number, "external_system_reference_number") : nil,
            logInformation: LogInformation(
                createdDate: m.created_date, updatedDate: m.updated_date,
                createdByUser: try object(m.created_by, "created_by"), updatedByUser: try object(m.updated_by, "updated_by")),
            awardRewardTransactions: awards, referred: referred, extras: extras)
    }

    /// The 16 bytes of `data` (high half then low, big-endian) as an `EventID`.
    private static func eventID(_ data: ProtobufCBinaryData, _ name: @autoclosure FieldName) throws(CodecError) -> EventID {
        guard data.len == 16, let bytes = data.data else { throw .storedFieldMissing(name()) }
        let raw = UnsafeRawPointer(bytes)
        return EventID(high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                       low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}
