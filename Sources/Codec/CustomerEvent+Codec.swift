// `CustomerEvent` → CustomerEvent message, shaped by a `FieldMask` (the server's hot path).
// All structs and strings of one message go into one temporary arena; ids and numbers are
// written as text straight into it.
internal import AchievementProtoC
public import Domain

extension CustomerEvent {
    /// Appends this event as a CustomerEvent payload holding exactly the fields `fields` selects.
    ///
    /// Called by the server on the connection's queue for Create, Get and Cancel answers. Bit `n`
    /// of `fields` fills field number `n`, with presence set; optional values the event lacks
    /// stay absent. Strings are cut at a U+0000 (never present in validated input).
    public func encode(fields: FieldMask, appendingTo out: inout [UInt8]) {
        PackArena.with(capacity: arenaBytes, packing: true) { arena in
            let m = arena.customerEvent(self, fields: fields)
            arena.pack(m) { out.append(contentsOf: $0) }
        }
    }

    /// True when this draft's answer, shaped by `fields`, will be at most `limit` bytes once it is
    /// stored (its id and numbers given): a create checks it before storing anything. Cheap when
    /// twice the arena bytes fit (the pack's bound), as they do under any but a small limit.
    public func answerFits(in limit: Int, fields: FieldMask) -> Bool {
        let numberDigits = 20 * (1 + awardRewardTransactions.count)  // the draft's numbers are 0
        return 2 * arenaBytes <= limit || encodedSize(fields: fields) + numberDigits <= limit
    }

    /// Bytes that `encode(fields:appendingTo:)` appends, to fit a list page under the frame limit.
    public func encodedSize(fields: FieldMask) -> Int {
        PackArena.with(capacity: arenaBytes) { arena in
            packedSize(arena.customerEvent(self, fields: fields))
        }
    }

    /// Appends this event as `encode(fields:appendingTo:)` does, byte for byte, taking the
    /// referred objects' fields (30–38) from `cache` when `fields` selects all of them: every
    /// event of one referred set shares those bytes, so they are packed once per set.
    ///
    /// The other fields are written here field by field, in number order as protobuf-c packs
    /// them, without building its structs (which, with its pack, cost twice the rest of a
    /// create's answer); the tests hold every such answer to `encode(fields:appendingTo:)`'s bytes.
    public func encode(fields: FieldMask, appendingTo out: inout [UInt8], referred cache: ReferredAnswerCache) {
        let referredBits = ReferredAnswerCache.referredBits
        guard fields.bits & referredBits == referredBits else { return encode(fields: fields, appendingTo: &out) }
        var w = ProtoWriter(capacity: 1024 + 160 * awardRewardTransactions.count + (extras?.packedByteCount ?? 0))
        writeScalars(fields, &w)
        cache.bytes(for: self).withUnsafeBytes { w.packed($0) }  // fields 30 to 38
        if fields.contains(39) { writeLogInformation(&w) }
        if fields.contains(40) {
            for award in awardRewardTransactions { Self.write(award, &w) }
        }
        w.finish(appendingTo: &out)
    }

    /// Fields 1 to 29 that `f` selects (one-member oneofs: written when set, even at 0).
    private func writeScalars(_ f: FieldMask, _ w: inout ProtoWriter) {
        if f.contains(1) { w.hexID(1, id) }
        if f.contains(2) { w.decimal(2, number) }
        if f.contains(3) { w.presentVarint(3, UInt64(ACHIEVEMENT__V1__EVENT_TYPE__ACHIEVEMENT.rawValue)) }
        if f.contains(4) { w.presentVarint(4, UInt64(lifeCycleState.rawValue)) }
        if f.contains(5) { w.presentVarint(5, UInt64(bitPattern: performedOn)) }
        if let extras, f.contains(6) || f.contains(8) {
            extras.forEachField { field in
                switch field {
                case .description(let v) where f.contains(6): w.text(6, UnsafeRawBufferPointer(v), always: true)
                case .paymentMediumIdentifier(let v) where f.contains(8): w.text(8, UnsafeRawBufferPointer(v), always: true)
                default: break
                }
            }
        }
        if f.contains(9), let v = amount { w.double(9, v, always: true) }
        if f.contains(10), let v = externalSystem { w.text(10, v, always: true) }
        if f.contains(11), let v = externalSystemReferenceNumber { w.text(11, v, always: true) }
        if f.contains(12) { w.double(12, totalAwardedAmount, always: true) }
        if f.contains(13) { w.double(13, totalAwardedAlternativeAmount, always: true) }
        if let extras, f.bits & Self.userDefinedBits != 0 {
            extras.forEachField { field in  // strings, floats, dates, each by index: number order
                switch field {
                case .udfString(let i, let v) where f.contains(14 + i): w.text(14 + i, UnsafeRawBufferPointer(v), always: true)
                case .udfFloat(let i, let v) where f.contains(22 + i): w.double(22 + i, v, always: true)
                case .udfDate(let i, let v) where f.contains(26 + i): w.presentVarint(26 + i, UInt64(bitPattern: v))
                default: break
                }
            }
        }
    }

    /// Fields 14 to 29, the user-defined ones.
    private static let userDefinedBits: UInt64 = ((1 << 30) - 1) & ~((1 << 14) - 1)

    /// Field 39: dates omitted at 0, both users always there (their strings omitted when empty).
    private func writeLogInformation(_ w: inout ProtoWriter) {
        let log = logInformation
        let start = w.openMessage(field: 39)
        w.varint(1, UInt64(bitPattern: log.createdDate))
        w.varint(2, UInt64(bitPattern: log.updatedDate))
        for (field, user) in [(3, log.createdByUser), (4, log.updatedByUser)] {
            let userStart = w.openMessage(field: field)
            w.text(1, user.id, always: false)
            w.text(2, user.name, always: false)
            w.closeMessage(userStart)
        }
        w.closeMessage(start)
    }

    /// One field 40: plain proto3 fields, each omitted at its default; the offer always there.
    private static func write(_ award: AwardTransaction, _ w: inout ProtoWriter) {
        let start = w.openMessage(field: 40)
        w.hexID(1, award.id)
        w.decimal(2, award.number)
        w.varint(3, UInt64(award.lifeCycleState.rawValue))
        w.double(4, award.amount)
        w.double(5, award.alternativeAmount)
        w.varint(6, UInt64(bitPattern: award.expirationDate ?? 0))
        let offerStart = w.openMessage(field: 7)
        let offer = award.rewardOffer
        w.text(1, offer.id, always: false)
        w.text(2, offer.name, always: false)
        w.text(3, offer.alternativeCode, always: false)
        w.closeMessage(offerStart)
        w.closeMessage(start)
    }

    /// Arena bytes `PackArena.customerEvent` may take for this event, whatever the mask.
    var arenaBytes: Int {
        var bytes = PackArena.bytes(for: Achievement__V1__CustomerEvent.self) + Self.subMessageBytes
        bytes += PackArena.hexBytes + PackArena.decimalBytes
        // The packed extras bound their strings' bytes (each field has a 5-byte header ≥ its NUL).
        bytes += extras?.packedByteCount ?? 0
        bytes += PackArena.bytes(forString: externalSystem) + PackArena.bytes(forString: externalSystemReferenceNumber)
        bytes += referred.textBytes + 9 * referred.objectCount  // the referred objects' `stringBytes`, summed once per set
        bytes += logInformation.createdByUser.stringBytes + logInformation.updatedByUser.stringBytes
        bytes += PackArena.bytes(for: UnsafeMutableRawPointer.self, count: awardRewardTransactions.count)
        for award in awardRewardTransactions {
            bytes += Self.awardBytes + award.rewardOffer.stringBytes
        }
        return bytes
    }

    /// Arena bytes of the fixed sub-messages, at most one of each.
    private static let subMessageBytes =
        PackArena.bytes(for: Achievement__V1__Reference.self, count: 1) * 4
        + PackArena.bytes(for: Achievement__V1__AccountsReceivable.self)
        + PackArena.bytes(for: Achievement__V1__Product.self)
        + PackArena.bytes(for: Achievement__V1__Unit.self) + PackArena.bytes(for: Achievement__V1__CodedReference.self)
        * 2
        + PackArena.bytes(for: Achievement__V1__AccessToken.self)
        + PackArena.bytes(for: Achievement__V1__LogInformation.self)
        + PackArena.bytes(for: Achievement__V1__User.self) * 2

    /// Arena bytes of one award transaction besides its offer's strings.
    private static let awardBytes =
        PackArena.bytes(for: Achievement__V1__AwardRewardTransaction.self)
        + PackArena.bytes(for: Achievement__V1__Reference.self)
        + PackArena.hexBytes + PackArena.decimalBytes
}

/// The packed referred-object fields (30–38) of CustomerEvent answers, by referred set.
///
/// Not thread-safe: one per event loop. Holds at most `limit` sets, then starts over.
public final class ReferredAnswerCache {
    /// Fields 30 (classification) to 38 (authorized_by_access_token): the referred set's members.
    static let referredBits: UInt64 = ((1 << 39) - 1) & ~((1 << 30) - 1)
    private var entries: [ObjectIdentifier: (set: ReferredSet, bytes: [UInt8])] = [:]
    private let limit: Int

    /// An empty cache of at most `limit` sets.
    public init(limit: Int = 4096) { self.limit = limit }

    /// The packed fields 30–38 of `event` (the set is kept, so its identity stays unique).
    func bytes(for event: CustomerEvent) -> [UInt8] {
        let key = ObjectIdentifier(event.referred)
        if let hit = entries[key] { return hit.bytes }
        var bytes: [UInt8] = []
        PackArena.with(capacity: event.arenaBytes, packing: true) { arena in
            let m = arena.customerEvent(event, fields: FieldMask(bits: Self.referredBits))
            arena.pack(m) { bytes.append(contentsOf: $0) }
        }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = (event.referred, bytes)
        return bytes
    }
}

extension ReferredObject {
    /// Arena bytes of this object's strings and its classification's.
    var stringBytes: Int {
        textBytes + 9 + (classification?.stringBytes ?? 0)
    }
}

extension PackArena {
    /// A CustomerEvent message holding the fields of `e` that `fields` selects.
    mutating func customerEvent(
        _ e: CustomerEvent,
        fields: FieldMask
    ) -> UnsafeMutablePointer<Achievement__V1__CustomerEvent> {
        let m = message(achievement__v1__customer_event__init)
        fillScalars(&m.pointee, e, fields)
        if let extras = e.extras { fillExtras(&m.pointee, extras, fields) }
        fillReferredObjects(&m.pointee, e, fields)
        if fields.contains(40) {
            m.pointee.n_award_reward_transactions_set = e.awardRewardTransactions.count
            m.pointee.award_reward_transactions_set = messages(count: e.awardRewardTransactions.count) { arena, index in
                arena.awardTransaction(e.awardRewardTransactions[index])
            }
        }
        return m
    }

    // A one-member oneof's case is its field number: `.init(rawValue: n)` marks field n present.
    private mutating func fillScalars(_ m: inout Achievement__V1__CustomerEvent, _ e: CustomerEvent, _ f: FieldMask) {
        if f.contains(1) { (m._id_case, m.id) = (.init(rawValue: 1), hex(high: e.id.high, low: e.id.low)) }
        if f.contains(2) { (m._number_case, m.number) = (.init(rawValue: 2), decimal(e.number)) }
        if f.contains(3) { (m._type_case, m.type) = (.init(rawValue: 3), ACHIEVEMENT__V1__EVENT_TYPE__ACHIEVEMENT) }
        if f.contains(4) {
            m._life_cycle_state_case = .init(rawValue: 4)
            m.life_cycle_state = wireState(e.lifeCycleState)
        }
        if f.contains(5) { (m._performed_on_case, m.performed_on) = (.init(rawValue: 5), e.performedOn) }
        if f.contains(9), let v = e.amount { (m._amount_case, m.amount) = (.init(rawValue: 9), v) }
        if f.contains(10), let v = e.externalSystem {
            (m._external_system_case, m.external_system) = (.init(rawValue: 10), string(v))
        }
        if f.contains(11), let v = e.externalSystemReferenceNumber {
            m._external_system_reference_number_case = .init(rawValue: 11)
            m.external_system_reference_number = string(v)
        }
        if f.contains(12) {
            m._total_awarded_amount_case = .init(rawValue: 12)
            m.total_awarded_amount = e.totalAwardedAmount
        }
        if f.contains(13) {
            m._total_awarded_alternative_amount_case = .init(rawValue: 13)
            m.total_awarded_alternative_amount = e.totalAwardedAlternativeAmount
        }
    }

    /// The description, payment medium identifier and user-defined fields, copied from their
    /// packed form (no String or array is built).
    private mutating func fillExtras(_ m: inout Achievement__V1__CustomerEvent, _ extras: EventExtras, _ f: FieldMask) {
        extras.forEachField { field in
            switch field {
            case .description(let v) where f.contains(6):
                (m._description_case, m.description) = (.init(rawValue: 6), string(bytes: v))
            case .paymentMediumIdentifier(let v) where f.contains(8):
                (m._payment_medium_identifier_case, m.payment_medium_identifier) = (.init(rawValue: 8), string(bytes: v))
            case .udfString(let i, let v) where f.contains(14 + i): Self.setUDFString(&m, i, string(bytes: v))
            case .udfFloat(let i, let v) where f.contains(22 + i): Self.setUDFFloat(&m, i, v)
            case .udfDate(let i, let v) where f.contains(26 + i): Self.setUDFDate(&m, i, v)
            default: break
            }
        }
    }

    // A one-member oneof's case is its field number: udf_string_1 is field 14, udf_float_1 22, udf_date_1 26.
    private static func setUDFString(_ m: inout Achievement__V1__CustomerEvent, _ i: Int, _ v: UnsafeMutablePointer<CChar>) {
        switch i {
        case 0: (m._udf_string_1_case, m.udf_string_1) = (.init(rawValue: 14), v)
        case 1: (m._udf_string_2_case, m.udf_string_2) = (.init(rawValue: 15), v)
        case 2: (m._udf_string_3_case, m.udf_string_3) = (.init(rawValue: 16), v)
        case 3: (m._udf_string_4_case, m.udf_string_4) = (.init(rawValue: 17), v)
        case 4: (m._udf_string_5_case, m.udf_string_5) = (.init(rawValue: 18), v)
        case 5: (m._udf_string_6_case, m.udf_string_6) = (.init(rawValue: 19), v)
        case 6: (m._udf_string_7_case, m.udf_string_7) = (.init(rawValue: 20), v)
        default: (m._udf_string_8_case, m.udf_string_8) = (.init(rawValue: 21), v)
        }
    }

    private static func setUDFFloat(_ m: inout Achievement__V1__CustomerEvent, _ i: Int, _ v: Double) {
        switch i {
        case 0: (m._udf_float_1_case, m.udf_float_1) = (.init(rawValue: 22), v)
        case 1: (m._udf_float_2_case, m.udf_float_2) = (.init(rawValue: 23), v)
        case 2: (m._udf_float_3_case, m.udf_float_3) = (.init(rawValue: 24), v)
        default: (m._udf_float_4_case, m.udf_float_4) = (.init(rawValue: 25), v)
        }
    }

    private static func setUDFDate(_ m: inout Achievement__V1__CustomerEvent, _ i: Int, _ v: Milliseconds) {
        switch i {
        case 0: (m._udf_date_1_case, m.udf_date_1) = (.init(rawValue: 26), v)
        case 1: (m._udf_date_2_case, m.udf_date_2) = (.init(rawValue: 27), v)
        case 2: (m._udf_date_3_case, m.udf_date_3) = (.init(rawValue: 28), v)
        default: (m._udf_date_4_case, m.udf_date_4) = (.init(rawValue: 29), v)
        }
    }

    private mutating func fillReferredObjects(
        _ m: inout Achievement__V1__CustomerEvent,
        _ e: CustomerEvent,
        _ f: FieldMask
    ) {
        if f.contains(30) { m.classification = reference(e.classification) }
        if f.contains(31) { m.accounts_receivable = accountsReceivable(e.accountsReceivable) }
        if f.contains(32), let v = e.product { m.product = product(v) }
        if f.contains(33), let v = e.paymentMediumType { m.payment_medium_type = reference(v) }
        if f.contains(34), let v = e.paymentMediumBrand { m.payment_medium_brand = reference(v) }
        if f.contains(35), let v = e.performedByUnit { m.performed_by_unit = unit(v) }
        if f.contains(36), let v = e.performedByBusinessUnit { m.performed_by_business_unit = codedReference(v) }
        if f.contains(37), let v = e.performedByTap { m.performed_by_tap = codedReference(v) }
        if f.contains(38), let v = e.authorizedByAccessToken { m.authorized_by_access_token = accessToken(v) }
        if f.contains(39) { m.log_information = logInformation(e.logInformation) }
    }

    /// The wire value of a life cycle state.
    func wireState(_ state: LifeCycleState) -> Achievement__V1__LifeCycleState {
        Achievement__V1__LifeCycleState(rawValue: UInt32(state.rawValue))
    }

    private mutating func reference(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__Reference> {
        let r = message(achievement__v1__reference__init)
        (r.pointee.id, r.pointee.name, r.pointee.alternative_code) = (
            optional(o.id), optional(o.name), optional(o.alternativeCode)
        )
        return r
    }

    private mutating func codedReference(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__CodedReference> {
        let r = message(achievement__v1__coded_reference__init)
        (r.pointee.id, r.pointee.name, r.pointee.code) = (optional(o.id), optional(o.name), optional(o.code))
        return r
    }

    private mutating func accountsReceivable(
        _ o: ReferredObject
    ) -> UnsafeMutablePointer<Achievement__V1__AccountsReceivable> {
        let r = message(achievement__v1__accounts_receivable__init)
        (r.pointee.id, r.pointee.number, r.pointee.name) = (optional(o.id), optional(o.number), optional(o.name))
        r.pointee.life_cycle_state = optional(o.lifeCycleState)
        return r
    }

    private mutating func product(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__Product> {
        let r = message(achievement__v1__product__init)
        (r.pointee.id, r.pointee.code, r.pointee.alternative_code) = (
            optional(o.id), optional(o.code), optional(o.alternativeCode)
        )
        r.pointee.description = optional(o.description)
        return r
    }

    private mutating func unit(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__Unit> {
        let r = message(achievement__v1__unit__init)
        (r.pointee.id, r.pointee.name, r.pointee.alternative_code) = (
            optional(o.id), optional(o.name), optional(o.alternativeCode)
        )
        r.pointee.description = optional(o.description)
        return r
    }

    private mutating func accessToken(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__AccessToken> {
        let r = message(achievement__v1__access_token__init)
        (r.pointee.id, r.pointee.number, r.pointee.life_cycle_state) = (
            optional(o.id), optional(o.number), optional(o.lifeCycleState)
        )
        (r.pointee.authentication_code, r.pointee.identifier) = (optional(o.authenticationCode), optional(o.identifier))
        if let classification = o.classification { r.pointee.classification = reference(classification) }
        return r
    }

    private mutating func user(_ o: ReferredObject) -> UnsafeMutablePointer<Achievement__V1__User> {
        let r = message(achievement__v1__user__init)
        (r.pointee.id, r.pointee.username) = (optional(o.id), optional(o.name))
        return r
    }

    private mutating func logInformation(_ l: LogInformation) -> UnsafeMutablePointer<Achievement__V1__LogInformation> {
        let r = message(achievement__v1__log_information__init)
        (r.pointee.created_date, r.pointee.updated_date) = (l.createdDate, l.updatedDate)
        (r.pointee.created_by_user, r.pointee.updated_by_user) = (user(l.createdByUser), user(l.updatedByUser))
        return r
    }

    private mutating func awardTransaction(
        _ a: AwardTransaction
    ) -> UnsafeMutablePointer<Achievement__V1__AwardRewardTransaction> {
        let r = message(achievement__v1__award_reward_transaction__init)
        (r.pointee.id, r.pointee.number) = (hex(high: a.id.high, low: a.id.low), decimal(a.number))
        r.pointee.life_cycle_state = wireState(a.lifeCycleState)
        (r.pointee.amount, r.pointee.alternative_amount) = (a.amount, a.alternativeAmount)
        r.pointee.expiration_date = a.expirationDate ?? 0
        r.pointee.reward_offer = reference(a.rewardOffer)
        return r
    }
}
