/// The builders of `CatalogIndex`'s tables: one per record kind, each with the referred
/// object events keep (SPEC §4's short forms) and the fields its identifier allows.
extension CatalogIndex {
    static func accountTable(_ records: [Catalog.AccountsReceivable]) -> RecordTable<Catalog.AccountsReceivable> {
        RecordTable(
            records,
            reference: {
                ReferredObject(id: $0.id, number: $0.number, name: $0.name, lifeCycleState: $0.lifeCycleState)
            },
            fields: [.id: { $0.id }, .number: { $0.number }, .name: { $0.name }]
        )
    }

    static func participantTable(_ records: [Catalog.RewardsParticipant]) -> RecordTable<Catalog.RewardsParticipant> {
        RecordTable(
            records,
            reference: { ReferredObject(id: $0.id, number: $0.number) },
            fields: [.id: { $0.id }, .number: { $0.number }, .accountsReceivableID: { $0.accountsReceivableID }]
        )
    }

    static func productTable(_ records: [Catalog.Product]) -> RecordTable<Catalog.Product> {
        RecordTable(
            records,
            reference: {
                ReferredObject(
                    id: $0.id,
                    code: $0.code,
                    alternativeCode: $0.alternativeCode,
                    description: $0.description
                )
            },
            fields: [.id: { $0.id }, .code: { $0.code }, .alternativeCode: { $0.alternativeCode }]
        )
    }

    static func tapTable(
        _ records: [Catalog.TransactionAcquiringPoint]
    ) -> RecordTable<Catalog.TransactionAcquiringPoint> {
        RecordTable(
            records,
            reference: { ReferredObject(id: $0.id, name: $0.name, code: $0.code) },
            fields: [.id: { $0.id }, .name: { $0.name }, .code: { $0.code }]
        )
    }

    static func businessUnitTable(_ records: [Catalog.BusinessUnit]) -> RecordTable<Catalog.BusinessUnit> {
        RecordTable(
            records,
            reference: { ReferredObject(id: $0.id, name: $0.name, code: $0.code) },
            fields: [.id: { $0.id }, .name: { $0.name }, .code: { $0.code }]
        )
    }

    static func unitTable(_ records: [Catalog.Unit]) -> RecordTable<Catalog.Unit> {
        RecordTable(
            records,
            reference: {
                ReferredObject(
                    id: $0.id,
                    name: $0.name,
                    alternativeCode: $0.alternativeCode,
                    description: $0.description
                )
            },
            fields: [.id: { $0.id }, .name: { $0.name }, .alternativeCode: { $0.alternativeCode }]
        )
    }

    static func tokenClassificationTable(
        _ records: [Catalog.AccessTokenClassification]
    ) -> RecordTable<Catalog.AccessTokenClassification> {
        RecordTable(
            records,
            reference: { ReferredObject(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode) },
            fields: [.id: { $0.id }]
        )
    }

    static func userTable(_ records: [Catalog.User]) -> RecordTable<Catalog.User> {
        RecordTable(records, reference: { ReferredObject(id: $0.id, name: $0.username) }, fields: [.id: { $0.id }])
    }

    static func campaignTable(_ records: [Catalog.PromotionCampaign]) -> RecordTable<Catalog.PromotionCampaign> {
        RecordTable(records, reference: { ReferredObject(id: $0.id, name: $0.name) }, fields: [.id: { $0.id }])
    }

    static func namedTable(_ records: [Catalog.NamedRecord]) -> RecordTable<Catalog.NamedRecord> {
        RecordTable(
            records,
            reference: { ReferredObject(id: $0.id, name: $0.name, alternativeCode: $0.alternativeCode) },
            fields: [.id: { $0.id }, .name: { $0.name }, .alternativeCode: { $0.alternativeCode }]
        )
    }

    static func tokenTable(
        _ tokens: [Catalog.AccessToken],
        classifications: RecordTable<Catalog.AccessTokenClassification>
    ) -> RecordTable<Catalog.AccessToken> {
        RecordTable(
            tokens,
            reference: {
                ReferredObject(
                    id: $0.id,
                    number: $0.number,
                    lifeCycleState: $0.lifeCycleState,
                    authenticationCode: $0.authenticationCode,
                    identifier: $0.identifier,
                    classification: classifications.first(id: $0.classificationID)?.reference
                )
            },
            fields: [.id: { $0.id }, .authenticationCode: { $0.authenticationCode }, .identifier: { $0.identifier }]
        )
    }

    static func promoCodeMap(_ campaigns: [Catalog.PromotionCampaign]) -> [String: [Int]] {
        var map: [String: [Int]] = [:]
        for (position, campaign) in campaigns.enumerated() {
            for code in Set(campaign.promoCodes) where !code.isEmpty {
                map[code, default: []].append(position)
            }
        }
        return map
    }

    static func loginMap(_ users: [Catalog.User]) -> [UserLogin: Int] {
        var map: [UserLogin: Int] = [:]
        for (position, user) in users.enumerated() {
            let key = UserLogin(username: user.username, organisation: user.organisation)
            if map[key] == nil { map[key] = position }
        }
        return map
    }
}
