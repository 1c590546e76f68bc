/// The catalog with every lookup the rules need, built once at start and shared by all calls.
///
/// Immutable after `init`, so it is safe to use from any queue. Ids match in either case;
/// names, numbers and codes match exactly. The index does not validate the catalog's
/// references (CatalogFile does): a dangling `…_id` is treated as absent. Each record's
/// `ReferredObject` is built once here and shared by every event that refers to it.
public final class CatalogIndex: Sendable {
    /// The catalog this index was built from.
    public let catalog: Catalog

    let accountsReceivable: RecordTable<Catalog.AccountsReceivable>
    let rewardsParticipants: RecordTable<Catalog.RewardsParticipant>
    let classifications: RecordTable<Catalog.NamedRecord>
    let products: RecordTable<Catalog.Product>
    let paymentMediumTypes: RecordTable<Catalog.NamedRecord>
    let paymentMediumBrands: RecordTable<Catalog.NamedRecord>
    let taps: RecordTable<Catalog.TransactionAcquiringPoint>
    let businessUnits: RecordTable<Catalog.BusinessUnit>
    let units: RecordTable<Catalog.Unit>
    let accessTokenClassifications: RecordTable<Catalog.AccessTokenClassification>
    let accessTokens: RecordTable<Catalog.AccessToken>
    let users: RecordTable<Catalog.User>
    let webAPIKeys: RecordTable<Catalog.WebAPIKey>
    let promotionCampaigns: RecordTable<Catalog.PromotionCampaign>
    /// Campaign positions by promo code (exact; a code may belong to several campaigns).
    let campaignsByPromoCode: [String: [Int]]
    /// Reward offers in catalog order, with their lists prepared for matching.
    let rewardOffers: [OfferEntry]
    /// `rewardOffers` unretained, for the walk every create makes: an array of classes hands out
    /// each element retained, and both loops retaining the same offers was a cache line going
    /// back and forth (`rewardOffers` keeps them alive).
    let rewardOfferWalk: [Unmanaged<OfferEntry>]
    private let userByLogin: [UserLogin: Int]
    /// By unit position: the unit with the business unit and TAP it derives (built once:
    /// every create performed by a unit needs them).
    let performedByUnit: [PerformedBy]
    /// By business unit position: the business unit with its TAP.
    let performedByBusinessUnit: [PerformedBy]

    /// Builds every lookup of `catalog`; O(records), called once at start.
    public init(_ catalog: Catalog) {
        self.catalog = catalog
        accountsReceivable = Self.accountTable(catalog.accountsReceivable)
        rewardsParticipants = Self.participantTable(catalog.rewardsParticipants)
        classifications = Self.namedTable(catalog.classifications)
        paymentMediumTypes = Self.namedTable(catalog.paymentMediumTypes)
        paymentMediumBrands = Self.namedTable(catalog.paymentMediumBrands)
        products = Self.productTable(catalog.products)
        taps = Self.tapTable(catalog.transactionAcquiringPoints)
        businessUnits = Self.businessUnitTable(catalog.businessUnits)
        units = Self.unitTable(catalog.units)
        let tokenClassifications = Self.tokenClassificationTable(catalog.accessTokenClassifications)
        accessTokenClassifications = tokenClassifications
        accessTokens = Self.tokenTable(catalog.accessTokens, classifications: tokenClassifications)
        users = Self.userTable(catalog.users)
        webAPIKeys = RecordTable(catalog.webAPIKeys, reference: { ReferredObject(id: $0.id) }, fields: [.id: { $0.id }])
        let campaigns = Self.campaignTable(catalog.promotionCampaigns)
        promotionCampaigns = campaigns
        campaignsByPromoCode = Self.promoCodeMap(catalog.promotionCampaigns)
        rewardOffers = catalog.rewardOffers.map { OfferEntry($0, campaigns: campaigns) }
        rewardOfferWalk = rewardOffers.map { Unmanaged.passUnretained($0) }
        userByLogin = Self.loginMap(catalog.users)
        let (units, businessUnits, taps) = (units, businessUnits, taps)
        performedByUnit = catalog.units.indices.map { position in
            let unit = catalog.units[position]
            let businessUnit = businessUnits.first(id: unit.businessUnitID)
            let tap = taps.first(id: unit.tapID) ?? taps.first(id: businessUnit?.record.tapID)
            return PerformedBy(unit: units.references[position], businessUnit: businessUnit?.reference, tap: tap?.reference,
                               key: 3 * position)
        }
        performedByBusinessUnit = catalog.businessUnits.indices.map { position in
            let tap = taps.first(id: catalog.businessUnits[position].tapID)
            return PerformedBy(unit: nil, businessUnit: businessUnits.references[position], tap: tap?.reference,
                               key: 3 * position + 1)
        }
    }

    /// The user with this username in this organisation (exact), or nil. Used by Login.
    public func user(username: String, organisation: String) -> Catalog.User? {
        userByLogin[UserLogin(username: username, organisation: organisation)].map { users.record($0) }
    }

    /// The user with this id (either case), or nil. Used by Login after a web API key matched.
    public func user(id: String) -> Catalog.User? {
        users.first(id: id)?.record
    }

    /// The shared referred object (id, name = username) of the user with this id, or nil.
    ///
    /// Use it for `CreateContext.user` so that every event of a user shares one instance.
    public func userReference(id: String) -> ReferredObject? {
        users.first(id: id)?.reference
    }

    /// The web API key with this key id (either case), or nil. Used by Login.
    public func webAPIKey(id: String) -> Catalog.WebAPIKey? {
        webAPIKeys.first(id: id)?.record
    }
}

/// The key users log in with.
struct UserLogin: Hashable, Sendable {
    let username: String
    let organisation: String
}

extension Catalog {
    /// This catalog with its lookups built: `CatalogIndex(self)`.
    public func indexed() -> CatalogIndex { CatalogIndex(self) }
}
