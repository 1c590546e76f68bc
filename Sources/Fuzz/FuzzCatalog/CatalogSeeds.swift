// Seed inputs of FuzzCatalog (`FuzzCatalog --write-seeds DIR`): the demo catalog and small
// documents that break one rule each.
import CatalogFile
import FuzzSupport

enum CatalogSeeds {
    static func all() -> [FuzzSeed] {
        let currency = #""currency": {"system": "EUR", "alternative": "PTS", "alternative_per_system": 10}"#
        let id1 = "\"0e000000000000000000000000000001\""
        let documents: [(String, String)] = [
            ("demo.json", DemoCatalog.json),
            ("minimal.json", "{\(currency)}"),
            (
                "campaign-dates.json",
                """
                {\(currency), "promotion_campaigns": [{"id": \(id1), "name": "Summer", "promo_codes": ["SUMMER", "S2"],
                 "effective_from": "2026-06-01T00:00:00.5+02:00", "effective_to": "2026-09-01"}],
                 "reward_offers": [{"id": \(id1), "name": "Bonus", "promotion_campaign_id": \(id1.uppercased()),
                 "award_fixed": 50, "award_currency": "alternative", "expiration_days": 1000000, "min_amount": 0}]}
                """
            ),
            ("bad-syntax.json", "{\(currency), \"users\": [1, 2,]}"),
            ("bad-nesting.json", String(repeating: "[", count: 600) + String(repeating: "]", count: 600)),
            ("bad-type.json", "{\(currency), \"units\": {\"id\": 1}}"),
            ("bad-unknown-section.json", "{\(currency), \"planets\": []}"),
            (
                "bad-duplicate-id.json",
                """
                {\(currency), "classifications": [{"id": \(id1), "name": "A"}, {"id": \(id1.uppercased()), "name": "B"}]}
                """
            ),
            (
                "bad-reference.json",
                """
                {\(currency), "rewards_participants": [{"id": \(id1), "number": "1", "accounts_receivable_id": \(id1)}]}
                """
            ),
            (
                "bad-date.json",
                """
                {\(currency), "promotion_campaigns": [{"id": \(id1), "name": "X", "effective_from": "2026-02-29T24:00:00Z"}]}
                """
            ),
            (
                "bad-hash.json",
                """
                {\(currency), "users": [{"id": \(id1), "username": "u", "organisation": "O", "password_hash": "$6$"}]}
                """
            ),
            (
                "bad-number.json",
                #"{"currency": {"system": "EUR", "alternative": "PTS", "alternative_per_system": 1e400}}"#
            ),
            (
                "bad-escape.json",
                #"{"currency": {"system": "\u00e9\ud800", "alternative": "\x", "alternative_per_system": -1}}"#
            ),
            ("bad-not-object.json", "\"catalog\""),
            ("empty.json", ""),
        ]
        return documents.map { FuzzSeed($0.0, Array($0.1.utf8)) }
    }
}
