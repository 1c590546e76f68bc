/// A reward offer prepared for matching: id lists as lowercase sets, its campaign resolved,
/// and its shared referred object (id, name, alternative code).
///
/// A class: every create walks the offers, and copying a struct of this size retained each
/// of its members (shared by the event loops) on every step.
final class OfferEntry: Sendable {
    /// The offer as the catalog holds it.
    let offer: Catalog.RewardOffer
    /// Shared by every award transaction of this offer.
    let reference: ReferredObject
    /// Lowercased `classification_ids`; empty matches every classification.
    let classificationIDs: Set<String>
    /// Lowercased `product_ids`; empty matches every event, with or without product.
    let productIDs: Set<String>
    /// The campaign the promo code must belong to, when the offer names one.
    let campaign: Catalog.PromotionCampaign?

    /// Prepares `offer`; a dangling `promotion_campaign_id` leaves `campaign` nil, and the
    /// offer then never matches (its condition cannot be met).
    init(_ offer: Catalog.RewardOffer, campaigns: RecordTable<Catalog.PromotionCampaign>) {
        self.offer = offer
        reference = ReferredObject(id: offer.id, name: offer.name, alternativeCode: offer.alternativeCode)
        classificationIDs = Set(offer.classificationIDs.map { $0.lowercased() })
        productIDs = Set(offer.productIDs.map { $0.lowercased() })
        campaign = campaigns.first(id: offer.promotionCampaignID)?.record
        requiresCampaign = !(offer.promotionCampaignID ?? "").isEmpty
    }

    /// True when the offer names a promotion campaign (resolvable or not).
    let requiresCampaign: Bool
}

/// True when `from <= time < to`, an absent bound being open.
func isEffective(_ time: Milliseconds, from: Milliseconds?, to: Milliseconds?) -> Bool {
    if let from, time < from { return false }
    if let to, time >= to { return false }
    return true
}

extension Catalog.PromotionCampaign {
    /// True when the campaign is effective on `time` and holds `promoCode` (exact).
    func accepts(_ promoCode: String, on time: Milliseconds) -> Bool {
        isEffective(time, from: effectiveFrom, to: effectiveTo) && promoCodes.contains(promoCode)
    }
}

extension CatalogIndex {
    /// True when `promoCode` is a code of some campaign effective on `time`.
    func isValidPromoCode(_ promoCode: String, on time: Milliseconds) -> Bool {
        let positions = campaignsByPromoCode[promoCode] ?? []
        return positions.contains { promotionCampaigns.record($0).accepts(promoCode, on: time) }
    }
}
