import Domain
import Testing

extension TestCatalog {
    /// An offer with sensible defaults: open window, no lists, 1.0 fixed in system currency.
    static func offer(
        _ suffix: Int,
        award: Catalog.RewardOffer.Award = .fixed(1),
        currency: Catalog.RewardOffer.AwardCurrency = .system,
        classifications: [String] = [],
        products: [String] = [],
        campaign: String? = nil,
        minAmount: Double? = nil,
        from: Milliseconds? = nil,
        to: Milliseconds? = nil,
        expirationDays: Int? = nil
    ) -> Catalog.RewardOffer {
        Catalog.RewardOffer(
            id: id("9", suffix),
            name: "Offer \(suffix)",
            alternativeCode: "O\(suffix)",
            classificationIDs: classifications,
            productIDs: products,
            promotionCampaignID: campaign,
            minAmount: minAmount,
            effectiveFrom: from,
            effectiveTo: to,
            award: award,
            awardCurrency: currency,
            expirationDays: expirationDays
        )
    }
}

/// Checks an error's kind, code and violation fields (in order).
func expect(
    _ error: DomainError?,
    _ kind: DomainError.Kind,
    _ code: String,
    fields: [String]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let error else { return }
    #expect(error.kind == kind, sourceLocation: sourceLocation)
    #expect(error.code == code, sourceLocation: sourceLocation)
    if let fields {
        #expect(error.violations.map(\.field) == fields, sourceLocation: sourceLocation)
    }
    #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
}
