import Domain
import Testing

@testable import CatalogFile

/// One broken catalog and the exact error it must produce.
struct BrokenCatalog: Sendable, CustomTestStringConvertible {
    var sections: String
    var expected: String
    var testDescription: String { expected }

    init(_ sections: String, _ expected: String) {
        self.sections = sections
        self.expected = expected
    }
}

private let id1 = CatalogFixture.id1
private let id2 = CatalogFixture.id2
private let id3 = CatalogFixture.id3
private let hash = CatalogFixture.hash
private let tap = #""transaction_acquiring_points": [{"id": "\#(id1)", "name": "T", "code": "T1"}]"#
private let user = #"{"id": "\#(id1)", "username": "u", "organisation": "O", "password_hash": "\#(hash)"}"#
private let account =
    #""accounts_receivable": [{"id": "\#(id1)", "number": "1", "name": "A", "life_cycle_state": "ACTIVE"}]"#
private let campaign = #"{"id": "\#(id1)", "name": "C""#
private let offer = #"{"id": "\#(id1)", "name": "O""#

/// Each rule of the catalog format, broken once, with the message naming entry and field.
private let brokenCatalogs: [BrokenCatalog] = [
    // Document and sections.
    .init(#""currency": null"#, "catalog: currency: is required"),
    .init(#""userz": []"#, "catalog: userz: unknown section"),
    .init("\"\": []", #"catalog: "": unknown section"#),  // found by FuzzCatalog: was "catalog: : …"
    .init(#""users": {}"#, "catalog: users: must be a list, got an object"),
    .init(#""users": [1]"#, "catalog: users[0]: must be an object, got a number"),
    // Ids.
    .init(#""classifications": [{"name": "C"}]"#, "catalog: classifications[0].id: is required"),
    .init(
        #""classifications": [{"id": "xyz", "name": "C"}]"#,
        #"catalog: classifications[0].id: must be 32 hex digits, got "xyz""#),
    .init(
        #""classifications": [{"id": "\#(id1)", "name": "C"}, {"id": "\#(id1)", "name": "D"}]"#,
        "catalog: classifications[1].id: duplicate id \(id1), first used by classifications[0]"),
    .init(
        #""products": [{"id": "\#(id1)", "code": "P"}, {"id": "\#(id1.uppercased())X", "code": "Q"}]"#,
        #"catalog: products[1].id: must be 32 hex digits, got "\#(id1.uppercased())X""#),
    // Required fields and types.
    .init(#""classifications": [{"id": "\#(id1)"}]"#, "catalog: classifications[0].name: is required"),
    .init(
        #""classifications": [{"id": "\#(id1)", "name": ""}]"#, "catalog: classifications[0].name: must not be empty"),
    .init(
        #""classifications": [{"id": "\#(id1)", "name": 5}]"#,
        "catalog: classifications[0].name: must be a string, got a number"),
    .init(
        #""classifications": [{"id": "\#(id1)", "name": "C", "colour": "red"}]"#,
        "catalog: classifications[0].colour: unknown field"),
    .init(
        #""classifications": [{"id": "\#(id1)", "name": "C", "": 1}]"#,
        #"catalog: classifications[0]."": unknown field"#),
    .init(#""products": [{"id": "\#(id1)", "alternative_code": "P"}]"#, "catalog: products[0].code: is required"),
    .init(
        #"\#(account.dropLast(2))}, {"id": "\#(id2)", "name": "B", "life_cycle_state": "ACTIVE"}]"#,
        "catalog: accounts_receivable[1].number: is required"),
    // References.
    .init(
        #""units": [{"id": "\#(id1)", "name": "U", "business_unit_id": "\#(id2)"}]"#,
        "catalog: units[0].business_unit_id: no business unit with id \(id2)"),
    .init(
        #"\#(tap), "units": [{"id": "\#(id2)", "name": "U", "tap_id": "\#(id2)"}]"#,
        "catalog: units[0].tap_id: no transaction acquiring point with id \(id2)"),
    .init(
        #""users": [\#(user)], "web_api_keys": [{"id": "\#(id2)", "key_hash": "\#(hash)"}]"#,
        "catalog: web_api_keys[0].user_id: is required"),
    .init(
        #""users": [\#(user)], "web_api_keys": [{"id": "\#(id2)", "user_id": "\#(id2)", "key_hash": "\#(hash)"}]"#,
        "catalog: web_api_keys[0].user_id: no user with id \(id2)"),
    .init(
        #""payment_medium_types": [{"id": "\#(id1)", "name": "CC"}], "accounts_receivable": [{"id": "\#(id1)", "number": "1", "name": "A", "life_cycle_state": "ACTIVE", "payment_medium_type_ids": ["\#(id1)", "\#(id3)"]}]"#,
        "catalog: accounts_receivable[0].payment_medium_type_ids[1]: no payment medium type with id \(id3)"),
    .init(
        #""accounts_receivable": [{"id": "\#(id1)", "number": "1", "name": "A", "life_cycle_state": "ACTIVE", "payment_medium_brand_ids": "\#(id1)"}]"#,
        "catalog: accounts_receivable[0].payment_medium_brand_ids: must be a list, got a string"),
    .init(
        #"\#(account), "rewards_participants": [{"id": "\#(id1)", "number": "R"}]"#,
        "catalog: rewards_participants[0].accounts_receivable_id: is required"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "classification_ids": ["\#(id3)"]}]"#,
        "catalog: reward_offers[0].classification_ids[0]: no classification with id \(id3)"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "product_ids": [""]}]"#,
        "catalog: reward_offers[0].product_ids[0]: must be a non-empty string"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "promotion_campaign_id": "\#(id1)"}]"#,
        "catalog: reward_offers[0].promotion_campaign_id: no promotion campaign with id \(id1)"),
    .init(
        #"\#(account), "access_tokens": [{"id": "\#(id1)", "life_cycle_state": "EFFECTIVE", "accounts_receivable_id": "\#(id1)", "access_token_classification_id": "\#(id2)"}]"#,
        "catalog: access_tokens[0].access_token_classification_id: no access token classification with id \(id2)"),
    // Hashes and logins.
    .init(
        #""users": [{"id": "\#(id1)", "username": "u", "organisation": "O", "password_hash": "secret"}]"#,
        "catalog: users[0].password_hash: must be a crypt(3) hash such as $6$… or $y$… (make one with scripts/hash-secret)"
    ),
    .init(
        #""users": [\#(user), {"id": "\#(id2)", "username": "u", "organisation": "O", "password_hash": "\#(hash)"}]"#,
        "catalog: users[1].username: another user of organisation O has this username"),
    .init(
        #"\#(account), "access_tokens": [{"id": "\#(id1)", "life_cycle_state": "EFFECTIVE", "identifier": "L1", "accounts_receivable_id": "\#(id1)"}]"#,
        "catalog: access_tokens[0].pass_code_hash: is required when identifier is given"),
    // Currency.
    .init(
        #""currency": {"system": "EUR", "alternative": "PTS", "alternative_per_system": 0}"#,
        "catalog: currency.alternative_per_system: must be > 0, got 0.0"),
    .init(
        #""currency": {"system": "EUR", "alternative": "PTS"}"#, "catalog: currency.alternative_per_system: is required"
    ),
    .init(#""currency": {"alternative": "PTS", "alternative_per_system": 1}"#, "catalog: currency.system: is required"),
    // Reward offers.
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "award_percentage": 2}]"#,
        "catalog: reward_offers[0]: exactly one of award_fixed and award_percentage"),
    .init(
        #""reward_offers": [\#(offer)}]"#, "catalog: reward_offers[0]: exactly one of award_fixed and award_percentage"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": -1}]"#,
        "catalog: reward_offers[0].award_fixed: must be >= 0, got -1.0"),
    .init(
        #""reward_offers": [\#(offer), "award_percentage": "5"}]"#,
        "catalog: reward_offers[0].award_percentage: must be a number, got a string"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "award_currency": "points"}]"#,
        #"catalog: reward_offers[0].award_currency: must be "system" or "alternative", got "points""#),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "min_amount": -0.5}]"#,
        "catalog: reward_offers[0].min_amount: must be >= 0, got -0.5"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "expiration_days": 1.5}]"#,
        "catalog: reward_offers[0].expiration_days: must be a whole number from 0 to 1000000, got 1.5"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "expiration_days": -1}]"#,
        "catalog: reward_offers[0].expiration_days: must be a whole number from 0 to 1000000, got -1.0"),
    .init(
        #""reward_offers": [\#(offer), "award_fixed": 1, "effective_from": "2026-01-01", "effective_to": "2026-01-01T00:00:00Z"}]"#,
        "catalog: reward_offers[0].effective_to: must be later than effective_from"),
    // Promotion campaigns and dates.
    .init(
        #""promotion_campaigns": [\#(campaign), "effective_from": "2026-13-01"}]"#,
        #"catalog: promotion_campaigns[0].effective_from: must be an ISO-8601 date such as 2026-01-01T00:00:00Z, got "2026-13-01""#
    ),
    .init(
        #""promotion_campaigns": [\#(campaign), "effective_to": 20260101}]"#,
        "catalog: promotion_campaigns[0].effective_to: must be a string, got a number"),
    .init(
        #""promotion_campaigns": [\#(campaign), "effective_from": "2027-01-01", "effective_to": "2026-01-01"}]"#,
        "catalog: promotion_campaigns[0].effective_to: must be later than effective_from"),
    .init(
        #""promotion_campaigns": [\#(campaign), "promo_codes": ["A", 1]}]"#,
        "catalog: promotion_campaigns[0].promo_codes[1]: must be a non-empty string"),
]

/// The validation rules of the catalog format, one broken document each.
@Suite struct CatalogValidationTests {
    @Test("each broken catalog names its entry and field", arguments: brokenCatalogs)
    func rejects(_ broken: BrokenCatalog) throws {
        let json: [UInt8]
        if broken.sections.hasPrefix(#""currency""#) {
            json = Array("{\(broken.sections)}".utf8)
        } else {
            json = CatalogFixture.document(broken.sections)
        }
        let error = try #require(throws: CatalogFileError.self) { try CatalogLoader.load(json: json) }
        #expect(error.description == broken.expected)
    }

    @Test("a document that is not an object")
    func notAnObject() {
        #expect(throws: CatalogFileError(entry: "document", message: "must be a JSON object, got a list")) {
            try CatalogLoader.load(json: Array("[]".utf8))
        }
    }

    @Test(
        "the error's parts",
        arguments: [
            (CatalogFileError(entry: "units[3]", field: "tap_id", message: "m"), "catalog: units[3].tap_id: m"),
            (CatalogFileError(entry: "reward_offers[0]", message: "m"), "catalog: reward_offers[0]: m"),
        ])
    func errorDescription(error: CatalogFileError, text: String) {
        #expect(error.description == text)
    }
}
