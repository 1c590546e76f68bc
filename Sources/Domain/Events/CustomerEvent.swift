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
    /// UTF-8 bytes of its nine strings together (encoders size their buffers with it on every
    /// answer; counted once here).
    public let textBytes: Int

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
        textBytes = id.utf8.count + number.utf8.count + name.utf8.count + code.utf8.count + alternativeCode.utf8.count
            + description.utf8.count + lifeCycleState.utf8.count + authenticationCode.utf8.count + identifier.utf8.count
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
    // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
    // implicit nil, which every initializer then destroys before storing (the decode path paid
    // for it on every create).
    // Stored properties are declared widest first: the struct packs into 136 bytes.
    public var id: EventID
    public var number: UInt64
    public var performedOn: Milliseconds
    public var externalSystem: Optional<String>
    public var externalSystemReferenceNumber: Optional<String>
    public var logInformation: LogInformation
    public var awardRewardTransactions: [AwardTransaction]
    /// The referred objects, one shared box (events of the same shape share one instance
    /// once the store interns it).
    public var referred: ReferredSet
    /// Fields most events lack, boxed so that their absence costs one pointer.
    public var extras: Optional<EventExtras>
    public var amount: Optional<Double>
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
        self.init(
            id: id, number: number, lifeCycleState: lifeCycleState, performedOn: performedOn, amount: amount,
            externalSystem: externalSystem, externalSystemReferenceNumber: externalSystemReferenceNumber,
            logInformation: logInformation, awardRewardTransactions: awardRewardTransactions,
            referred: ReferredSet(
                classification: classification, accountsReceivable: accountsReceivable, product: product,
                paymentMediumType: paymentMediumType, paymentMediumBrand: paymentMediumBrand, performedByUnit: performedByUnit,
                performedByBusinessUnit: performedByBusinessUnit, performedByTap: performedByTap,
                authorizedByAccessToken: authorizedByAccessToken),
            extras: EventExtras.make(description: description, paymentMediumIdentifier: paymentMediumIdentifier,
                                     promoCode: promoCode, userDefinedFields: userDefinedFields))
    }

    /// Makes an event from its stored parts as they are (a snapshot's or the log's decoder):
    /// the shared `referred` and `extras` boxes are taken, not rebuilt.
    public init(
        id: EventID, number: UInt64, lifeCycleState: LifeCycleState, performedOn: Milliseconds, amount: Double?,
        externalSystem: String?, externalSystemReferenceNumber: String?, logInformation: LogInformation,
        awardRewardTransactions: [AwardTransaction], referred: ReferredSet, extras: EventExtras?
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
        self.referred = referred
        self.extras = extras
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
