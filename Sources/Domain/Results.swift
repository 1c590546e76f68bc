/// A customer event as a response carries it: every field optional, filled per `fields_set`.
///
/// The server makes it with `CustomerEvent.view(fieldsSet:)`; the client decodes it from
/// the wire and prints it as JSON.
public struct EventView: Sendable, Equatable, Codable {
    public var id: String?
    public var number: String?
    public var type: String?
    public var lifeCycleState: LifeCycleState?
    public var performedOn: Milliseconds?
    public var description: String?
    public var processImmediately: Bool?
    public var paymentMediumIdentifier: String?
    public var amount: Double?
    public var externalSystem: String?
    public var externalSystemReferenceNumber: String?
    public var totalAwardedAmount: Double?
    public var totalAwardedAlternativeAmount: Double?
    public var udfStrings: [String?]
    public var udfFloats: [Double?]
    public var udfDates: [Milliseconds?]
    public var classification: ReferredView?
    public var accountsReceivable: ReferredView?
    public var product: ReferredView?
    public var paymentMediumType: ReferredView?
    public var paymentMediumBrand: ReferredView?
    public var performedByUnit: ReferredView?
    public var performedByBusinessUnit: ReferredView?
    public var performedByTap: ReferredView?
    public var authorizedByAccessToken: ReferredView?
    public var logInformation: LogInformationView?
    /// Nil when left out by `fields_set`; the wire cannot tell nil from empty.
    public var awardRewardTransactionsSet: [AwardTransactionView]?

    /// Nothing filled.
    public init() {
        udfStrings = .init(repeating: nil, count: 8)
        udfFloats = .init(repeating: nil, count: 4)
        udfDates = .init(repeating: nil, count: 4)
    }
}

/// A referred object in a response; fields its kind lacks are nil.
public struct ReferredView: Sendable, Equatable, Codable {
    public var id: String?
    public var number: String?
    public var name: String?
    public var code: String?
    public var alternativeCode: String?
    public var description: String?
    public var lifeCycleState: String?
    public var authenticationCode: String?
    public var identifier: String?
    /// Access tokens only: the token's classification (id, name, alternative code).
    public var classification: ShortReferenceView?

    public init(
        id: String? = nil, number: String? = nil, name: String? = nil, code: String? = nil,
        alternativeCode: String? = nil, description: String? = nil, lifeCycleState: String? = nil,
        authenticationCode: String? = nil, identifier: String? = nil, classification: ShortReferenceView? = nil
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
}

/// An access token's classification in a response.
public struct ShortReferenceView: Sendable, Equatable, Codable {
    public var id: String?
    public var name: String?
    public var alternativeCode: String?

    public init(id: String?, name: String?, alternativeCode: String?) {
        self.id = id
        self.name = name
        self.alternativeCode = alternativeCode
    }
}

/// Log information in a response.
public struct LogInformationView: Sendable, Equatable, Codable {
    public var createdDate: Milliseconds
    public var updatedDate: Milliseconds
    public var createdByUser: ReferredView?
    public var updatedByUser: ReferredView?

    public init(createdDate: Milliseconds, updatedDate: Milliseconds, createdByUser: ReferredView?, updatedByUser: ReferredView?) {
        self.createdDate = createdDate
        self.updatedDate = updatedDate
        self.createdByUser = createdByUser
        self.updatedByUser = updatedByUser
    }
}

/// An award reward transaction in a response.
public struct AwardTransactionView: Sendable, Equatable, Codable {
    public var id: String
    public var number: String
    public var lifeCycleState: LifeCycleState?
    public var amount: Double
    public var alternativeAmount: Double
    public var expirationDate: Milliseconds
    public var rewardOffer: ReferredView?

    public init(
        id: String, number: String, lifeCycleState: LifeCycleState?, amount: Double, alternativeAmount: Double,
        expirationDate: Milliseconds, rewardOffer: ReferredView?
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

/// Login's answer: a token and when it expires (empty token after a release).
public struct LoginResult: Sendable, Equatable, Codable {
    public var token: String
    public var expiresAt: Milliseconds

    public init(token: String, expiresAt: Milliseconds) {
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// ListCustomerEvents' answer: one page and the token of the next (empty at the end).
public struct EventPage: Sendable, Equatable, Codable {
    public var events: [EventView]
    public var nextPageToken: String

    public init(events: [EventView], nextPageToken: String) {
        self.events = events
        self.nextPageToken = nextPageToken
    }
}

/// Health's answer.
public struct HealthReport: Sendable, Equatable, Codable {
    public var serving: Bool
    public var version: String
    public var uptimeMs: Int64
    public var events: UInt64
    public var connections: UInt32
    public var callsInFlight: UInt32
    public var logBytes: UInt64
    public var lastFsyncMicros: UInt64

    public init(
        serving: Bool, version: String, uptimeMs: Int64, events: UInt64, connections: UInt32, callsInFlight: UInt32,
        logBytes: UInt64, lastFsyncMicros: UInt64
    ) {
        self.serving = serving
        self.version = version
        self.uptimeMs = uptimeMs
        self.events = events
        self.connections = connections
        self.callsInFlight = callsInFlight
        self.logBytes = logBytes
        self.lastFsyncMicros = lastFsyncMicros
    }
}

/// CreateAchievementsBulk's answer, in input order (CRM.COM's bulk shape).
public struct BulkResult: Sendable, Equatable, Codable {
    /// An item that was created (or matched an existing event by external reference).
    public struct Processed: Sendable, Equatable, Codable {
        public var requestUniqueIdentifier: String
        public var id: String
        public var number: String

        public init(requestUniqueIdentifier: String, id: String, number: String) {
            self.requestUniqueIdentifier = requestUniqueIdentifier
            self.id = id
            self.number = number
        }
    }

    /// An item that failed, with the error it would have had alone.
    public struct Unprocessed: Sendable, Equatable, Codable {
        public var requestUniqueIdentifier: String
        public var errorCode: String
        public var errorDescription: String
        public var violations: [Violation]
        /// The wire status the item would have had alone.
        public var status: UInt32

        public init(requestUniqueIdentifier: String, errorCode: String, errorDescription: String, violations: [Violation], status: UInt32) {
            self.requestUniqueIdentifier = requestUniqueIdentifier
            self.errorCode = errorCode
            self.errorDescription = errorDescription
            self.violations = violations
            self.status = status
        }
    }

    public var processed: [Processed]
    public var unprocessed: [Unprocessed]

    public init(processed: [Processed] = [], unprocessed: [Unprocessed] = []) {
        self.processed = processed
        self.unprocessed = unprocessed
    }
}
