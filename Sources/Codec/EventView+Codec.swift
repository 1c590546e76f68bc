// CustomerEvent message → `EventView` (the client's side of Create, Get, Cancel and List).
internal import AchievementProtoC
public import Domain

extension EventView {
    /// Decodes a CustomerEvent payload; called by the client on its connection's queue.
    ///
    /// A field is non-nil exactly when the server filled it (present oneof or sub-message);
    /// an empty `award_reward_transactions_set` reads as nil (the wire cannot tell them apart).
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__customer_event__unpack) { m throws(CodecError) in
            try EventView(reading: m, at: .root)
        }
    }

    /// Reads one CustomerEvent message; `path` prefixes field names in errors (`events[3]`).
    init(reading m: Achievement__V1__CustomerEvent, at path: FieldPath) throws(CodecError) {
        self.init()
        if m._id_case.rawValue != 0 { id = try path.text(m.id, "id") }  // one-member oneof: nonzero = present
        if m._number_case.rawValue != 0 { number = try path.text(m.number, "number") }
        if m._type_case.rawValue != 0, m.type == ACHIEVEMENT__V1__EVENT_TYPE__ACHIEVEMENT { type = "ACHIEVEMENT" }
        if m._life_cycle_state_case.rawValue != 0 { lifeCycleState = lifeCycleStateValue(m.life_cycle_state) }
        if m._performed_on_case.rawValue != 0 { performedOn = m.performed_on }
        if m._description_case.rawValue != 0 { description = try path.text(m.description, "description") }
        if m._process_immediately_case.rawValue != 0 { processImmediately = m.process_immediately != 0 }
        if m._payment_medium_identifier_case.rawValue != 0 {
            paymentMediumIdentifier = try path.text(m.payment_medium_identifier, "payment_medium_identifier")
        }
        if m._amount_case.rawValue != 0 { amount = m.amount }
        if m._external_system_case.rawValue != 0 {
            externalSystem = try path.text(m.external_system, "external_system")
        }
        if m._external_system_reference_number_case.rawValue != 0 {
            externalSystemReferenceNumber = try path.text(
                m.external_system_reference_number,
                "external_system_reference_number"
            )
        }
        if m._total_awarded_amount_case.rawValue != 0 { totalAwardedAmount = m.total_awarded_amount }
        if m._total_awarded_alternative_amount_case.rawValue != 0 {
            totalAwardedAlternativeAmount = m.total_awarded_alternative_amount
        }
        try readUserDefinedFields(m, at: path)
        try readReferredObjects(m, at: path)
        if m.n_award_reward_transactions_set > 0 {
            awardRewardTransactionsSet = try path.messages(
                m.n_award_reward_transactions_set,
                m.award_reward_transactions_set
            ) {
                (a, index) throws(CodecError) in
                try path.child("award_reward_transactions_set", index: index).awardTransaction(a)
            }
        }
    }

    private mutating func readUserDefinedFields(_ m: Achievement__V1__CustomerEvent, at p: FieldPath) throws(CodecError)
    {
        udfStrings = try [
            m._udf_string_1_case.rawValue != 0 ? p.text(m.udf_string_1, "udf_string_1") : nil,
            m._udf_string_2_case.rawValue != 0 ? p.text(m.udf_string_2, "udf_string_2") : nil,
            m._udf_string_3_case.rawValue != 0 ? p.text(m.udf_string_3, "udf_string_3") : nil,
            m._udf_string_4_case.rawValue != 0 ? p.text(m.udf_string_4, "udf_string_4") : nil,
            m._udf_string_5_case.rawValue != 0 ? p.text(m.udf_string_5, "udf_string_5") : nil,
            m._udf_string_6_case.rawValue != 0 ? p.text(m.udf_string_6, "udf_string_6") : nil,
            m._udf_string_7_case.rawValue != 0 ? p.text(m.udf_string_7, "udf_string_7") : nil,
            m._udf_string_8_case.rawValue != 0 ? p.text(m.udf_string_8, "udf_string_8") : nil,
        ]
        udfFloats = [
            m._udf_float_1_case.rawValue != 0 ? m.udf_float_1 : nil,
            m._udf_float_2_case.rawValue != 0 ? m.udf_float_2 : nil,
            m._udf_float_3_case.rawValue != 0 ? m.udf_float_3 : nil,
            m._udf_float_4_case.rawValue != 0 ? m.udf_float_4 : nil,
        ]
        udfDates = [
            m._udf_date_1_case.rawValue != 0 ? m.udf_date_1 : nil,
            m._udf_date_2_case.rawValue != 0 ? m.udf_date_2 : nil,
            m._udf_date_3_case.rawValue != 0 ? m.udf_date_3 : nil,
            m._udf_date_4_case.rawValue != 0 ? m.udf_date_4 : nil,
        ]
    }

    private mutating func readReferredObjects(_ m: Achievement__V1__CustomerEvent, at p: FieldPath) throws(CodecError) {
        classification = try p.child("classification").reference(m.classification)
        accountsReceivable = try p.child("accounts_receivable").accountsReceivable(m.accounts_receivable)
        product = try p.child("product").product(m.product)
        paymentMediumType = try p.child("payment_medium_type").reference(m.payment_medium_type)
        paymentMediumBrand = try p.child("payment_medium_brand").reference(m.payment_medium_brand)
        performedByUnit = try p.child("performed_by_unit").unit(m.performed_by_unit)
        performedByBusinessUnit = try p.child("performed_by_business_unit").codedReference(m.performed_by_business_unit)
        performedByTap = try p.child("performed_by_tap").codedReference(m.performed_by_tap)
        authorizedByAccessToken = try p.child("authorized_by_access_token").accessToken(m.authorized_by_access_token)
        if let l = m.log_information?.pointee {
            let path = p.child("log_information")
            logInformation = try LogInformationView(
                createdDate: l.created_date,
                updatedDate: l.updated_date,
                createdByUser: path.child("created_by_user").user(l.created_by_user),
                updatedByUser: path.child("updated_by_user").user(l.updated_by_user)
            )
        }
    }
}

/// The domain value of a wire life cycle state; unspecified and unknown values are nil.
func lifeCycleStateValue(_ state: Achievement__V1__LifeCycleState) -> LifeCycleState? {
    UInt8(exactly: state.rawValue).flatMap(LifeCycleState.init(rawValue:))
}

extension FieldPath {
    /// A `Reference` message at this path.
    func reference(_ p: UnsafeMutablePointer<Achievement__V1__Reference>?) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(
            id: string(r.id, "id"),
            name: string(r.name, "name"),
            alternativeCode: string(r.alternative_code, "alternative_code")
        )
    }

    /// A `CodedReference` message at this path.
    func codedReference(_ p: UnsafeMutablePointer<Achievement__V1__CodedReference>?) throws(CodecError) -> ReferredView?
    {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(id: string(r.id, "id"), name: string(r.name, "name"), code: string(r.code, "code"))
    }

    /// An `AccountsReceivable` message at this path.
    func accountsReceivable(
        _ p: UnsafeMutablePointer<Achievement__V1__AccountsReceivable>?
    ) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(
            id: string(r.id, "id"),
            number: string(r.number, "number"),
            name: string(r.name, "name"),
            lifeCycleState: string(r.life_cycle_state, "life_cycle_state")
        )
    }

    /// A `Product` message at this path.
    func product(_ p: UnsafeMutablePointer<Achievement__V1__Product>?) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(
            id: string(r.id, "id"),
            code: string(r.code, "code"),
            alternativeCode: string(r.alternative_code, "alternative_code"),
            description: string(r.description, "description")
        )
    }

    /// A `Unit` message at this path.
    func unit(_ p: UnsafeMutablePointer<Achievement__V1__Unit>?) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(
            id: string(r.id, "id"),
            name: string(r.name, "name"),
            alternativeCode: string(r.alternative_code, "alternative_code"),
            description: string(r.description, "description")
        )
    }

    /// An `AccessToken` message at this path.
    func accessToken(_ p: UnsafeMutablePointer<Achievement__V1__AccessToken>?) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        var classification: ShortReferenceView?
        if let c = try child("classification").reference(r.classification) {
            classification = ShortReferenceView(id: c.id, name: c.name, alternativeCode: c.alternativeCode)
        }
        return try ReferredView(
            id: string(r.id, "id"),
            number: string(r.number, "number"),
            lifeCycleState: string(r.life_cycle_state, "life_cycle_state"),
            authenticationCode: string(r.authentication_code, "authentication_code"),
            identifier: string(r.identifier, "identifier"),
            classification: classification
        )
    }

    /// A `User` message at this path (`username` becomes `name`).
    func user(_ p: UnsafeMutablePointer<Achievement__V1__User>?) throws(CodecError) -> ReferredView? {
        guard let r = p?.pointee else { return nil }
        return try ReferredView(id: string(r.id, "id"), name: string(r.username, "username"))
    }

    /// An `AwardRewardTransaction` message at this path.
    func awardTransaction(_ a: Achievement__V1__AwardRewardTransaction) throws(CodecError) -> AwardTransactionView {
        try AwardTransactionView(
            id: text(a.id, "id"),
            number: text(a.number, "number"),
            lifeCycleState: lifeCycleStateValue(a.life_cycle_state),
            amount: a.amount,
            alternativeAmount: a.alternative_amount,
            expirationDate: a.expiration_date,
            rewardOffer: child("reward_offer").reference(a.reward_offer)
        )
    }
}
