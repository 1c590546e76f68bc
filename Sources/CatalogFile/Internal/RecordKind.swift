/// The record lists of a catalog file (SPEC §5), in an order where every reference points to an earlier kind.
enum RecordKind: String, CaseIterable {
    case users
    case webAPIKeys = "web_api_keys"
    case paymentMediumTypes = "payment_medium_types"
    case paymentMediumBrands = "payment_medium_brands"
    case accountsReceivable = "accounts_receivable"
    case rewardsParticipants = "rewards_participants"
    case classifications
    case products
    case transactionAcquiringPoints = "transaction_acquiring_points"
    case businessUnits = "business_units"
    case units
    case accessTokenClassifications = "access_token_classifications"
    case accessTokens = "access_tokens"
    case promotionCampaigns = "promotion_campaigns"
    case rewardOffers = "reward_offers"

    /// One record of this kind in messages: "no business unit with id …".
    var singular: String {
        switch self {
        case .users: "user"
        case .webAPIKeys: "web API key"
        case .paymentMediumTypes: "payment medium type"
        case .paymentMediumBrands: "payment medium brand"
        case .accountsReceivable: "accounts receivable"
        case .rewardsParticipants: "rewards participant"
        case .classifications: "classification"
        case .products: "product"
        case .transactionAcquiringPoints: "transaction acquiring point"
        case .businessUnits: "business unit"
        case .units: "unit"
        case .accessTokenClassifications: "access token classification"
        case .accessTokens: "access token"
        case .promotionCampaigns: "promotion campaign"
        case .rewardOffers: "reward offer"
        }
    }

    /// Every key a record of this kind may have (the SPEC §5 table); any other key is an error.
    var fields: [String] {
        switch self {
        case .users: ["id", "username", "organisation", "password_hash"]
        case .webAPIKeys: ["id", "user_id", "key_hash"]
        case .paymentMediumTypes, .paymentMediumBrands, .classifications: ["id", "name", "alternative_code"]
        case .accountsReceivable:
            ["id", "number", "name", "life_cycle_state", "payment_medium_type_ids", "payment_medium_brand_ids"]
        case .rewardsParticipants: ["id", "number", "accounts_receivable_id"]
        case .products: ["id", "code", "alternative_code", "description"]
        case .transactionAcquiringPoints: ["id", "name", "code"]
        case .businessUnits: ["id", "name", "code", "tap_id"]
        case .units: ["id", "name", "alternative_code", "description", "business_unit_id", "tap_id"]
        case .accessTokenClassifications:
            ["id", "name", "alternative_code", "default_payment_medium_type_id", "default_payment_medium_brand_id"]
        case .accessTokens:
            [
                "id", "number", "life_cycle_state", "authentication_code", "identifier", "pass_code_hash",
                "accounts_receivable_id", "access_token_classification_id",
            ]
        case .promotionCampaigns: ["id", "name", "promo_codes", "effective_from", "effective_to"]
        case .rewardOffers:
            [
                "id", "name", "alternative_code", "classification_ids", "product_ids", "promotion_campaign_id",
                "min_amount", "effective_from", "effective_to", "award_fixed", "award_percentage", "award_currency",
                "expiration_days",
            ]
        }
    }
}
