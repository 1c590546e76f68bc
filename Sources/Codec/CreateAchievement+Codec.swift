// CreateAchievementRequest ⇄ `CreateAchievement` (method 2, and each item of method 7).
internal import AchievementProtoC
public import Domain

extension CreateAchievement {
    /// Decodes a CreateAchievementRequest payload; called by the server on the connection's queue.
    ///
    /// Empty strings become nil, an absent sub-message nil, unset optional scalars nil.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__create_achievement_request__unpack) { m throws(CodecError) in
            try CreateAchievement(reading: m, at: .root)
        }
    }

    /// Appends this command as a CreateAchievementRequest payload; called by the client.
    ///
    /// Strings are cut at a U+0000 (protobuf-c cannot carry one; the server would reject it).
    public func encode(appendingTo out: inout [UInt8]) {
        PackArena.with(capacity: arenaBytes) { arena in
            appendPacked(arena.createRequest(self), to: &out)
        }
    }

    /// Reads one request message; `path` prefixes field names in errors (`items[2]` for bulk items).
    init(reading m: Achievement__V1__CreateAchievementRequest, at path: FieldPath) throws(CodecError) {
        try self.init(
            token: path.string(m.token, "token"),
            accountsReceivableIdentifier: path.child("accounts_receivable_identifier")
                .accountsReceivable(m.accounts_receivable_identifier),
            rewardsParticipantIdentifier: path.child("rewards_participant_identifier")
                .rewardsParticipant(m.rewards_participant_identifier),
            classificationIdentifier: path.child("classification_identifier").classification(m.classification_identifier),
            productIdentifier: path.child("product_identifier").product(m.product_identifier),
            paymentMediumTypeIdentifier: path.child("payment_medium_type_identifier")
                .paymentMediumType(m.payment_medium_type_identifier),
            paymentMediumBrandIdentifier: path.child("payment_medium_brand_identifier")
                .paymentMediumBrand(m.payment_medium_brand_identifier),
            paymentMediumIdentifier: path.string(m.payment_medium_identifier, "payment_medium_identifier"),
            amount: m._amount_case.rawValue != 0 ? m.amount : nil,  // one-member oneof: nonzero case = present
            performedByBusinessUnitIdentifier: path.child("performed_by_business_unit_identifier")
                .businessUnit(m.performed_by_business_unit_identifier),
            performedByUnitIdentifier: path.child("performed_by_unit_identifier").unit(m.performed_by_unit_identifier),
            performedByTapIdentifier: path.child("performed_by_tap_identifier").tap(m.performed_by_tap_identifier),
            performedOn: m._performed_on_case.rawValue != 0 ? m.performed_on : nil,
            description: path.string(m.description, "description"),
            externalSystem: path.string(m.external_system, "external_system"),
            externalSystemReferenceNumber: path.string(
                m.external_system_reference_number, "external_system_reference_number"),
            authorizedByAccessTokenIdentifier: path.child("authorized_by_access_token_identifier")
                .accessToken(m.authorized_by_access_token_identifier),
            promoCode: path.string(m.promo_code, "promo_code"),
            userDefinedFields: Self.userDefinedFields(m, at: path),
            fieldsSet: path.strings(m.n_fields_set, m.fields_set, "fields_set"),
            requestUniqueIdentifier: path.string(m.request_unique_identifier, "request_unique_identifier")
        )
    }

    private static func userDefinedFields(
        _ m: Achievement__V1__CreateAchievementRequest,
        at path: FieldPath
    ) throws(CodecError) -> UserDefinedFields {
        try UserDefinedFields(
            string: { i throws(CodecError) in
                switch i {
                case 0: try path.string(m.udf_string_1, "udf_string_1")
                case 1: try path.string(m.udf_string_2, "udf_string_2")
                case 2: try path.string(m.udf_string_3, "udf_string_3")
                case 3: try path.string(m.udf_string_4, "udf_string_4")
                case 4: try path.string(m.udf_string_5, "udf_string_5")
                case 5: try path.string(m.udf_string_6, "udf_string_6")
                case 6: try path.string(m.udf_string_7, "udf_string_7")
                default: try path.string(m.udf_string_8, "udf_string_8")
                }
            },
            float: { i in
                switch i {
                case 0: m._udf_float_1_case.rawValue != 0 ? m.udf_float_1 : nil
                case 1: m._udf_float_2_case.rawValue != 0 ? m.udf_float_2 : nil
                case 2: m._udf_float_3_case.rawValue != 0 ? m.udf_float_3 : nil
                default: m._udf_float_4_case.rawValue != 0 ? m.udf_float_4 : nil
                }
            },
            date: { i in
                switch i {
                case 0: m._udf_date_1_case.rawValue != 0 ? m.udf_date_1 : nil
                case 1: m._udf_date_2_case.rawValue != 0 ? m.udf_date_2 : nil
                case 2: m._udf_date_3_case.rawValue != 0 ? m.udf_date_3 : nil
                default: m._udf_date_4_case.rawValue != 0 ? m.udf_date_4 : nil
                }
            }
        )
    }

    /// Arena bytes of `PackArena.createRequest(_:)`.
    var arenaBytes: Int {
        var bytes = PackArena.bytes(for: Achievement__V1__CreateAchievementRequest.self)
        for identifier in [
            accountsReceivableIdentifier, rewardsParticipantIdentifier, classificationIdentifier, productIdentifier,
            paymentMediumTypeIdentifier, paymentMediumBrandIdentifier, performedByBusinessUnitIdentifier,
            performedByUnitIdentifier, performedByTapIdentifier,
        ] {
            bytes += identifier?.arenaBytes ?? 0
        }
        bytes += authorizedByAccessTokenIdentifier?.arenaBytes ?? 0
        for string in [
            token, paymentMediumIdentifier, description, externalSystem, externalSystemReferenceNumber, promoCode,
            requestUniqueIdentifier,
        ] {
            bytes += PackArena.bytes(forString: string)
        }
        for string in userDefinedFields.strings { bytes += PackArena.bytes(forString: string) }
        return bytes + PackArena.bytes(forStrings: fieldsSet)
    }
}

extension UserDefinedFields {
    /// `udf_string_<index + 1>`, nil past the end (the arrays are public vars of any length).
    func string(_ index: Int) -> String? { string(at: index) }
    /// `udf_float_<index + 1>`, nil past the end.
    func float(_ index: Int) -> Double? { float(at: index) }
    /// `udf_date_<index + 1>`, nil past the end.
    func date(_ index: Int) -> Milliseconds? { date(at: index) }
}

extension PackArena {
    /// A CreateAchievementRequest message holding `c`.
    mutating func createRequest(
        _ c: CreateAchievement
    ) -> UnsafeMutablePointer<Achievement__V1__CreateAchievementRequest> {
        let m = message(achievement__v1__create_achievement_request__init)
        m.pointee.token = optional(c.token)
        m.pointee.accounts_receivable_identifier = accountsReceivable(c.accountsReceivableIdentifier)
        m.pointee.rewards_participant_identifier = rewardsParticipant(c.rewardsParticipantIdentifier)
        m.pointee.classification_identifier = classification(c.classificationIdentifier)
        m.pointee.product_identifier = product(c.productIdentifier)
        m.pointee.payment_medium_type_identifier = paymentMediumType(c.paymentMediumTypeIdentifier)
        m.pointee.payment_medium_brand_identifier = paymentMediumBrand(c.paymentMediumBrandIdentifier)
        m.pointee.payment_medium_identifier = optional(c.paymentMediumIdentifier)
        if let amount = c.amount {
            m.pointee._amount_case = .init(rawValue: 9)
            m.pointee.amount = amount
        }
        m.pointee.performed_by_business_unit_identifier = businessUnit(c.performedByBusinessUnitIdentifier)
        m.pointee.performed_by_unit_identifier = unit(c.performedByUnitIdentifier)
        m.pointee.performed_by_tap_identifier = tap(c.performedByTapIdentifier)
        if let performedOn = c.performedOn {
            m.pointee._performed_on_case = .init(rawValue: 13)
            m.pointee.performed_on = performedOn
        }
        m.pointee.description = optional(c.description)
        m.pointee.external_system = optional(c.externalSystem)
        m.pointee.external_system_reference_number = optional(c.externalSystemReferenceNumber)
        m.pointee.authorized_by_access_token_identifier = accessToken(c.authorizedByAccessTokenIdentifier)
        m.pointee.promo_code = optional(c.promoCode)
        fillUserDefinedFields(&m.pointee, c.userDefinedFields)
        m.pointee.n_fields_set = c.fieldsSet.count
        m.pointee.fields_set = strings(c.fieldsSet)
        m.pointee.request_unique_identifier = optional(c.requestUniqueIdentifier)
        return m
    }

    // A one-member oneof's case is its field number: `.init(rawValue: n)` marks field n present.
    private mutating func fillUserDefinedFields(
        _ m: inout Achievement__V1__CreateAchievementRequest,
        _ u: UserDefinedFields
    ) {
        m.udf_string_1 = optional(u.string(0))
        m.udf_string_2 = optional(u.string(1))
        m.udf_string_3 = optional(u.string(2))
        m.udf_string_4 = optional(u.string(3))
        m.udf_string_5 = optional(u.string(4))
        m.udf_string_6 = optional(u.string(5))
        m.udf_string_7 = optional(u.string(6))
        m.udf_string_8 = optional(u.string(7))
        if let v = u.float(0) { (m._udf_float_1_case, m.udf_float_1) = (.init(rawValue: 27), v) }
        if let v = u.float(1) { (m._udf_float_2_case, m.udf_float_2) = (.init(rawValue: 28), v) }
        if let v = u.float(2) { (m._udf_float_3_case, m.udf_float_3) = (.init(rawValue: 29), v) }
        if let v = u.float(3) { (m._udf_float_4_case, m.udf_float_4) = (.init(rawValue: 30), v) }
        if let v = u.date(0) { (m._udf_date_1_case, m.udf_date_1) = (.init(rawValue: 31), v) }
        if let v = u.date(1) { (m._udf_date_2_case, m.udf_date_2) = (.init(rawValue: 32), v) }
        if let v = u.date(2) { (m._udf_date_3_case, m.udf_date_3) = (.init(rawValue: 33), v) }
        if let v = u.date(3) { (m._udf_date_4_case, m.udf_date_4) = (.init(rawValue: 34), v) }
    }
}
