/// Life cycle state of customer events and award reward transactions.
public enum LifeCycleState: UInt8, Sendable, Codable, CaseIterable {
    case posted = 1
    case cancelled = 2

    /// The seed's name: `POSTED` or `CANCELLED`.
    public var name: String { self == .posted ? "POSTED" : "CANCELLED" }
}

/// A catalog record as an event refers to it, frozen when the event was created.
///
/// One class serves every kind of referred object (classification, accounts receivable,
/// product, unit, …); fields a kind does not have are empty. Instances are immutable and
/// shared between events (interned), which keeps stored events small.
public final class ReferredObject: Sendable, Hashable {
    public let id: String
    public let number: String
    public let name: String
    public let code: String
    public let alternativeCode: String
    public let description: String
    public let lifeCycleState: String
    public let authenticationCode: String
    public let identifier: String
    /// Access tokens only: the token's classification.
    public let classification: ReferredObject?

    /// Makes a referred object; unused fields stay empty.
    public init(
        id: String, number: String = "", name: String = "", code: String = "", alternativeCode: String = "",
        description: String = "", lifeCycleState: String = "", authenticationCode: String = "",
        identifier: String = "", classification: ReferredObject? = nil
    ) {
        self.id = id
        self.number = number
        self.name = name
        self.code = code
        self.alternativeCode = alternativeCode
        self.description = description
        self.lifeCycleState = lifeCycleState
        self.authenticationCode = authenticationCode
        self.identifier = identifier
        self.classification = classification
    }

    public static func == (lhs: ReferredObject, rhs: ReferredObject) -> Bool {
        lhs === rhs
            || (lhs.id == rhs.id && lhs.number == rhs.number && lhs.name == rhs.name && lhs.code == rhs.code
                && lhs.alternativeCode == rhs.alternativeCode && lhs.description == rhs.description
                && lhs.lifeCycleState == rhs.lifeCycleState && lhs.authenticationCode == rhs.authenticationCode
                && lhs.identifier == rhs.identifier && lhs.classification == rhs.classification)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(name)
        hasher.combine(lifeCycleState)
    }

}

/// User-defined fields of an event, stored only when at least one is given.
///
/// Kept sparse (only the fields given), since most events carry few or none; `strings`,
/// `floats` and `dates` present them as full arrays of 8, 4 and 4 entries.
public struct UserDefinedFields: Sendable, Equatable, Hashable {
    /// One given field: its kind, its index within the kind, and its value.
    enum Entry: Sendable, Equatable, Hashable {
        case string(UInt8, String)
        case float(UInt8, Double)
        case date(UInt8, Milliseconds)
    }

    /// The given fields, strings then floats then dates, each by index (a canonical order).
    private var entries: [Entry] = []

    /// No field given, or the given arrays (8 strings, 4 floats, 4 dates; nil = not given).
    public init(
        strings: [String?] = .init(repeating: nil, count: 8),
        floats: [Double?] = .init(repeating: nil, count: 4),
        dates: [Milliseconds?] = .init(repeating: nil, count: 4)
    ) {
        rebuild(strings: strings, floats: floats, dates: dates)
    }

    /// `udf_string_1` … `udf_string_8`, exactly 8 entries.
    public var strings: [String?] {
        get {
            var result = [String?](repeating: nil, count: 8)
            for case .string(let i, let v) in entries where Int(i) < 8 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: newValue, floats: floats, dates: dates) }
    }

    /// `udf_float_1` … `udf_float_4`, exactly 4 entries.
    public var floats: [Double?] {
        get {
            var result = [Double?](repeating: nil, count: 4)
            for case .float(let i, let v) in entries where Int(i) < 4 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: strings, floats: newValue, dates: dates) }
    }

    /// `udf_date_1` … `udf_date_4`, exactly 4 entries.
    public var dates: [Milliseconds?] {
        get {
            var result = [Milliseconds?](repeating: nil, count: 4)
            for case .date(let i, let v) in entries where Int(i) < 4 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: strings, floats: floats, dates: newValue) }
    }

    /// True when no field is given.
    public var isEmpty: Bool { entries.isEmpty }

    private mutating func rebuild(strings: [String?], floats: [Double?], dates: [Milliseconds?]) {
        var built: [Entry] = []
        for (i, v) in strings.enumerated() { if let v { built.append(.string(UInt8(truncatingIfNeeded: i), v)) } }
        for (i, v) in floats.enumerated() { if let v { built.append(.float(UInt8(truncatingIfNeeded: i), v)) } }
        for (i, v) in dates.enumerated() { if let v { built.append(.date(UInt8(truncatingIfNeeded: i), v)) } }
        entries = built
    }
}

/// Who created or last changed an event, and when.
public struct LogInformation: Sendable, Equatable, Hashable {
    public var createdDate: Milliseconds
    public var updatedDate: Milliseconds
    /// A user: `id` and `name` (the username).
    public var createdByUser: ReferredObject
    public var updatedByUser: ReferredObject

    public init(createdDate: Milliseconds, updatedDate: Milliseconds, createdByUser: ReferredObject, updatedByUser: ReferredObject) {
        self.createdDate = createdDate
        self.updatedDate = updatedDate
        self.createdByUser = createdByUser
        self.updatedByUser = updatedByUser
    }
}

/// One award reward transaction created by a reward offer for an event.
public struct AwardTransaction: Sendable, Equatable, Hashable {
    // Declared widest first so the struct packs into 64 bytes.
    public var id: EventID
    public var number: UInt64
    /// Award in the system currency, rounded to 2 decimals.
    public var amount: Double
    /// Award in the alternative currency, rounded to 2 decimals.
    public var alternativeAmount: Double
    /// The reward offer: id, name, alternative code.
    public var rewardOffer: ReferredObject
    public var expirationDate: Milliseconds?
    public var lifeCycleState: LifeCycleState

    public init(
        id: EventID, number: UInt64, lifeCycleState: LifeCycleState, amount: Double, alternativeAmount: Double,
        expirationDate: Milliseconds?, rewardOffer: ReferredObject
    ) {
        self.id = id
        self.number = number
        self.lifeCycleState = lifeCycleState
        self.amount = amount
        self.alternativeAmount = alternativeAmount
        self.expirationDate = expirationDate
        self.rewardOffer = rewardOffer
    }
}

/// An achievement customer event as stored: everything the create call resolved, frozen.
///
/// Replay never consults the catalog: the referred objects are part of the event.
public struct CustomerEvent: Sendable, Equatable, Hashable {
    // Stored properties are declared widest first: the struct packs into 136 bytes.
    public var id: EventID
    public var number: UInt64
    public var performedOn: Milliseconds
    public var externalSystem: String?
    public var externalSystemReferenceNumber: String?
    public var logInformation: LogInformation
    public var awardRewardTransactions: [AwardTransaction]
    /// The referred objects, one shared box (events of the same shape share one instance
    /// once the store interns it).
    public var referred: ReferredSet
    /// Fields most events lack, boxed so that their absence costs one pointer.
    public var extras: EventExtras?
    public var amount: Double?
    public var lifeCycleState: LifeCycleState

    public init(
        id: EventID, number: UInt64, lifeCycleState: LifeCycleState = .posted, performedOn: Milliseconds,
        description: String? = nil, paymentMediumIdentifier: String? = nil, amount: Double? = nil,
        externalSystem: String? = nil, externalSystemReferenceNumber: String? = nil,
        userDefinedFields: UserDefinedFields? = nil, classification: ReferredObject,
        accountsReceivable: ReferredObject, product: ReferredObject? = nil, paymentMediumType: ReferredObject? = nil,
        paymentMediumBrand: ReferredObject? = nil, performedByUnit: ReferredObject? = nil,
        performedByBusinessUnit: ReferredObject? = nil, performedByTap: ReferredObject? = nil,
        authorizedByAccessToken: ReferredObject? = nil, promoCode: String? = nil, logInformation: LogInformation,
        awardRewardTransactions: [AwardTransaction] = []
    ) {
        self.id = id
        self.number = number
        self.lifeCycleState = lifeCycleState
        self.performedOn = performedOn
        self.amount = amount
        self.externalSystem = externalSystem
        self.externalSystemReferenceNumber = externalSystemReferenceNumber
        self.logInformation = logInformation
        self.awardRewardTransactions = awardRewardTransactions
        referred = ReferredSet(
            classification: classification, accountsReceivable: accountsReceivable, product: product,
            paymentMediumType: paymentMediumType, paymentMediumBrand: paymentMediumBrand, performedByUnit: performedByUnit,
            performedByBusinessUnit: performedByBusinessUnit, performedByTap: performedByTap,
            authorizedByAccessToken: authorizedByAccessToken)
        extras = EventExtras.make(description: description, paymentMediumIdentifier: paymentMediumIdentifier,
                                  promoCode: promoCode, userDefinedFields: userDefinedFields)
    }

    public var description: String? {
        get { extras?.description }
        set { updateExtras { $0.description = newValue } }
    }

    public var paymentMediumIdentifier: String? {
        get { extras?.paymentMediumIdentifier }
        set { updateExtras { $0.paymentMediumIdentifier = newValue } }
    }

    /// The promo code the event was created with (kept for idempotency checks; not a response field).
    public var promoCode: String? {
        get { extras?.promoCode }
        set { updateExtras { $0.promoCode = newValue } }
    }

    public var userDefinedFields: UserDefinedFields? {
        get { extras?.userDefinedFields }
        set { updateExtras { $0.userDefinedFields = newValue } }
    }

    public var classification: ReferredObject {
        get { referred.classification }
        set { updateReferred { $0.classification = newValue } }
    }

    public var accountsReceivable: ReferredObject {
        get { referred.accountsReceivable }
        set { updateReferred { $0.accountsReceivable = newValue } }
    }

    public var product: ReferredObject? {
        get { referred.product }
        set { updateReferred { $0.product = newValue } }
    }

    public var paymentMediumType: ReferredObject? {
        get { referred.paymentMediumType }
        set { updateReferred { $0.paymentMediumType = newValue } }
    }

    public var paymentMediumBrand: ReferredObject? {
        get { referred.paymentMediumBrand }
        set { updateReferred { $0.paymentMediumBrand = newValue } }
    }

    public var performedByUnit: ReferredObject? {
        get { referred.performedByUnit }
        set { updateReferred { $0.performedByUnit = newValue } }
    }

    public var performedByBusinessUnit: ReferredObject? {
        get { referred.performedByBusinessUnit }
        set { updateReferred { $0.performedByBusinessUnit = newValue } }
    }

    public var performedByTap: ReferredObject? {
        get { referred.performedByTap }
        set { updateReferred { $0.performedByTap = newValue } }
    }

    public var authorizedByAccessToken: ReferredObject? {
        get { referred.authorizedByAccessToken }
        set { updateReferred { $0.authorizedByAccessToken = newValue } }
    }

    private mutating func updateReferred(_ change: (inout ReferredSet.Fields) -> Void) {
        var fields = referred.fields
        change(&fields)
        referred = ReferredSet(fields)
    }

    private mutating func updateExtras(_ change: (inout EventExtras.Fields) -> Void) {
        var fields = extras?.fields ?? EventExtras.Fields()
        change(&fields)
        extras = EventExtras.make(fields)
    }

    /// Sum of the awards that are not cancelled, in the system currency.
    public var totalAwardedAmount: Double {
        awardRewardTransactions.reduce(0) { $1.lifeCycleState == .cancelled ? $0 : $0 + $1.amount }
    }

    /// Sum of the awards that are not cancelled, in the alternative currency.
    public var totalAwardedAlternativeAmount: Double {
        awardRewardTransactions.reduce(0) { $1.lifeCycleState == .cancelled ? $0 : $0 + $1.alternativeAmount }
    }
}

/// The referred objects of one event, immutable and shareable between events.
public final class ReferredSet: Sendable, Hashable {
    /// The objects as plain values (for building a changed copy).
    public struct Fields: Sendable, Hashable {
        public var classification: ReferredObject
        public var accountsReceivable: ReferredObject
        public var product: ReferredObject?
        public var paymentMediumType: ReferredObject?
        public var paymentMediumBrand: ReferredObject?
        public var performedByUnit: ReferredObject?
        public var performedByBusinessUnit: ReferredObject?
        public var performedByTap: ReferredObject?
        public var authorizedByAccessToken: ReferredObject?
    }

    public let fields: Fields
    public var classification: ReferredObject { fields.classification }
    public var accountsReceivable: ReferredObject { fields.accountsReceivable }
    public var product: ReferredObject? { fields.product }
    public var paymentMediumType: ReferredObject? { fields.paymentMediumType }
    public var paymentMediumBrand: ReferredObject? { fields.paymentMediumBrand }
    public var performedByUnit: ReferredObject? { fields.performedByUnit }
    public var performedByBusinessUnit: ReferredObject? { fields.performedByBusinessUnit }
    public var performedByTap: ReferredObject? { fields.performedByTap }
    public var authorizedByAccessToken: ReferredObject? { fields.authorizedByAccessToken }

    public init(_ fields: Fields) {
        self.fields = fields
    }

    public convenience init(
        classification: ReferredObject, accountsReceivable: ReferredObject, product: ReferredObject?,
        paymentMediumType: ReferredObject?, paymentMediumBrand: ReferredObject?, performedByUnit: ReferredObject?,
        performedByBusinessUnit: ReferredObject?, performedByTap: ReferredObject?, authorizedByAccessToken: ReferredObject?
    ) {
        self.init(Fields(
            classification: classification, accountsReceivable: accountsReceivable, product: product,
            paymentMediumType: paymentMediumType, paymentMediumBrand: paymentMediumBrand, performedByUnit: performedByUnit,
            performedByBusinessUnit: performedByBusinessUnit, performedByTap: performedByTap,
            authorizedByAccessToken: authorizedByAccessToken))
    }

    public static func == (lhs: ReferredSet, rhs: ReferredSet) -> Bool { lhs === rhs || lhs.fields == rhs.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
}

