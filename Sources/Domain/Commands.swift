/// An identifier as a caller gave it: each allowed field, nil when not given.
///
/// One shape serves every identifier of SPEC §4; which fields are allowed depends on the
/// identifier (the wire messages only carry the allowed ones). Empty strings on the wire
/// arrive here as nil.
public struct Identifier: Sendable, Equatable, Hashable, Codable {
    public var id: String?
    public var number: String?
    public var name: String?
    public var code: String?
    public var alternativeCode: String?
    /// Accounts receivable and rewards participant only: identify through an access token.
    public var accessTokenIdentifier: AccessTokenIdentifier?

    public init(
        id: String? = nil, number: String? = nil, name: String? = nil, code: String? = nil,
        alternativeCode: String? = nil, accessTokenIdentifier: AccessTokenIdentifier? = nil
    ) {
        self.id = id
        self.number = number
        self.name = name
        self.code = code
        self.alternativeCode = alternativeCode
        self.accessTokenIdentifier = accessTokenIdentifier
    }

    enum CodingKeys: String, CodingKey {
        case id, number, name, code
        case alternativeCode = "alternative_code"
        case accessTokenIdentifier = "access_token_identifier"
    }
}

/// An access token identifier: `authentication_code`, or `identifier` with its `pass_code`.
public struct AccessTokenIdentifier: Sendable, Equatable, Hashable, Codable {
    public var authenticationCode: String?
    public var identifier: String?
    public var passCode: String?

    public init(authenticationCode: String? = nil, identifier: String? = nil, passCode: String? = nil) {
        self.authenticationCode = authenticationCode
        self.identifier = identifier
        self.passCode = passCode
    }

    enum CodingKeys: String, CodingKey {
        case authenticationCode = "authentication_code"
        case identifier
        case passCode = "pass_code"
    }
}

/// A customer event identifier: `id`, `number`, or `external_system_reference_number`
/// (with an optional `external_system`).
public struct CustomerEventIdentifier: Sendable, Equatable, Hashable, Codable {
    public var id: String?
    public var number: String?
    public var externalSystemReferenceNumber: String?
    public var externalSystem: String?

    public init(
        id: String? = nil, number: String? = nil, externalSystemReferenceNumber: String? = nil,
        externalSystem: String? = nil
    ) {
        self.id = id
        self.number = number
        self.externalSystemReferenceNumber = externalSystemReferenceNumber
        self.externalSystem = externalSystem
    }

    enum CodingKeys: String, CodingKey {
        case id, number
        case externalSystemReferenceNumber = "external_system_reference_number"
        case externalSystem = "external_system"
    }
}

/// Login (method 1): credentials, a web API key, or a token to release.
public struct LoginCommand: Sendable, Equatable, Codable {
    public var username: String?
    public var password: String?
    public var organisation: String?
    public var unit: Identifier?
    public var webAPIKey: String?
    public var release: String?

    public init(
        username: String? = nil, password: String? = nil, organisation: String? = nil, unit: Identifier? = nil,
        webAPIKey: String? = nil, release: String? = nil
    ) {
        self.username = username
        self.password = password
        self.organisation = organisation
        self.unit = unit
        self.webAPIKey = webAPIKey
        self.release = release
    }

    enum CodingKeys: String, CodingKey {
        case username, password, organisation, unit, release
        case webAPIKey = "web_api_key"
    }
}

/// CreateAchievement (method 2), and each item of a bulk create: every parameter of the seed.
public struct CreateAchievement: Sendable, Equatable, Codable {
    public var token: String?
    public var accountsReceivableIdentifier: Identifier?
    public var rewardsParticipantIdentifier: Identifier?
    public var classificationIdentifier: Identifier?
    public var productIdentifier: Identifier?
    public var paymentMediumTypeIdentifier: Identifier?
    public var paymentMediumBrandIdentifier: Identifier?
    public var paymentMediumIdentifier: String?
    public var amount: Double?
    public var performedByBusinessUnitIdentifier: Identifier?
    public var performedByUnitIdentifier: Identifier?
    public var performedByTapIdentifier: Identifier?
    public var performedOn: Milliseconds?
    public var description: String?
    public var externalSystem: String?
    public var externalSystemReferenceNumber: String?
    public var authorizedByAccessTokenIdentifier: AccessTokenIdentifier?
    public var promoCode: String?
    /// `udf_string_1` … `udf_string_8`, `udf_float_1` … `udf_float_4`, `udf_date_1` … `udf_date_4`.
    public var userDefinedFields: UserDefinedFields
    /// Top-level response fields to fill; empty means all.
    public var fieldsSet: [String]
    /// Bulk items only: the caller's key for this item in the bulk response.
    public var requestUniqueIdentifier: String?

    public init() {
        userDefinedFields = UserDefinedFields()
        fieldsSet = []
    }

    enum CodingKeys: String, CodingKey {
        case token, amount, description
        case accountsReceivableIdentifier = "accounts_receivable_identifier"
        case rewardsParticipantIdentifier = "rewards_participant_identifier"
        case classificationIdentifier = "classification_identifier"
        case productIdentifier = "product_identifier"
        case paymentMediumTypeIdentifier = "payment_medium_type_identifier"
        case paymentMediumBrandIdentifier = "payment_medium_brand_identifier"
        case paymentMediumIdentifier = "payment_medium_identifier"
        case performedByBusinessUnitIdentifier = "performed_by_business_unit_identifier"
        case performedByUnitIdentifier = "performed_by_unit_identifier"
        case performedByTapIdentifier = "performed_by_tap_identifier"
        case performedOn = "performed_on"
        case externalSystem = "external_system"
        case externalSystemReferenceNumber = "external_system_reference_number"
        case authorizedByAccessTokenIdentifier = "authorized_by_access_token_identifier"
        case promoCode = "promo_code"
        case fieldsSet = "fields_set"
        case requestUniqueIdentifier = "request_unique_identifier"
    }
}

/// A JSON key made at run time (the flat `udf_string_1` … keys).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension CreateAchievement {
    /// Reads the seed's JSON shape: snake_case names, flat `udf_*` fields.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        accountsReceivableIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .accountsReceivableIdentifier)
        rewardsParticipantIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .rewardsParticipantIdentifier)
        classificationIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .classificationIdentifier)
        productIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .productIdentifier)
        paymentMediumTypeIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .paymentMediumTypeIdentifier)
        paymentMediumBrandIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .paymentMediumBrandIdentifier)
        paymentMediumIdentifier = try c.decodeIfPresent(String.self, forKey: .paymentMediumIdentifier)
        amount = try c.decodeIfPresent(Double.self, forKey: .amount)
        performedByBusinessUnitIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .performedByBusinessUnitIdentifier)
        performedByUnitIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .performedByUnitIdentifier)
        performedByTapIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .performedByTapIdentifier)
        performedOn = try c.decodeIfPresent(Milliseconds.self, forKey: .performedOn)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        externalSystem = try c.decodeIfPresent(String.self, forKey: .externalSystem)
        externalSystemReferenceNumber = try c.decodeIfPresent(String.self, forKey: .externalSystemReferenceNumber)
        authorizedByAccessTokenIdentifier = try c.decodeIfPresent(
            AccessTokenIdentifier.self, forKey: .authorizedByAccessTokenIdentifier)
        promoCode = try c.decodeIfPresent(String.self, forKey: .promoCode)
        fieldsSet = try c.decodeIfPresent([String].self, forKey: .fieldsSet) ?? []
        requestUniqueIdentifier = try c.decodeIfPresent(String.self, forKey: .requestUniqueIdentifier)
        let udf = try decoder.container(keyedBy: AnyCodingKey.self)
        for i in 0..<8 {
            userDefinedFields.strings[i] = try udf.decodeIfPresent(String.self, forKey: .init(stringValue: "udf_string_\(i + 1)"))
        }
        for i in 0..<4 {
            userDefinedFields.floats[i] = try udf.decodeIfPresent(Double.self, forKey: .init(stringValue: "udf_float_\(i + 1)"))
            userDefinedFields.dates[i] = try udf.decodeIfPresent(Milliseconds.self, forKey: .init(stringValue: "udf_date_\(i + 1)"))
        }
    }

    /// Writes the seed's JSON shape (absent fields left out).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(token, forKey: .token)
        try c.encodeIfPresent(accountsReceivableIdentifier, forKey: .accountsReceivableIdentifier)
        try c.encodeIfPresent(rewardsParticipantIdentifier, forKey: .rewardsParticipantIdentifier)
        try c.encodeIfPresent(classificationIdentifier, forKey: .classificationIdentifier)
        try c.encodeIfPresent(productIdentifier, forKey: .productIdentifier)
        try c.encodeIfPresent(paymentMediumTypeIdentifier, forKey: .paymentMediumTypeIdentifier)
        try c.encodeIfPresent(paymentMediumBrandIdentifier, forKey: .paymentMediumBrandIdentifier)
        try c.encodeIfPresent(paymentMediumIdentifier, forKey: .paymentMediumIdentifier)
        try c.encodeIfPresent(amount, forKey: .amount)
        try c.encodeIfPresent(performedByBusinessUnitIdentifier, forKey: .performedByBusinessUnitIdentifier)
        try c.encodeIfPresent(performedByUnitIdentifier, forKey: .performedByUnitIdentifier)
        try c.encodeIfPresent(performedByTapIdentifier, forKey: .performedByTapIdentifier)
        try c.encodeIfPresent(performedOn, forKey: .performedOn)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(externalSystem, forKey: .externalSystem)
        try c.encodeIfPresent(externalSystemReferenceNumber, forKey: .externalSystemReferenceNumber)
        try c.encodeIfPresent(authorizedByAccessTokenIdentifier, forKey: .authorizedByAccessTokenIdentifier)
        try c.encodeIfPresent(promoCode, forKey: .promoCode)
        if !fieldsSet.isEmpty { try c.encode(fieldsSet, forKey: .fieldsSet) }
        try c.encodeIfPresent(requestUniqueIdentifier, forKey: .requestUniqueIdentifier)
        var udf = encoder.container(keyedBy: AnyCodingKey.self)
        for i in 0..<8 {
            try udf.encodeIfPresent(userDefinedFields.strings[i], forKey: .init(stringValue: "udf_string_\(i + 1)"))
        }
        for i in 0..<4 {
            try udf.encodeIfPresent(userDefinedFields.floats[i], forKey: .init(stringValue: "udf_float_\(i + 1)"))
            try udf.encodeIfPresent(userDefinedFields.dates[i], forKey: .init(stringValue: "udf_date_\(i + 1)"))
        }
    }
}

/// GetCustomerEvent (method 3) and CancelCustomerEvent (method 5).
public struct EventLookup: Sendable, Equatable, Codable {
    public var token: String?
    public var customerEventIdentifier: CustomerEventIdentifier?
    public var fieldsSet: [String]

    public init(token: String? = nil, customerEventIdentifier: CustomerEventIdentifier? = nil, fieldsSet: [String] = []) {
        self.token = token
        self.customerEventIdentifier = customerEventIdentifier
        self.fieldsSet = fieldsSet
    }

    enum CodingKeys: String, CodingKey {
        case token
        case customerEventIdentifier = "customer_event_identifier"
        case fieldsSet = "fields_set"
    }
}

/// ListCustomerEvents (method 4): optional filters, a page size (0 = 100) and a page token.
public struct ListEvents: Sendable, Equatable, Codable {
    public var token: String?
    public var accountsReceivableIdentifier: Identifier?
    public var classificationIdentifier: Identifier?
    public var lifeCycleState: LifeCycleState?
    public var performedOnFrom: Milliseconds?
    public var performedOnTo: Milliseconds?
    public var pageSize: UInt32
    public var pageToken: String?
    public var fieldsSet: [String]

    public init() {
        pageSize = 0
        fieldsSet = []
    }

    enum CodingKeys: String, CodingKey {
        case token
        case accountsReceivableIdentifier = "accounts_receivable_identifier"
        case classificationIdentifier = "classification_identifier"
        case lifeCycleState = "life_cycle_state"
        case performedOnFrom = "performed_on_from"
        case performedOnTo = "performed_on_to"
        case pageSize = "page_size"
        case pageToken = "page_token"
        case fieldsSet = "fields_set"
    }
}

/// CreateAchievementsBulk (method 7): up to 1000 items.
public struct CreateBulk: Sendable, Equatable, Codable {
    public var token: String?
    public var items: [CreateAchievement]

    public init(token: String? = nil, items: [CreateAchievement] = []) {
        self.token = token
        self.items = items
    }
}
