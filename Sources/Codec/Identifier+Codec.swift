// Identifier messages ⇄ `Identifier`, `AccessTokenIdentifier`, `CustomerEventIdentifier`.
// A sub-message that is present but empty becomes a value with every field nil (present, so
// the domain can say INVALID_IDENTIFIER); an absent one becomes nil. Encoding writes only the
// fields the message has (SPEC §4).
internal import AchievementProtoC
internal import Domain

// MARK: - Reading

extension FieldPath {
    /// An `AccessTokenIdentifier` message at this path.
    func accessToken(
        _ p: UnsafeMutablePointer<Achievement__V1__AccessTokenIdentifier>?
    ) throws(CodecError) -> AccessTokenIdentifier? {
        guard let m = p?.pointee else { return nil }
        return try AccessTokenIdentifier(
            authenticationCode: string(m.authentication_code, "authentication_code"),
            identifier: string(m.identifier, "identifier"),
            passCode: string(m.pass_code, "pass_code")
        )
    }

    /// An `AccountsReceivableIdentifier` message at this path.
    func accountsReceivable(
        _ p: UnsafeMutablePointer<Achievement__V1__AccountsReceivableIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try Identifier(
            id: string(m.id, "id"),
            number: string(m.number, "number"),
            name: string(m.name, "name"),
            accessTokenIdentifier: child("access_token_identifier").accessToken(m.access_token_identifier)
        )
    }

    /// A `RewardsParticipantIdentifier` message at this path.
    func rewardsParticipant(
        _ p: UnsafeMutablePointer<Achievement__V1__RewardsParticipantIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try Identifier(
            id: string(m.id, "id"),
            number: string(m.number, "number"),
            accessTokenIdentifier: child("access_token_identifier").accessToken(m.access_token_identifier)
        )
    }

    /// An identifier message with `id`, `name` and `alternative_code` (classification, payment medium, unit).
    func named(
        id: UnsafePointer<CChar>?,
        name: UnsafePointer<CChar>?,
        alternativeCode: UnsafePointer<CChar>?
    ) throws(CodecError) -> Identifier {
        try Identifier(
            id: string(id, "id"),
            name: string(name, "name"),
            alternativeCode: string(alternativeCode, "alternative_code")
        )
    }

    /// A `ClassificationIdentifier` message at this path.
    func classification(
        _ p: UnsafeMutablePointer<Achievement__V1__ClassificationIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try named(id: m.id, name: m.name, alternativeCode: m.alternative_code)
    }

    /// A `ProductIdentifier` message at this path.
    func product(_ p: UnsafeMutablePointer<Achievement__V1__ProductIdentifier>?) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try Identifier(
            id: string(m.id, "id"),
            code: string(m.code, "code"),
            alternativeCode: string(m.alternative_code, "alternative_code")
        )
    }

    /// A `PaymentMediumTypeIdentifier` message at this path.
    func paymentMediumType(
        _ p: UnsafeMutablePointer<Achievement__V1__PaymentMediumTypeIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try named(id: m.id, name: m.name, alternativeCode: m.alternative_code)
    }

    /// A `PaymentMediumBrandIdentifier` message at this path.
    func paymentMediumBrand(
        _ p: UnsafeMutablePointer<Achievement__V1__PaymentMediumBrandIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try named(id: m.id, name: m.name, alternativeCode: m.alternative_code)
    }

    /// A `BusinessUnitIdentifier` message at this path.
    func businessUnit(
        _ p: UnsafeMutablePointer<Achievement__V1__BusinessUnitIdentifier>?
    ) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try Identifier(id: string(m.id, "id"), name: string(m.name, "name"), code: string(m.code, "code"))
    }

    /// A `UnitIdentifier` message at this path.
    func unit(_ p: UnsafeMutablePointer<Achievement__V1__UnitIdentifier>?) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try named(id: m.id, name: m.name, alternativeCode: m.alternative_code)
    }

    /// A `TapIdentifier` message at this path.
    func tap(_ p: UnsafeMutablePointer<Achievement__V1__TapIdentifier>?) throws(CodecError) -> Identifier? {
        guard let m = p?.pointee else { return nil }
        return try Identifier(id: string(m.id, "id"), name: string(m.name, "name"), code: string(m.code, "code"))
    }

    /// A `CustomerEventIdentifier` message at this path.
    func customerEvent(
        _ p: UnsafeMutablePointer<Achievement__V1__CustomerEventIdentifier>?
    ) throws(CodecError) -> CustomerEventIdentifier? {
        guard let m = p?.pointee else { return nil }
        return try CustomerEventIdentifier(
            id: string(m.id, "id"),
            number: string(m.number, "number"),
            externalSystemReferenceNumber: string(
                m.external_system_reference_number,
                "external_system_reference_number"
            ),
            externalSystem: string(m.external_system, "external_system")
        )
    }
}

// MARK: - Writing

extension Identifier {
    /// Arena bytes that any identifier message made from this value may take.
    var arenaBytes: Int {
        var bytes = PackArena.bytes(for: Achievement__V1__AccountsReceivableIdentifier.self)
        bytes += PackArena.bytes(forString: id) + PackArena.bytes(forString: number) + PackArena.bytes(forString: name)
        bytes += PackArena.bytes(forString: code) + PackArena.bytes(forString: alternativeCode)
        return bytes + (accessTokenIdentifier?.arenaBytes ?? 0)
    }
}

extension AccessTokenIdentifier {
    /// Arena bytes of `PackArena.accessToken(_:)`.
    var arenaBytes: Int {
        PackArena.bytes(for: Achievement__V1__AccessTokenIdentifier.self)
            + PackArena.bytes(forString: authenticationCode)
            + PackArena.bytes(forString: identifier) + PackArena.bytes(forString: passCode)
    }
}

extension CustomerEventIdentifier {
    /// Arena bytes of `PackArena.customerEvent(_:)`.
    var arenaBytes: Int {
        PackArena.bytes(for: Achievement__V1__CustomerEventIdentifier.self) + PackArena.bytes(forString: id)
            + PackArena.bytes(forString: number) + PackArena.bytes(forString: externalSystemReferenceNumber)
            + PackArena.bytes(forString: externalSystem)
    }
}

extension PackArena {
    /// An `AccessTokenIdentifier` message, or NULL for nil.
    mutating func accessToken(
        _ v: AccessTokenIdentifier?
    ) -> UnsafeMutablePointer<Achievement__V1__AccessTokenIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__access_token_identifier__init)
        m.pointee.authentication_code = optional(v.authenticationCode)
        m.pointee.identifier = optional(v.identifier)
        m.pointee.pass_code = optional(v.passCode)
        return m
    }

    /// An `AccountsReceivableIdentifier` message, or NULL for nil.
    mutating func accountsReceivable(
        _ v: Identifier?
    ) -> UnsafeMutablePointer<Achievement__V1__AccountsReceivableIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__accounts_receivable_identifier__init)
        m.pointee.id = optional(v.id)
        m.pointee.number = optional(v.number)
        m.pointee.name = optional(v.name)
        m.pointee.access_token_identifier = accessToken(v.accessTokenIdentifier)
        return m
    }

    /// A `RewardsParticipantIdentifier` message, or NULL for nil.
    mutating func rewardsParticipant(
        _ v: Identifier?
    ) -> UnsafeMutablePointer<Achievement__V1__RewardsParticipantIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__rewards_participant_identifier__init)
        m.pointee.id = optional(v.id)
        m.pointee.number = optional(v.number)
        m.pointee.access_token_identifier = accessToken(v.accessTokenIdentifier)
        return m
    }

    /// A `ClassificationIdentifier` message, or NULL for nil.
    mutating func classification(_ v: Identifier?) -> UnsafeMutablePointer<Achievement__V1__ClassificationIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__classification_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.alternative_code) = (
            optional(v.id), optional(v.name), optional(v.alternativeCode)
        )
        return m
    }

    /// A `ProductIdentifier` message, or NULL for nil.
    mutating func product(_ v: Identifier?) -> UnsafeMutablePointer<Achievement__V1__ProductIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__product_identifier__init)
        (m.pointee.id, m.pointee.code, m.pointee.alternative_code) = (
            optional(v.id), optional(v.code), optional(v.alternativeCode)
        )
        return m
    }

    /// A `PaymentMediumTypeIdentifier` message, or NULL for nil.
    mutating func paymentMediumType(
        _ v: Identifier?
    ) -> UnsafeMutablePointer<Achievement__V1__PaymentMediumTypeIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__payment_medium_type_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.alternative_code) = (
            optional(v.id), optional(v.name), optional(v.alternativeCode)
        )
        return m
    }

    /// A `PaymentMediumBrandIdentifier` message, or NULL for nil.
    mutating func paymentMediumBrand(
        _ v: Identifier?
    ) -> UnsafeMutablePointer<Achievement__V1__PaymentMediumBrandIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__payment_medium_brand_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.alternative_code) = (
            optional(v.id), optional(v.name), optional(v.alternativeCode)
        )
        return m
    }

    /// A `BusinessUnitIdentifier` message, or NULL for nil.
    mutating func businessUnit(_ v: Identifier?) -> UnsafeMutablePointer<Achievement__V1__BusinessUnitIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__business_unit_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.code) = (optional(v.id), optional(v.name), optional(v.code))
        return m
    }

    /// A `UnitIdentifier` message, or NULL for nil.
    mutating func unit(_ v: Identifier?) -> UnsafeMutablePointer<Achievement__V1__UnitIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__unit_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.alternative_code) = (
            optional(v.id), optional(v.name), optional(v.alternativeCode)
        )
        return m
    }

    /// A `TapIdentifier` message, or NULL for nil.
    mutating func tap(_ v: Identifier?) -> UnsafeMutablePointer<Achievement__V1__TapIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__tap_identifier__init)
        (m.pointee.id, m.pointee.name, m.pointee.code) = (optional(v.id), optional(v.name), optional(v.code))
        return m
    }

    /// A `CustomerEventIdentifier` message, or NULL for nil.
    mutating func customerEvent(
        _ v: CustomerEventIdentifier?
    ) -> UnsafeMutablePointer<Achievement__V1__CustomerEventIdentifier>? {
        guard let v else { return nil }
        let m = message(achievement__v1__customer_event_identifier__init)
        m.pointee.id = optional(v.id)
        m.pointee.number = optional(v.number)
        m.pointee.external_system_reference_number = optional(v.externalSystemReferenceNumber)
        m.pointee.external_system = optional(v.externalSystem)
        return m
    }
}
