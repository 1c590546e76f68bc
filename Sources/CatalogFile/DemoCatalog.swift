/// The credentials that log in to the built-in demo catalog (README, integration tests, load tool defaults).
public enum DemoCredentials {
    /// The demo user's username.
    public static let username = "demo"
    /// The demo user's password.
    public static let password = "demo-password"
    /// The demo user's organisation.
    public static let organisation = "DEMO"
    /// The demo web API key, `<key id>.<secret>`.
    public static let webAPIKey = "0123456789abcdef0123456789abcdef.demo-key-secret"
}

/// The built-in demo catalog: a small shop exercising every catalog feature.
///
/// Ids are `KK` (the kind: 01 user, 03 accounts receivable, 04 rewards participant, 05 classification,
/// 06 product, 07 payment medium type, 08 brand, 09 TAP, 0a business unit, 0b unit, 0c access token
/// classification, 0d access token, 0e promotion campaign, 0f reward offer), 28 zeros, then `NN` (1, 2, …);
/// the web API key's id is `0123456789abcdef0123456789abcdef`. Hashes are SHA-512-crypt: the user's of
/// `demo-password`, the key's of `demo-key-secret`, access token AT-0001's pass code of `1234`.
public enum DemoCatalog {
    /// The catalog document, in the format of SPEC §5.
    public static let json = """
        {
          "currency": {"system": "EUR", "alternative": "PTS", "alternative_per_system": 10},
          "users": [
            {"id": "01000000000000000000000000000001", "username": "demo", "organisation": "DEMO",
             "password_hash": "$6$W3g0ESrMYN9MYd1M$mlTLcdxLmpmt6Sd1kkADBwK.kDqUhSTk6D.Anx4mWLeXDsb3XudP1pkHkxEkWUv7nQgGg.EFQH6XBt0pzVgCK0"}
          ],
          "web_api_keys": [
            {"id": "0123456789abcdef0123456789abcdef", "user_id": "01000000000000000000000000000001",
             "key_hash": "$6$t.BObLNS/YrosO3T$ASXlwX44pmaPxxy0O.7GE73sHFabDZBxke26DoijM4Z2AJqJ6tF4.pAa0ppPjxwAU40mReBhqZsYeN9.o1jCF."}
          ],
          "accounts_receivable": [
            {"id": "03000000000000000000000000000001", "number": "AR-1001", "name": "Alice Andrews",
             "life_cycle_state": "ACTIVE"},
            {"id": "03000000000000000000000000000002", "number": "AR-1002", "name": "Bob Brown",
             "life_cycle_state": "ACTIVE", "payment_medium_type_ids": ["07000000000000000000000000000001"],
             "payment_medium_brand_ids": ["08000000000000000000000000000001"]},
            {"id": "03000000000000000000000000000003", "number": "AR-1003", "name": "Carol Clark",
             "life_cycle_state": "SUSPENDED"}
          ],
          "rewards_participants": [
            {"id": "04000000000000000000000000000001", "number": "RP-1001",
             "accounts_receivable_id": "03000000000000000000000000000001"}
          ],
          "classifications": [
            {"id": "05000000000000000000000000000001", "name": "Purchase", "alternative_code": "PURCHASE"},
            {"id": "05000000000000000000000000000002", "name": "Visit", "alternative_code": "VISIT"}
          ],
          "products": [
            {"id": "06000000000000000000000000000001", "code": "COFFEE", "alternative_code": "P-COFFEE",
             "description": "Coffee, any size"},
            {"id": "06000000000000000000000000000002", "code": "SANDWICH", "alternative_code": "P-SANDWICH",
             "description": "Sandwich of the day"}
          ],
          "payment_medium_types": [
            {"id": "07000000000000000000000000000001", "name": "Credit card", "alternative_code": "CREDIT_CARD"},
            {"id": "07000000000000000000000000000002", "name": "Debit card", "alternative_code": "DEBIT_CARD"}
          ],
          "payment_medium_brands": [
            {"id": "08000000000000000000000000000001", "name": "Visa", "alternative_code": "VISA"},
            {"id": "08000000000000000000000000000002", "name": "Mastercard", "alternative_code": "MASTERCARD"}
          ],
          "transaction_acquiring_points": [
            {"id": "09000000000000000000000000000001", "name": "Downtown till", "code": "TAP-DOWNTOWN"},
            {"id": "09000000000000000000000000000002", "name": "Airport kiosk", "code": "TAP-AIRPORT"}
          ],
          "business_units": [
            {"id": "0a000000000000000000000000000001", "name": "Downtown store", "code": "BU-DOWNTOWN",
             "tap_id": "09000000000000000000000000000001"},
            {"id": "0a000000000000000000000000000002", "name": "Travel retail", "code": "BU-TRAVEL"}
          ],
          "units": [
            {"id": "0b000000000000000000000000000001", "name": "Downtown counter", "alternative_code": "U-COUNTER",
             "description": "Counter at the downtown store; uses the store's TAP",
             "business_unit_id": "0a000000000000000000000000000001"},
            {"id": "0b000000000000000000000000000002", "name": "Airport gate 12", "alternative_code": "U-GATE12",
             "description": "Kiosk at gate 12 with its own TAP",
             "business_unit_id": "0a000000000000000000000000000002", "tap_id": "09000000000000000000000000000002"}
          ],
          "access_token_classifications": [
            {"id": "0c000000000000000000000000000001", "name": "Loyalty card", "alternative_code": "LOYALTY_CARD",
             "default_payment_medium_type_id": "07000000000000000000000000000001",
             "default_payment_medium_brand_id": "08000000000000000000000000000001"}
          ],
          "access_tokens": [
            {"id": "0d000000000000000000000000000001", "number": "AT-0001", "life_cycle_state": "EFFECTIVE",
             "authentication_code": "CARD-0001", "identifier": "loyalty-0001",
             "pass_code_hash": "$6$FCvppXNIBBgBr2a9$IWRRSoLpkuezqO0i5TZcnpzc9JPY9lwBTvzcjibMusiLAublPGV.g3531i.ZAe4rmWx/c3k2Xv2v7uhNgmANm1",
             "accounts_receivable_id": "03000000000000000000000000000001",
             "access_token_classification_id": "0c000000000000000000000000000001"},
            {"id": "0d000000000000000000000000000002", "number": "AT-0002", "life_cycle_state": "CANCELLED",
             "authentication_code": "CARD-0002",
             "accounts_receivable_id": "03000000000000000000000000000002",
             "access_token_classification_id": "0c000000000000000000000000000001"}
          ],
          "promotion_campaigns": [
            {"id": "0e000000000000000000000000000001", "name": "Summer promotion", "promo_codes": ["SUMMER", "WELCOME"],
             "effective_from": "2020-01-01T00:00:00Z", "effective_to": "2100-01-01T00:00:00Z"}
          ],
          "reward_offers": [
            {"id": "0f000000000000000000000000000001", "name": "Points per purchase",
             "alternative_code": "PURCHASE_POINTS",
             "classification_ids": ["05000000000000000000000000000001"],
             "award_fixed": 10, "award_currency": "alternative", "expiration_days": 365},
            {"id": "0f000000000000000000000000000002", "name": "Five percent cashback",
             "alternative_code": "CASHBACK_5",
             "min_amount": 10, "effective_from": "2020-01-01", "effective_to": "2100-01-01T00:00:00.000+00:00",
             "award_percentage": 5, "award_currency": "system", "expiration_days": 90},
            {"id": "0f000000000000000000000000000003", "name": "Promotion bonus", "alternative_code": "PROMO_BONUS",
             "promotion_campaign_id": "0e000000000000000000000000000001",
             "award_fixed": 50, "award_currency": "alternative", "expiration_days": 30}
          ]
        }
        """
}
