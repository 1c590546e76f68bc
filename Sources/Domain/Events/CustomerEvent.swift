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
public struct UserDefinedFields: Sendable, Equatable, Hashable {
    /// `udf_string_1` … `udf_string_8`, exactly 8 entries.
    public var strings: [String?]
    /// `udf_float_1` … `udf_float_4`, exactly 4 entries.
    public var floats: [Double?]
    /// `udf_date_1` … `udf_date_4`, exactly 4 entries.
    public var dates: [Milliseconds?]

    /// No field given.
    public init(
        strings: [String?] = .init(repeating: nil, count: 8),
        floats: [Double?] = .init(repeating: nil, count: 4),
        dates: [Milliseconds?] = .init(repeating: nil, count: 4)
    ) {
        self.strings = strings
        self.floats = floats
        self.dates = dates
    }

    /// True when no field is given.
    public var isEmpty: Bool {
        strings.allSatisfy { $0 == nil } && floats.allSatisfy { $0 == nil } && dates.allSatisfy { $0 == nil }
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
    public var id: EventID
    public var number: UInt64
    public var lifeCycleState: LifeCycleState
    /// Award in the system currency, rounded to 2 decimals.
    public var amount: Double
    /// Award in the alternative currency, rounded to 2 decimals.
    public var alternativeAmount: Double
    public var expirationDate: Milliseconds?
    /// The reward offer: id, name, alternative code.
    public var rewardOffer: ReferredObject

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
    public var id: EventID
    public var number: UInt64
    public var lifeCycleState: LifeCycleState
    public var performedOn: Milliseconds
    public var description: String?
    public var paymentMediumIdentifier: String?
    public var amount: Double?
    public var externalSystem: String?
    public var externalSystemReferenceNumber: String?
    public var userDefinedFields: UserDefinedFields?
    public var classification: ReferredObject
    public var accountsReceivable: ReferredObject
    public var product: ReferredObject?
    public var paymentMediumType: ReferredObject?
    public var paymentMediumBrand: ReferredObject?
    public var performedByUnit: ReferredObject?
    public var performedByBusinessUnit: ReferredObject?
    public var performedByTap: ReferredObject?
    public var authorizedByAccessToken: ReferredObject?
    /// The promo code the event was created with (kept for idempotency checks; not a response field).
    public var promoCode: String?
    public var logInformation: LogInformation
    public var awardRewardTransactions: [AwardTransaction]

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
        self.description = description
        self.paymentMediumIdentifier = paymentMediumIdentifier
        self.amount = amount
        self.externalSystem = externalSystem
        self.externalSystemReferenceNumber = externalSystemReferenceNumber
        self.userDefinedFields = userDefinedFields
        self.classification = classification
        self.accountsReceivable = accountsReceivable
        self.product = product
        self.paymentMediumType = paymentMediumType
        self.paymentMediumBrand = paymentMediumBrand
        self.performedByUnit = performedByUnit
        self.performedByBusinessUnit = performedByBusinessUnit
        self.performedByTap = performedByTap
        self.authorizedByAccessToken = authorizedByAccessToken
        self.promoCode = promoCode
        self.logInformation = logInformation
        self.awardRewardTransactions = awardRewardTransactions
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
