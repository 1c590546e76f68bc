/// The reference data of SPEC §5: every record the create call resolves against.
///
/// Built once at start (from the catalog file or the demo) and never changed; lookups go
/// through the dictionaries built by `init`. Ids are stored lowercase.
public struct Catalog: Sendable {
    /// System and alternative currency and the rate between them.
    public struct Currency: Sendable, Equatable {
        public var system: String
        public var alternative: String
        /// Alternative units per one system unit.
        public var alternativePerSystem: Double

        public init(system: String, alternative: String, alternativePerSystem: Double) {
            self.system = system
            self.alternative = alternative
            self.alternativePerSystem = alternativePerSystem
        }
    }

    public struct User: Sendable, Equatable {
        public var id: String
        public var username: String
        public var organisation: String
        public var passwordHash: String

        public init(id: String, username: String, organisation: String, passwordHash: String) {
            self.id = id
            self.username = username
            self.organisation = organisation
            self.passwordHash = passwordHash
        }
    }

    public struct WebAPIKey: Sendable, Equatable {
        public var id: String
        public var userID: String
        public var keyHash: String

        public init(id: String, userID: String, keyHash: String) {
            self.id = id
            self.userID = userID
            self.keyHash = keyHash
        }
    }

    public struct AccountsReceivable: Sendable, Equatable {
        public var id: String
        public var number: String
        public var name: String
        public var lifeCycleState: String
        public var paymentMediumTypeIDs: [String]
        public var paymentMediumBrandIDs: [String]

        public init(
            id: String, number: String, name: String, lifeCycleState: String, paymentMediumTypeIDs: [String] = [],
            paymentMediumBrandIDs: [String] = []
        ) {
            self.id = id
            self.number = number
            self.name = name
            self.lifeCycleState = lifeCycleState
            self.paymentMediumTypeIDs = paymentMediumTypeIDs
            self.paymentMediumBrandIDs = paymentMediumBrandIDs
        }
    }

    public struct RewardsParticipant: Sendable, Equatable {
        public var id: String
        public var number: String
        public var accountsReceivableID: String

        public init(id: String, number: String, accountsReceivableID: String) {
            self.id = id
            self.number = number
            self.accountsReceivableID = accountsReceivableID
        }
    }

    /// Classification, payment medium type or brand: id, name, alternative code.
    public struct NamedRecord: Sendable, Equatable {
        public var id: String
        public var name: String
        public var alternativeCode: String

        public init(id: String, name: String, alternativeCode: String) {
            self.id = id
            self.name = name
            self.alternativeCode = alternativeCode
        }
    }

    public struct Product: Sendable, Equatable {
        public var id: String
        public var code: String
        public var alternativeCode: String
        public var description: String

        public init(id: String, code: String, alternativeCode: String, description: String) {
            self.id = id
            self.code = code
            self.alternativeCode = alternativeCode
            self.description = description
        }
    }

    /// Transaction acquiring point: id, name, code.
    public struct TransactionAcquiringPoint: Sendable, Equatable {
        public var id: String
        public var name: String
        public var code: String

        public init(id: String, name: String, code: String) {
            self.id = id
            self.name = name
            self.code = code
        }
    }

    public struct BusinessUnit: Sendable, Equatable {
        public var id: String
        public var name: String
        public var code: String
        public var tapID: String?

        public init(id: String, name: String, code: String, tapID: String?) {
            self.id = id
            self.name = name
            self.code = code
            self.tapID = tapID
        }
    }

    public struct Unit: Sendable, Equatable {
        public var id: String
        public var name: String
        public var alternativeCode: String
        public var description: String
        public var businessUnitID: String?
        /// Wins over the business unit's TAP.
        public var tapID: String?

        public init(
            id: String, name: String, alternativeCode: String, description: String, businessUnitID: String?,
            tapID: String?
        ) {
            self.id = id
            self.name = name
            self.alternativeCode = alternativeCode
            self.description = description
            self.businessUnitID = businessUnitID
            self.tapID = tapID
        }
    }

    public struct AccessTokenClassification: Sendable, Equatable {
        public var id: String
        public var name: String
        public var alternativeCode: String
        public var defaultPaymentMediumTypeID: String?
        public var defaultPaymentMediumBrandID: String?

        public init(
            id: String, name: String, alternativeCode: String, defaultPaymentMediumTypeID: String?,
            defaultPaymentMediumBrandID: String?
        ) {
            self.id = id
            self.name = name
            self.alternativeCode = alternativeCode
            self.defaultPaymentMediumTypeID = defaultPaymentMediumTypeID
            self.defaultPaymentMediumBrandID = defaultPaymentMediumBrandID
        }
    }

    public struct AccessToken: Sendable, Equatable {
        public var id: String
        public var number: String
        public var lifeCycleState: String
        public var authenticationCode: String
        public var identifier: String
        public var passCodeHash: String
        public var accountsReceivableID: String
        public var classificationID: String?

        public init(
            id: String, number: String, lifeCycleState: String, authenticationCode: String, identifier: String,
            passCodeHash: String, accountsReceivableID: String, classificationID: String?
        ) {
            self.id = id
            self.number = number
            self.lifeCycleState = lifeCycleState
            self.authenticationCode = authenticationCode
            self.identifier = identifier
            self.passCodeHash = passCodeHash
            self.accountsReceivableID = accountsReceivableID
            self.classificationID = classificationID
        }
    }

    public struct PromotionCampaign: Sendable, Equatable {
        public var id: String
        public var name: String
        public var promoCodes: [String]
        public var effectiveFrom: Milliseconds?
        public var effectiveTo: Milliseconds?

        public init(id: String, name: String, promoCodes: [String], effectiveFrom: Milliseconds?, effectiveTo: Milliseconds?) {
            self.id = id
            self.name = name
            self.promoCodes = promoCodes
            self.effectiveFrom = effectiveFrom
            self.effectiveTo = effectiveTo
        }
    }

    public struct RewardOffer: Sendable, Equatable {
        /// What the offer awards.
        public enum Award: Sendable, Equatable {
            case fixed(Double)
            case percentage(Double)
        }

        /// The currency `award` is expressed in.
        public enum AwardCurrency: Sendable, Equatable {
            case system, alternative
        }

        public var id: String
        public var name: String
        public var alternativeCode: String
        public var classificationIDs: [String]
        public var productIDs: [String]
        public var promotionCampaignID: String?
        public var minAmount: Double?
        public var effectiveFrom: Milliseconds?
        public var effectiveTo: Milliseconds?
        public var award: Award
        public var awardCurrency: AwardCurrency
        public var expirationDays: Int?

        public init(
            id: String, name: String, alternativeCode: String, classificationIDs: [String], productIDs: [String],
            promotionCampaignID: String?, minAmount: Double?, effectiveFrom: Milliseconds?, effectiveTo: Milliseconds?,
            award: Award, awardCurrency: AwardCurrency, expirationDays: Int?
        ) {
            self.id = id
            self.name = name
            self.alternativeCode = alternativeCode
            self.classificationIDs = classificationIDs
            self.productIDs = productIDs
            self.promotionCampaignID = promotionCampaignID
            self.minAmount = minAmount
            self.effectiveFrom = effectiveFrom
            self.effectiveTo = effectiveTo
            self.award = award
            self.awardCurrency = awardCurrency
            self.expirationDays = expirationDays
        }
    }

    public var currency: Currency
    public var users: [User] = []
    public var webAPIKeys: [WebAPIKey] = []
    public var accountsReceivable: [AccountsReceivable] = []
    public var rewardsParticipants: [RewardsParticipant] = []
    public var classifications: [NamedRecord] = []
    public var products: [Product] = []
    public var paymentMediumTypes: [NamedRecord] = []
    public var paymentMediumBrands: [NamedRecord] = []
    public var transactionAcquiringPoints: [TransactionAcquiringPoint] = []
    public var businessUnits: [BusinessUnit] = []
    public var units: [Unit] = []
    public var accessTokenClassifications: [AccessTokenClassification] = []
    public var accessTokens: [AccessToken] = []
    public var promotionCampaigns: [PromotionCampaign] = []
    public var rewardOffers: [RewardOffer] = []

    /// An empty catalog with the given currency; fill the arrays, then call `indexed()`.
    public init(currency: Currency) {
        self.currency = currency
    }
}
