/// An identifier as a caller gave it: each allowed field, nil when not given.
///
/// One shape serves every identifier of SPEC §4; which fields are allowed depends on the
/// identifier (the wire messages only carry the allowed ones). Empty strings on the wire
/// arrive here as nil.
public struct Identifier: Sendable, Equatable, Hashable, Codable {
    // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
    // implicit nil, which every initializer then destroys before storing (the decode path paid
    // for it on every create).
    public var id: Optional<String>
    public var number: Optional<String>
    public var name: Optional<String>
    public var code: Optional<String>
    public var alternativeCode: Optional<String>
    /// Accounts receivable and rewards participant only: identify through an access token.
    public var accessTokenIdentifier: Optional<AccessTokenIdentifier>

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

    /// Reads the seed's JSON shape; an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decodeIfPresent(String.self, forKey: .id), number: try c.decodeIfPresent(String.self, forKey: .number),
                  name: try c.decodeIfPresent(String.self, forKey: .name), code: try c.decodeIfPresent(String.self, forKey: .code),
                  alternativeCode: try c.decodeIfPresent(String.self, forKey: .alternativeCode),
                  accessTokenIdentifier: try c.decodeIfPresent(AccessTokenIdentifier.self, forKey: .accessTokenIdentifier))
    }
}

/// An access token identifier: `authentication_code`, or `identifier` with its `pass_code`.
public struct AccessTokenIdentifier: Sendable, Equatable, Hashable, Codable {
    // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
    // implicit nil, which every initializer then destroys before storing (the decode path paid
    // for it on every create).
    public var authenticationCode: Optional<String>
    public var identifier: Optional<String>
    public var passCode: Optional<String>

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

    /// Reads the seed's JSON shape; an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(authenticationCode: try c.decodeIfPresent(String.self, forKey: .authenticationCode),
                  identifier: try c.decodeIfPresent(String.self, forKey: .identifier),
                  passCode: try c.decodeIfPresent(String.self, forKey: .passCode))
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

    /// Reads the seed's JSON shape; an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decodeIfPresent(String.self, forKey: .id), number: try c.decodeIfPresent(String.self, forKey: .number),
                  externalSystemReferenceNumber: try c.decodeIfPresent(String.self, forKey: .externalSystemReferenceNumber),
                  externalSystem: try c.decodeIfPresent(String.self, forKey: .externalSystem))
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

    /// Reads the request's JSON; an unknown key is an error.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(username: try c.decodeIfPresent(String.self, forKey: .username), password: try c.decodeIfPresent(String.self, forKey: .password),
                  organisation: try c.decodeIfPresent(String.self, forKey: .organisation), unit: try c.decodeIfPresent(Identifier.self, forKey: .unit),
                  webAPIKey: try c.decodeIfPresent(String.self, forKey: .webAPIKey), release: try c.decodeIfPresent(String.self, forKey: .release))
    }
}

/// CreateAchievement (method 2), and each item of a bulk create: every parameter of the seed.
public struct CreateAchievement: Sendable, Equatable, Codable {
    // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
    // implicit nil, which every initializer then destroys before storing (the decode path paid
    // for it on every create).
    public var token: Optional<String>
    public var accountsReceivableIdentifier: Optional<Identifier>
    public var rewardsParticipantIdentifier: Optional<Identifier>
    public var classificationIdentifier: Optional<Identifier>
    public var productIdentifier: Optional<Identifier>
    public var paymentMediumTypeIdentifier: Optional<Identifier>
    public var paymentMediumBrandIdentifier: Optional<Identifier>
    public var paymentMediumIdentifier: Optional<String>
    public var amount: Optional<Double>
    public var performedByBusinessUnitIdentifier: Optional<Identifier>
    public var performedByUnitIdentifier: Optional<Identifier>
    public var performedByTapIdentifier: Optional<Identifier>
    public var performedOn: Optional<Milliseconds>
    public var description: Optional<String>
    public var externalSystem: Optional<String>
    public var externalSystemReferenceNumber: Optional<String>
    public var authorizedByAccessTokenIdentifier: Optional<AccessTokenIdentifier>
    public var promoCode: Optional<String>
    /// `udf_string_1` … `udf_string_8`, `udf_float_1` … `udf_float_4`, `udf_date_1` … `udf_date_4`.
    public var userDefinedFields: UserDefinedFields
    /// Top-level response fields to fill; empty means all.
    public var fieldsSet: [String]
    /// Bulk items only: the caller's key for this item in the bulk response.
    public var requestUniqueIdentifier: Optional<String>

    public init() {
        self.init(
            token: nil, accountsReceivableIdentifier: nil, rewardsParticipantIdentifier: nil, classificationIdentifier: nil,
            productIdentifier: nil, paymentMediumTypeIdentifier: nil, paymentMediumBrandIdentifier: nil,
            paymentMediumIdentifier: nil, amount: nil, performedByBusinessUnitIdentifier: nil, performedByUnitIdentifier: nil,
            performedByTapIdentifier: nil, performedOn: nil, description: nil, externalSystem: nil,
            externalSystemReferenceNumber: nil, authorizedByAccessTokenIdentifier: nil, promoCode: nil,
            userDefinedFields: UserDefinedFields(), fieldsSet: [], requestUniqueIdentifier: nil)
    }

    /// A command with every parameter given at once (decoders build one this way: no field is
    /// written twice).
    public init(
        token: String?, accountsReceivableIdentifier: Identifier?, rewardsParticipantIdentifier: Identifier?,
        classificationIdentifier: Identifier?, productIdentifier: Identifier?, paymentMediumTypeIdentifier: Identifier?,
        paymentMediumBrandIdentifier: Identifier?, paymentMediumIdentifier: String?, amount: Double?,
        performedByBusinessUnitIdentifier: Identifier?, performedByUnitIdentifier: Identifier?,
        performedByTapIdentifier: Identifier?, performedOn: Milliseconds?, description: String?, externalSystem: String?,
        externalSystemReferenceNumber: String?, authorizedByAccessTokenIdentifier: AccessTokenIdentifier?,
        promoCode: String?, userDefinedFields: UserDefinedFields, fieldsSet: [String], requestUniqueIdentifier: String?
    ) {
        self.token = token
        self.accountsReceivableIdentifier = accountsReceivableIdentifier
        self.rewardsParticipantIdentifier = rewardsParticipantIdentifier
        self.classificationIdentifier = classificationIdentifier
        self.productIdentifier = productIdentifier
        self.paymentMediumTypeIdentifier = paymentMediumTypeIdentifier
        self.paymentMediumBrandIdentifier = paymentMediumBrandIdentifier
        self.paymentMediumIdentifier = paymentMediumIdentifier
        self.amount = amount
        self.performedByBusinessUnitIdentifier = performedByBusinessUnitIdentifier
        self.performedByUnitIdentifier = performedByUnitIdentifier
        self.performedByTapIdentifier = performedByTapIdentifier
        self.performedOn = performedOn
        self.description = description
        self.externalSystem = externalSystem
        self.externalSystemReferenceNumber = externalSystemReferenceNumber
        self.authorizedByAccessTokenIdentifier = authorizedByAccessTokenIdentifier
        self.promoCode = promoCode
        self.userDefinedFields = userDefinedFields
        self.fieldsSet = fieldsSet
        self.requestUniqueIdentifier = requestUniqueIdentifier
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

extension Decoder {
    /// Throws when the JSON object has a key that `Keys` does not name (nor `alsoKnown`
    /// accepts): a mistyped field (`amout`) must not vanish silently from a request.
    func rejectUnknownKeys<Keys: CodingKey>(_ keys: Keys.Type, alsoKnown: (String) -> Bool = { _ in false }) throws {
        let all = try container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where Keys(stringValue: key.stringValue) == nil && !alsoKnown(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "unknown field '\(key.stringValue)'"))
        }
    }
}

extension CreateAchievement {
    /// Reads the seed's JSON shape: snake_case names, flat `udf_*` fields.
    public init(from decoder: any Decoder) throws {
        self.init()
        try decoder.rejectUnknownKeys(CodingKeys.self) { key in
            (1...8).contains { key == "udf_string_\($0)" } || (1...4).contains { key == "udf_float_\($0)" || key == "udf_date_\($0)" }
        }
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

    /// Reads the request's JSON; every field may be left out.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(token: try c.decodeIfPresent(String.self, forKey: .token),
                  customerEventIdentifier: try c.decodeIfPresent(CustomerEventIdentifier.self, forKey: .customerEventIdentifier),
                  fieldsSet: try c.decodeIfPresent([String].self, forKey: .fieldsSet) ?? [])
    }
}

/// ListCustomerEvents (method 4): optional filters, a page size (0 = 100) and a page token.
public struct ListEvents: Sendable, Equatable, Codable {
    public var token: String?
    public var accountsReceivableIdentifier: Identifier?
    public var classificationIdentifier: Identifier?
    public var lifeCycleState: LifeCycleState?
    /// A `life_cycle_state` number this version does not know (then `lifeCycleState` is nil):
    /// refused by `ListRules`, never read as "any state".
    public var unknownLifeCycleState: Int32? = nil
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

    /// Reads the request's JSON; every field may be left out. `life_cycle_state` is a name
    /// (`POSTED`, `CANCELLED`) or its number (0: any).
    public init(from decoder: any Decoder) throws {
        self.init()
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        accountsReceivableIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .accountsReceivableIdentifier)
        classificationIdentifier = try c.decodeIfPresent(Identifier.self, forKey: .classificationIdentifier)
        if let name = try? c.decodeIfPresent(String.self, forKey: .lifeCycleState) {
            guard let state = LifeCycleState.allCases.first(where: { $0.name == name }) else {
                throw DecodingError.dataCorruptedError(forKey: .lifeCycleState, in: c, debugDescription: "expected POSTED or CANCELLED, got \(name)")
            }
            lifeCycleState = state
        } else if let number = try c.decodeIfPresent(Int32.self, forKey: .lifeCycleState), number != 0 {
            lifeCycleState = UInt8(exactly: number).flatMap(LifeCycleState.init(rawValue:))
            if lifeCycleState == nil { unknownLifeCycleState = number }
        }
        performedOnFrom = try c.decodeIfPresent(Milliseconds.self, forKey: .performedOnFrom)
        performedOnTo = try c.decodeIfPresent(Milliseconds.self, forKey: .performedOnTo)
        pageSize = try c.decodeIfPresent(UInt32.self, forKey: .pageSize) ?? 0
        pageToken = try c.decodeIfPresent(String.self, forKey: .pageToken)
        fieldsSet = try c.decodeIfPresent([String].self, forKey: .fieldsSet) ?? []
    }
}

/// CreateAchievementsBulk (method 7): up to 1000 items.
public struct CreateBulk: Sendable, Equatable, Codable {
    public var token: String?
    public var items: [CreateAchievement]
    /// Items whose payload could not be read (a string with U+0000 or invalid UTF-8), by
    /// index: each is answered unprocessed with this error, the others are processed
    /// (SPEC §3: one item's failure does not fail the others). Its entry in `items` holds
    /// only its `request_unique_identifier`, when that could be read.
    public var unreadable: [Int: DomainError] = [:]

    public init(token: String? = nil, items: [CreateAchievement] = []) {
        self.token = token
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case token, items
    }

    /// Reads the request's JSON; `token` and `items` may be left out.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(token: try c.decodeIfPresent(String.self, forKey: .token), items: try c.decodeIfPresent([CreateAchievement].self, forKey: .items) ?? [])
    }
}
