/// Which reward offers an event earns, and how much (SPEC §3 "Rewards").
///
/// Every matching offer applies, in catalog order. An offer matches when its
/// `classification_ids` is empty or holds the event's classification; its `product_ids` is
/// empty or holds the event's product (an event without product matches only empty lists);
/// `amount >= min_amount` (no amount fails a minimum); `effective_from <= performed_on <
/// effective_to` (absent bounds open); and, with `promotion_campaign_id`, the event's promo
/// code is a code of that campaign and the campaign is effective on `performed_on`.
public enum RewardEvaluation {
    /// The facts of an event that offers are matched against.
    public struct Facts: Sendable, Equatable {
        /// The event's classification id, lowercase (offers keep their ids lowercase).
        public let classificationID: String
        /// The event's product id, lowercase; nil without product.
        public let productID: String?
        /// The event's amount, nil when not given.
        public var amount: Double?
        /// When the event was performed: offer windows and campaigns are judged on it.
        public var performedOn: Milliseconds
        /// The event's promo code (already validated), nil when not given.
        public var promoCode: String?

        /// Makes the facts of one event.
        public init(
            classificationID: String,
            productID: String?,
            amount: Double?,
            performedOn: Milliseconds,
            promoCode: String?
        ) {
            self.classificationID = classificationID.lowercasedIfNeeded  // once, not once per offer
            self.productID = productID?.lowercasedIfNeeded
            self.amount = amount
            self.performedOn = performedOn
            self.promoCode = promoCode
        }
    }

    /// Milliseconds in a day, for `expiration_days`.
    static let dayMilliseconds: Milliseconds = 86_400_000

    /// The award transactions (state POSTED, id and number 0: the store assigns them) of every
    /// matching offer with a non-zero award, in catalog order.
    public static func awards(for facts: Facts, catalog: CatalogIndex) -> [AwardTransaction] {
        var awards: [AwardTransaction] = []
        awards.reserveCapacity(catalog.rewardOffers.count)
        for handle in catalog.rewardOfferWalk {
            handle._withUnsafeGuaranteedRef { entry in
                guard matches(entry, facts) else { return }
                let (amount, alternative) = award(entry.offer, facts.amount, currency: catalog.catalog.currency)
                guard amount != 0 || alternative != 0 else { return }
                awards.append(
                    AwardTransaction(
                        id: EventID(high: 0, low: 0),
                        number: 0,
                        lifeCycleState: .posted,
                        amount: amount,
                        alternativeAmount: alternative,
                        expirationDate: expiration(facts.performedOn, days: entry.offer.expirationDays),
                        rewardOffer: entry.reference
                    )
                )
            }
        }
        return awards
    }

    /// True when `entry`'s offer applies to an event with these facts.
    static func matches(_ entry: OfferEntry, _ facts: Facts) -> Bool {
        // The offer's fields are read in place: a copy of the whole offer would retain and
        // release each of its strings and arrays, for every offer on every create.
        guard entry.classificationIDs.isEmpty || entry.classificationIDs.contains(facts.classificationID) else { return false }
        if !entry.productIDs.isEmpty {
            guard let product = facts.productID, entry.productIDs.contains(product) else { return false }
        }
        if let minimum = entry.offer.minAmount {
            guard let amount = facts.amount, amount >= minimum else { return false }
        }
        guard isEffective(facts.performedOn, from: entry.offer.effectiveFrom, to: entry.offer.effectiveTo) else { return false }
        guard entry.requiresCampaign else { return true }
        guard let campaign = entry.campaign, let code = facts.promoCode else { return false }
        return campaign.accepts(code, on: facts.performedOn)
    }

    /// The award in (system, alternative) currency, each rounded to cents.
    ///
    /// `award_fixed`, or `award_percentage` % of `amount` (no amount: 0), is in the offer's
    /// `award_currency`; the other currency is converted from that unrounded value with
    /// `alternative_per_system` (a rate that is not finite and positive converts to 0).
    public static func award(
        _ offer: Catalog.RewardOffer,
        _ amount: Double?,
        currency: Catalog.Currency
    ) -> (amount: Double, alternativeAmount: Double) {
        let value: Double
        switch offer.award {
        case .fixed(let fixed): value = fixed
        case .percentage(let percent):
            let product = (amount ?? 0) * percent
            value = product.isFinite ? product / 100 : (amount ?? 0) / 100 * percent  // the other order when near overflow
        }
        let rate = currency.alternativePerSystem
        let usableRate = rate.isFinite && rate > 0
        switch offer.awardCurrency {
        case .system:
            return (cents(value), usableRate ? cents(value * rate) : 0)
        case .alternative:
            return (usableRate ? cents(value / rate) : 0, cents(value))
        }
    }

    /// True when every award, and the sums the event's totals are made of, is a finite number:
    /// an amount near the largest double can overflow a percentage or a conversion.
    public static func areFinite(_ awards: [AwardTransaction]) -> Bool {
        var total = 0.0, alternativeTotal = 0.0
        for award in awards {
            total += award.amount
            alternativeTotal += award.alternativeAmount
        }
        return total.isFinite && alternativeTotal.isFinite  // a sum is finite only when each term is
    }

    /// `value` rounded half away from zero to 2 decimals, as the decimal number it was meant to be.
    ///
    /// Binary doubles hold 1.005 as 1.00499999999999989…, and 1.005 × 100 as 100.49999999999999,
    /// so a plain `(x * 100).rounded()` gives 1.00. Here the value in cents is first snapped to
    /// the nearest millionth of a cent (removing representation noise far below a cent), then
    /// rounded half away from zero: 1.005 → 1.01, 0.125 → 0.13, 2.675 → 2.68, -0.125 → -0.13.
    /// Beyond 10⁹ cents the snap is skipped (no noise that small is representable there).
    /// Not finite → 0; the result is never -0.
    public static func roundToCents(_ value: Double) -> Double {
        value.isFinite ? cents(value) : 0
    }

    /// `roundToCents` keeping a value that is not finite as it is (for `areFinite` to find).
    /// From 10¹⁵ on a double has no cents to round (and × 100 could overflow): kept as it is.
    static func cents(_ value: Double) -> Double {
        guard abs(value) < 1e15 else { return value + 0.0 }
        let cents = value * 100
        let snapped = abs(cents) < 1e9 ? (cents * 1e6).rounded() / 1e6 : cents
        return snapped.rounded(.toNearestOrAwayFromZero) / 100 + 0.0
    }

    /// `performedOn` + `days` days, saturating; nil without `expiration_days`.
    static func expiration(_ performedOn: Milliseconds, days: Int?) -> Milliseconds? {
        guard let days else { return nil }
        let span = Int64(clamping: days).multipliedReportingOverflow(by: dayMilliseconds)
        let sum = performedOn.addingReportingOverflow(span.partialValue)
        guard !span.overflow, !sum.overflow else { return days < 0 ? .min : .max }
        return sum.partialValue
    }
}
