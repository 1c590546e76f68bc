// CustomerEvent message (as the store writes it, every field filled) → Domain `CustomerEvent`.
// The inverse of `PackArena.customerEvent(_:fields: .all)`, run on replay once per stored
// event: it reads the C struct directly (no intermediate view), parses ids and numbers from
// the C strings without a Swift String, and names a bad field only when it throws (a
// `FieldName` closure instead of a `FieldPath` per sub-message: measured ~8% of a decode).
internal import AchievementProtoC
internal import Domain

#if canImport(Glibc)
internal import Glibc
#endif

/// The dotted name of a field (`award_reward_transactions_set[2].reward_offer.name`), built
/// only when an error is thrown.
typealias FieldName = () -> String

extension CustomerEvent {
    /// Reads a stored CustomerEvent message back into the event that was packed.
    ///
    /// Referred objects come back with exactly the fields of their kind (the others ""), as
    /// the catalog builds them (`CatalogIndex+Tables.swift`, `OfferEntry`), so a replayed
    /// event `==` the original. The derived fields (`type`, the totals) are ignored.
    /// An award's `expiration_date` of 0 reads as nil, mirroring the encoder (nil → 0).
    /// - Throws: `CodecError` MALFORMED_PAYLOAD naming the field when a part every stored
    ///   event has is missing or unparsable (id, number, life cycle state, performed on,
    ///   classification, accounts receivable, log information and its users, and per award
    ///   id, number, state and reward offer); `.invalidString` for invalid UTF-8.
    init(stored m: Achievement__V1__CustomerEvent, promoCode: String?) throws(CodecError) {
        typealias R = StoredReader
        // A one-member oneof's case is nonzero exactly when its field is present.
        guard m._id_case.rawValue != 0 else { throw .storedFieldMissing("id") }
        let id = try R.eventID(m.id, "id")
        guard m._number_case.rawValue != 0 else { throw .storedFieldMissing("number") }
        let number = try R.decimal(m.number, "number")
        guard m._life_cycle_state_case.rawValue != 0, let state = lifeCycleStateValue(m.life_cycle_state) else {
            throw .storedFieldMissing("life_cycle_state")
        }
        guard m._performed_on_case.rawValue != 0 else { throw .storedFieldMissing("performed_on") }
        guard let classification = try R.reference(m.classification, "classification") else {
            throw .storedFieldMissing("classification")
        }
        guard let account = try R.accountsReceivable(m.accounts_receivable, "accounts_receivable") else {
            throw .storedFieldMissing("accounts_receivable")
        }
        let referred = try ReferredSet(
            classification: classification,
            accountsReceivable: account,
            product: R.product(m.product, "product"),
            paymentMediumType: R.reference(m.payment_medium_type, "payment_medium_type"),
            paymentMediumBrand: R.reference(m.payment_medium_brand, "payment_medium_brand"),
            performedByUnit: R.unit(m.performed_by_unit, "performed_by_unit"),
            performedByBusinessUnit: R.codedReference(m.performed_by_business_unit, "performed_by_business_unit"),
            performedByTap: R.codedReference(m.performed_by_tap, "performed_by_tap"),
            authorizedByAccessToken: R.accessToken(m.authorized_by_access_token, "authorized_by_access_token"))
        guard let log = try R.logInformation(m.log_information, "log_information") else {
            throw .storedFieldMissing("log_information")
        }
        let extras = try EventExtras.make(
            description: m._description_case.rawValue != 0 ? R.text(m.description, "description") : nil,
            paymentMediumIdentifier: m._payment_medium_identifier_case.rawValue != 0
                ? R.text(m.payment_medium_identifier, "payment_medium_identifier") : nil,
            promoCode: promoCode, userDefinedFields: R.userDefinedFields(m))
        try self.init(
            id: id, number: number, lifeCycleState: state, performedOn: m.performed_on,
            amount: m._amount_case.rawValue != 0 ? m.amount : nil,
            externalSystem: m._external_system_case.rawValue != 0 ? R.text(m.external_system, "external_system") : nil,
            externalSystemReferenceNumber: m._external_system_reference_number_case.rawValue != 0
                ? R.text(m.external_system_reference_number, "external_system_reference_number") : nil,
            logInformation: log,
            awardRewardTransactions: R.awards(m.n_award_reward_transactions_set, m.award_reward_transactions_set),
            referred: referred, extras: extras)
    }
}

extension CodecError {
    /// MALFORMED_PAYLOAD for a stored record whose `field` is missing or unparsable.
    static func storedFieldMissing(_ field: String) -> CodecError {
        CodecError(code: malformedPayloadCode, message: "The stored record has no valid '\(field)'.", field: field)
    }
}

/// Readers of the parts of a stored record. Each referred object is built with the fields of
/// its kind, in the same initialiser slots as the Domain builds it; the others stay "".
enum StoredReader {
    /// The string at `p`, "" when unset.
    /// - Throws: `.invalidString` naming the field when it is not valid UTF-8.
    @inline(__always)
    static func text(_ p: UnsafePointer<CChar>?, _ name: @autoclosure FieldName) throws(CodecError) -> String {
        guard let p, p.pointee != 0 else { return "" }  // unset strings point at protobuf_c_empty_string
        guard let s = String(validatingCString: p) else { throw .invalidString(field: name()) }
        return s
    }

    /// A `Reference` (classification, payment medium type and brand, access token
    /// classification, reward offer): id, name, alternative code. Nil when absent.
    static func reference(
        _ p: UnsafeMutablePointer<Achievement__V1__Reference>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            name: text(r.name, at() + ".name"),
            alternativeCode: text(r.alternative_code, at() + ".alternative_code")
        )
    }

    /// A `CodedReference` (business unit, TAP): id, name, code.
    static func codedReference(
        _ p: UnsafeMutablePointer<Achievement__V1__CodedReference>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            name: text(r.name, at() + ".name"),
            code: text(r.code, at() + ".code")
        )
    }

    /// An `AccountsReceivable`: id, number, name, life cycle state.
    static func accountsReceivable(
        _ p: UnsafeMutablePointer<Achievement__V1__AccountsReceivable>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            number: text(r.number, at() + ".number"),
            name: text(r.name, at() + ".name"),
            lifeCycleState: text(r.life_cycle_state, at() + ".life_cycle_state")
        )
    }

    /// A `Product`: id, code, alternative code, description.
    static func product(
        _ p: UnsafeMutablePointer<Achievement__V1__Product>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            code: text(r.code, at() + ".code"),
            alternativeCode: text(r.alternative_code, at() + ".alternative_code"),
            description: text(r.description, at() + ".description")
        )
    }

    /// A `Unit`: id, name, alternative code, description.
    static func unit(
        _ p: UnsafeMutablePointer<Achievement__V1__Unit>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            name: text(r.name, at() + ".name"),
            alternativeCode: text(r.alternative_code, at() + ".alternative_code"),
            description: text(r.description, at() + ".description")
        )
    }

    /// An `AccessToken`: id, number, life cycle state, authentication code, identifier, and
    /// its classification as a `Reference` (nil when absent).
    static func accessToken(
        _ p: UnsafeMutablePointer<Achievement__V1__AccessToken>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(
            id: text(r.id, at() + ".id"),
            number: text(r.number, at() + ".number"),
            lifeCycleState: text(r.life_cycle_state, at() + ".life_cycle_state"),
            authenticationCode: text(r.authentication_code, at() + ".authentication_code"),
            identifier: text(r.identifier, at() + ".identifier"),
            classification: reference(r.classification, at() + ".classification")
        )
    }

    /// A `User`: id, and `username` as `name`.
    static func user(
        _ p: UnsafeMutablePointer<Achievement__V1__User>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> ReferredObject? {
        guard let r = p?.pointee else { return nil }
        return try ReferredObject(id: text(r.id, at() + ".id"), name: text(r.username, at() + ".username"))
    }

    /// A `LogInformation`, nil when absent; both its users are required.
    static func logInformation(
        _ p: UnsafeMutablePointer<Achievement__V1__LogInformation>?,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> LogInformation? {
        guard let l = p?.pointee else { return nil }
        guard let created = try user(l.created_by_user, at() + ".created_by_user") else {
            throw .storedFieldMissing(at() + ".created_by_user")
        }
        guard let updated = try user(l.updated_by_user, at() + ".updated_by_user") else {
            throw .storedFieldMissing(at() + ".updated_by_user")
        }
        return LogInformation(
            createdDate: l.created_date,
            updatedDate: l.updated_date,
            createdByUser: created,
            updatedByUser: updated
        )
    }

    /// The `count` award transactions of `award_reward_transactions_set`, in order.
    static func awards(
        _ count: Int,
        _ list: UnsafeMutablePointer<UnsafeMutablePointer<Achievement__V1__AwardRewardTransaction>?>?,
    ) throws(CodecError) -> [AwardTransaction] {
        guard let list, count > 0 else { return [] }
        var awards: [AwardTransaction] = []
        awards.reserveCapacity(count)
        for index in 0..<count {
            guard let award = list[index] else { throw .malformedPayload }
            awards.append(try self.award(award.pointee, "award_reward_transactions_set[\(index)]"))
        }
        return awards
    }

    /// One `AwardRewardTransaction`; `expiration_date` 0 is nil (the encoder writes nil as 0).
    static func award(
        _ a: Achievement__V1__AwardRewardTransaction,
        _ at: @autoclosure FieldName
    ) throws(CodecError) -> AwardTransaction {
        guard let state = lifeCycleStateValue(a.life_cycle_state) else {
            throw .storedFieldMissing(at() + ".life_cycle_state")
        }
        guard let offer = try reference(a.reward_offer, at() + ".reward_offer") else {
            throw .storedFieldMissing(at() + ".reward_offer")
        }
        return try AwardTransaction(
            id: eventID(a.id, at() + ".id"),
            number: decimal(a.number, at() + ".number"),
            lifeCycleState: state,
            amount: a.amount,
            alternativeAmount: a.alternative_amount,
            expirationDate: a.expiration_date == 0 ? nil : a.expiration_date,
            rewardOffer: offer
        )
    }

    /// The UDFs of `m`: nil when none is present (the Domain stores them only when one is
    /// given), else 8/4/4 entries with presence kept (present zeros and "" included).
    static func userDefinedFields(_ m: Achievement__V1__CustomerEvent) throws(CodecError) -> UserDefinedFields? {
        let present =
            m._udf_string_1_case.rawValue | m._udf_string_2_case.rawValue | m._udf_string_3_case.rawValue
            | m._udf_string_4_case.rawValue | m._udf_string_5_case.rawValue | m._udf_string_6_case.rawValue
            | m._udf_string_7_case.rawValue | m._udf_string_8_case.rawValue | m._udf_float_1_case.rawValue
            | m._udf_float_2_case.rawValue | m._udf_float_3_case.rawValue | m._udf_float_4_case.rawValue
            | m._udf_date_1_case.rawValue | m._udf_date_2_case.rawValue | m._udf_date_3_case.rawValue
            | m._udf_date_4_case.rawValue
        guard present != 0 else { return nil }
        return try UserDefinedFields(
            strings: [
                m._udf_string_1_case.rawValue != 0 ? text(m.udf_string_1, "udf_string_1") : nil,
                m._udf_string_2_case.rawValue != 0 ? text(m.udf_string_2, "udf_string_2") : nil,
                m._udf_string_3_case.rawValue != 0 ? text(m.udf_string_3, "udf_string_3") : nil,
                m._udf_string_4_case.rawValue != 0 ? text(m.udf_string_4, "udf_string_4") : nil,
                m._udf_string_5_case.rawValue != 0 ? text(m.udf_string_5, "udf_string_5") : nil,
                m._udf_string_6_case.rawValue != 0 ? text(m.udf_string_6, "udf_string_6") : nil,
                m._udf_string_7_case.rawValue != 0 ? text(m.udf_string_7, "udf_string_7") : nil,
                m._udf_string_8_case.rawValue != 0 ? text(m.udf_string_8, "udf_string_8") : nil,
            ],
            floats: [
                m._udf_float_1_case.rawValue != 0 ? m.udf_float_1 : nil,
                m._udf_float_2_case.rawValue != 0 ? m.udf_float_2 : nil,
                m._udf_float_3_case.rawValue != 0 ? m.udf_float_3 : nil,
                m._udf_float_4_case.rawValue != 0 ? m.udf_float_4 : nil,
            ],
            dates: [
                m._udf_date_1_case.rawValue != 0 ? m.udf_date_1 : nil,
                m._udf_date_2_case.rawValue != 0 ? m.udf_date_2 : nil,
                m._udf_date_3_case.rawValue != 0 ? m.udf_date_3 : nil,
                m._udf_date_4_case.rawValue != 0 ? m.udf_date_4 : nil,
            ]
        )
    }

    /// The 32 hex digits (either case) at `p` as an `EventID`, parsed in place.
    /// - Throws: MALFORMED_PAYLOAD naming the field for anything else, unset included.
    static func eventID(_ p: UnsafePointer<CChar>?, _ name: @autoclosure FieldName) throws(CodecError) -> EventID {
        guard let p else { throw .storedFieldMissing(name()) }
        let bytes = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self)
        // The length first (never reading past the NUL), then the digits without a branch each
        // (random hex digits mispredict): a byte that is not a digit sets the table's high bit.
        guard strnlen(p, 33) == 32 else { throw .storedFieldMissing(name()) }
        return try hexTable.withUnsafeBufferPointer { table throws(CodecError) -> EventID in
            var high: UInt64 = 0
            var low: UInt64 = 0
            var bad: UInt8 = 0
            for index in 0..<16 {
                let value = table[Int(bytes[index])]
                bad |= value
                high = high << 4 | UInt64(value & 0x0F)
            }
            for index in 16..<32 {
                let value = table[Int(bytes[index])]
                bad |= value
                low = low << 4 | UInt64(value & 0x0F)
            }
            guard bad & 0x80 == 0 else { throw .storedFieldMissing(name()) }
            return EventID(high: high, low: low)
        }
    }

    /// The decimal digits at `p` (1 to 20 of them, no sign) as a `UInt64`, parsed in place.
    /// - Throws: MALFORMED_PAYLOAD naming the field when unset, not digits, or over `UInt64.max`.
    static func decimal(_ p: UnsafePointer<CChar>?, _ name: @autoclosure FieldName) throws(CodecError) -> UInt64 {
        guard let p else { throw .storedFieldMissing(name()) }
        let bytes = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self)
        var value: UInt64 = 0
        var index = 0
        while bytes[index] != 0 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10, index < 20 else { throw .storedFieldMissing(name()) }
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { throw .storedFieldMissing(name()) }
            value = sum
            index += 1
        }
        guard index > 0 else { throw .storedFieldMissing(name()) }
        return value
    }

    /// Each byte's hex value (either case), 0x80 for a byte that is not a hex digit.
    private static let hexTable: [UInt8] = (0...255).map { UInt8(truncatingIfNeeded: hexNibble(UInt8($0)) ?? 0x80) }

    /// The value of one ASCII hex digit (either case), or nil.
    @inline(__always)
    private static func hexNibble(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }
}
