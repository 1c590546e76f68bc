import Domain

/// One reader per record kind: required fields, references and value rules of SPEC §5.
extension CatalogBuilder {
    /// The largest `expiration_days`: keeps `performed_on + days` far from Int64 overflow.
    static let maxExpirationDays = 1_000_000

    /// Reads one record of `kind` with the given (already registered) id and appends it to the catalog.
    mutating func add(_ kind: RecordKind, id: String, _ record: RecordReader) throws(CatalogFileError) {
        switch kind {
        case .users: catalog.users.append(try user(id, record))
        case .webAPIKeys:
            catalog.webAPIKeys.append(
                Catalog.WebAPIKey(
                    id: id, userID: try requiredReference(record, "user_id", to: .users),
                    keyHash: try record.hash("key_hash")))
        case .paymentMediumTypes: catalog.paymentMediumTypes.append(try Self.named(id, record))
        case .paymentMediumBrands: catalog.paymentMediumBrands.append(try Self.named(id, record))
        case .classifications: catalog.classifications.append(try Self.named(id, record))
        case .accountsReceivable: catalog.accountsReceivable.append(try accountsReceivable(id, record))
        case .rewardsParticipants:
            catalog.rewardsParticipants.append(
                Catalog.RewardsParticipant(
                    id: id, number: try record.string("number"),
                    accountsReceivableID: try requiredReference(
                        record, "accounts_receivable_id", to: .accountsReceivable)))
        case .products: catalog.products.append(try Self.product(id, record))
        case .transactionAcquiringPoints:
            catalog.transactionAcquiringPoints.append(
                Catalog.TransactionAcquiringPoint(
                    id: id, name: try record.string("name"), code: try record.string("code")))
        case .businessUnits:
            catalog.businessUnits.append(
                Catalog.BusinessUnit(
                    id: id, name: try record.string("name"), code: try record.string("code"),
                    tapID: try reference(record, "tap_id", to: .transactionAcquiringPoints)))
        case .units: catalog.units.append(try unit(id, record))
        case .accessTokenClassifications:
            catalog.accessTokenClassifications.append(try accessTokenClassification(id, record))
        case .accessTokens: catalog.accessTokens.append(try accessToken(id, record))
        case .promotionCampaigns: catalog.promotionCampaigns.append(try Self.promotionCampaign(id, record))
        case .rewardOffers: catalog.rewardOffers.append(try rewardOffer(id, record))
        }
    }

    private mutating func user(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.User {
        let user = Catalog.User(
            id: id, username: try record.string("username"), organisation: try record.string("organisation"),
            passwordHash: try record.hash("password_hash"))
        guard logins.insert(user.organisation + "\u{0}" + user.username).inserted else {
            throw record.error("username", "another user of organisation \(user.organisation) has this username")
        }
        return user
    }

    /// Classification, payment medium type or brand.
    private static func named(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.NamedRecord {
        Catalog.NamedRecord(
            id: id, name: try record.string("name"),
            alternativeCode: try record.optionalString("alternative_code") ?? "")
    }

    private static func product(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.Product {
        Catalog.Product(
            id: id, code: try record.string("code"),
            alternativeCode: try record.optionalString("alternative_code") ?? "",
            description: try record.optionalString("description") ?? "")
    }

    private func accountsReceivable(
        _ id: String, _ record: RecordReader
    ) throws(CatalogFileError) -> Catalog.AccountsReceivable {
        Catalog.AccountsReceivable(
            id: id, number: try record.string("number"), name: try record.string("name"),
            lifeCycleState: try record.string("life_cycle_state"),
            paymentMediumTypeIDs: try references(record, "payment_medium_type_ids", to: .paymentMediumTypes),
            paymentMediumBrandIDs: try references(record, "payment_medium_brand_ids", to: .paymentMediumBrands))
    }

    private func unit(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.Unit {
        Catalog.Unit(
            id: id, name: try record.string("name"),
            alternativeCode: try record.optionalString("alternative_code") ?? "",
            description: try record.optionalString("description") ?? "",
            businessUnitID: try reference(record, "business_unit_id", to: .businessUnits),
            tapID: try reference(record, "tap_id", to: .transactionAcquiringPoints))
    }

    private func accessTokenClassification(
        _ id: String, _ record: RecordReader
    ) throws(CatalogFileError) -> Catalog.AccessTokenClassification {
        Catalog.AccessTokenClassification(
            id: id, name: try record.string("name"),
            alternativeCode: try record.optionalString("alternative_code") ?? "",
            defaultPaymentMediumTypeID: try reference(
                record, "default_payment_medium_type_id", to: .paymentMediumTypes),
            defaultPaymentMediumBrandID: try reference(
                record, "default_payment_medium_brand_id", to: .paymentMediumBrands))
    }

    private func accessToken(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.AccessToken {
        let identifier = try record.optionalString("identifier") ?? ""
        var passCodeHash = ""
        if try record.optionalString("pass_code_hash") != nil {
            passCodeHash = try record.hash("pass_code_hash")
        } else if !identifier.isEmpty {
            throw record.error("pass_code_hash", "is required when identifier is given")
        }
        return Catalog.AccessToken(
            id: id, number: try record.optionalString("number") ?? "",
            lifeCycleState: try record.string("life_cycle_state"),
            authenticationCode: try record.optionalString("authentication_code") ?? "", identifier: identifier,
            passCodeHash: passCodeHash,
            accountsReceivableID: try requiredReference(record, "accounts_receivable_id", to: .accountsReceivable),
            classificationID: try reference(record, "access_token_classification_id", to: .accessTokenClassifications))
    }

    private static func promotionCampaign(
        _ id: String, _ record: RecordReader
    ) throws(CatalogFileError) -> Catalog.PromotionCampaign {
        let name = try record.string("name")
        let codes = try record.strings("promo_codes")
        let range = try record.effectiveRange()
        return Catalog.PromotionCampaign(
            id: id, name: name, promoCodes: codes, effectiveFrom: range.from, effectiveTo: range.to)
    }

    private func rewardOffer(_ id: String, _ record: RecordReader) throws(CatalogFileError) -> Catalog.RewardOffer {
        let name = try record.string("name")
        let alternativeCode = try record.optionalString("alternative_code") ?? ""
        let classificationIDs = try references(record, "classification_ids", to: .classifications)
        let productIDs = try references(record, "product_ids", to: .products)
        let campaignID = try reference(record, "promotion_campaign_id", to: .promotionCampaigns)
        let minAmount = try record.nonNegative("min_amount")
        let range = try record.effectiveRange()
        return Catalog.RewardOffer(
            id: id, name: name, alternativeCode: alternativeCode, classificationIDs: classificationIDs,
            productIDs: productIDs, promotionCampaignID: campaignID, minAmount: minAmount, effectiveFrom: range.from,
            effectiveTo: range.to, award: try Self.award(record), awardCurrency: try Self.awardCurrency(record),
            expirationDays: try record.integer("expiration_days", in: 0...Self.maxExpirationDays))
    }

    /// Exactly one of `award_fixed` and `award_percentage`, each >= 0.
    private static func award(_ record: RecordReader) throws(CatalogFileError) -> Catalog.RewardOffer.Award {
        switch (try record.nonNegative("award_fixed"), try record.nonNegative("award_percentage")) {
        case (let fixed?, nil): .fixed(fixed)
        case (nil, let percentage?): .percentage(percentage)
        default: throw record.error(nil, "exactly one of award_fixed and award_percentage")
        }
    }

    /// `"system"` (the default) or `"alternative"`.
    private static func awardCurrency(
        _ record: RecordReader
    ) throws(CatalogFileError) -> Catalog.RewardOffer.AwardCurrency {
        switch try record.optionalString("award_currency") {
        case nil, "system": .system
        case "alternative": .alternative
        case let other?: throw record.error("award_currency", "must be \"system\" or \"alternative\", got \"\(other)\"")
        }
    }
}
