import Domain

/// Small catalog documents for the tests: a valid currency plus the sections under test.
enum CatalogFixture {
    static let id1 = "11111111111111111111111111111111"
    static let id2 = "22222222222222222222222222222222"
    static let id3 = "33333333333333333333333333333333"
    /// A string in crypt(3) form; its content is never checked by the loader.
    static let hash = "$6$salt$hash"

    /// `{"currency": {EUR, PTS, 10}, <sections>}` as bytes.
    static func document(_ sections: String) -> [UInt8] {
        let currency = #""currency": {"system": "EUR", "alternative": "PTS", "alternative_per_system": 10}"#
        return Array((sections.isEmpty ? "{\(currency)}" : "{\(currency), \(sections)}").utf8)
    }
}

/// Field-by-field equality (Catalog itself is not Equatable).
func sameCatalog(_ a: Catalog, _ b: Catalog) -> Bool {
    a.currency == b.currency && a.users == b.users && a.webAPIKeys == b.webAPIKeys
        && a.accountsReceivable == b.accountsReceivable && a.rewardsParticipants == b.rewardsParticipants
        && a.classifications == b.classifications && a.products == b.products
        && a.paymentMediumTypes == b.paymentMediumTypes && a.paymentMediumBrands == b.paymentMediumBrands
        && a.transactionAcquiringPoints == b.transactionAcquiringPoints && a.businessUnits == b.businessUnits
        && a.units == b.units && a.accessTokenClassifications == b.accessTokenClassifications
        && a.accessTokens == b.accessTokens && a.promotionCampaigns == b.promotionCampaigns
        && a.rewardOffers == b.rewardOffers
}
