// Seed inputs of FuzzStoredChange (`FuzzStoredChange --write-seeds DIR`): record bodies from
// the store's real encoder, plus hand-made broken ones.
import Codec
import Domain
import FuzzSupport

enum StoredChangeSeeds {
    static func all() -> [FuzzSeed] {
        func encoded(_ change: StoredChangeValue) -> [UInt8] {
            var out: [UInt8] = []
            change.encode(appendingTo: &out)
            return out
        }
        let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")
        var minimal = fullEvent
        minimal.description = nil
        minimal.paymentMediumIdentifier = nil
        minimal.promoCode = nil
        minimal.userDefinedFields = nil
        minimal.product = nil
        minimal.authorizedByAccessToken = nil
        minimal.awardRewardTransactions = []
        var odd = minimal
        odd.amount = .nan
        odd.number = .max
        odd.id = EventID(high: .max, low: 0)
        odd.performedOn = .min
        odd.userDefinedFields = UserDefinedFields(
            strings: ["", nil, nil, nil, nil, nil, nil, nil],
            floats: [nil, nil, nil, -0.0],
            dates: [nil, 0, nil, nil]
        )
        let full = encoded(.created(fullEvent))
        var logged = table.event
        logged.awardRewardTransactions[1].expirationDate = 0
        var definitions: [[UInt8]] = []
        for (number, object) in [table.objects[0], table.event.authorizedByAccessToken!].enumerated() {
            var out: [UInt8] = []
            StoredDefinitionValue.object(number: UInt32(number), object).encode(appendingTo: &out)
            definitions.append(out)
        }
        var set: [UInt8] = []
        StoredDefinitionValue.set(number: 3, members: [0, 1, nil, 2, nil, nil, nil, nil, 7]).encode(appendingTo: &set)
        return [
            FuzzSeed("logged-full", encode(.created(table.event))),
            FuzzSeed("logged-zero-expiration", encode(.created(logged))),
            FuzzSeed("definition-object", definitions[0]),
            FuzzSeed("definition-access-token", definitions[1]),
            FuzzSeed("definition-set", set),
            FuzzSeed("created-full", full),
            FuzzSeed("created-minimal", encoded(.created(minimal))),
            FuzzSeed("created-odd-values", encoded(.created(odd))),
            FuzzSeed("cancelled", encoded(.cancelled(id: fullEvent.id, at: 1_767_225_600_123, by: user))),
            FuzzSeed("created-truncated", Array(full.prefix(full.count / 2))),
            FuzzSeed("empty", []),
            FuzzSeed("bad-cancel-id", [0x12, 0x06, 0x0A, 0x04, 0x41, 0x42, 0x43, 0x44]),  // cancelled { id: "ABCD" }
        ]
    }

    /// The log table records are decoded against: the objects and set of one `fullEvent`.
    static let table = FuzzTable()

    struct FuzzTable: @unchecked Sendable {  // safe because: immutable; its classes are immutable
        let event = StoredChangeSeeds.fullEvent
        var objects: [ReferredObject] {
            let f = event.referred.fields
            let optional = [f.product, f.paymentMediumType, f.paymentMediumBrand, f.performedByUnit, f.performedByBusinessUnit,
                            f.performedByTap, f.authorizedByAccessToken]
            return [f.classification, f.accountsReceivable, event.logInformation.createdByUser] + optional.compactMap { $0 }
                + event.awardRewardTransactions.map(\.rewardOffer)
        }
        var sets: [ReferredSet] { [event.referred] }

        /// The numbers of `e`'s shared objects when all are this table's instances.
        func references(_ e: CustomerEvent) -> (createdBy: UInt32, updatedBy: UInt32, offers: [UInt32])? {
            let objects = self.objects
            func number(_ o: ReferredObject) -> UInt32? { objects.firstIndex { $0 === o }.map(UInt32.init) }
            guard e.referred === event.referred, let created = number(e.logInformation.createdByUser),
                let updated = number(e.logInformation.updatedByUser)
            else { return nil }
            var offers: [UInt32] = []
            for award in e.awardRewardTransactions {
                guard let offer = number(award.rewardOffer) else { return nil }
                offers.append(offer)
            }
            return (created, updated, offers)
        }
    }

    /// `change` decoded against `table`.
    static func decode(_ payload: UnsafeRawBufferPointer) -> Result<StoredChangeValue, CodecError> {
        let objects: [ReferredObject?] = table.objects
        let sets: [ReferredSet?] = table.sets
        return objects.withUnsafeBufferPointer { o in
            sets.withUnsafeBufferPointer { s in
                Result { () throws(CodecError) in try StoredChangeValue(payload: payload, objects: o, sets: s) }
            }
        }
    }

    /// `change` encoded: a created event whose objects are `table`'s as a logged event, anything else in full.
    static func encode(_ change: StoredChangeValue) -> [UInt8] {
        var out: [UInt8] = []
        if case .created(let event) = change, let references = table.references(event) {
            StoredChangeValue.encodeLogged(
                event, set: 0, createdBy: references.createdBy, updatedBy: references.updatedBy, offers: references.offers[...], appendingTo: &out)
        } else {
            change.encode(appendingTo: &out)
        }
        return out
    }

    /// A stored event with every optional part filled (as CodecTests' fixture).
    static var fullEvent: CustomerEvent {
        let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")
        let offer = ReferredObject(id: "0f000000000000000000000000000001", name: "Welcome", alternativeCode: "WEL")
        return CustomerEvent(
            id: EventID(high: 0x0123_4567_89AB_CDEF, low: 0xFF),
            number: 42,
            lifeCycleState: .posted,
            performedOn: 1_700_000_000_000,
            description: "Visit ☕",
            paymentMediumIdentifier: "4111",
            amount: 12.5,
            externalSystem: "pos",
            externalSystemReferenceNumber: "R-9",
            userDefinedFields: UserDefinedFields(
                strings: ["s1", nil, nil, nil, nil, nil, nil, "s8"],
                floats: [0, nil, nil, 3.5],
                dates: [nil, 0, nil, nil]
            ),
            classification: ReferredObject(id: "c1", name: "Purchase", alternativeCode: "PUR"),
            accountsReceivable: ReferredObject(id: "a1", number: "AR-001", name: "Jane", lifeCycleState: "ACTIVE"),
            product: ReferredObject(id: "pr1", code: "P-1", alternativeCode: "PP", description: "Coffee"),
            paymentMediumType: ReferredObject(id: "t1", name: "Card", alternativeCode: "CD"),
            paymentMediumBrand: ReferredObject(id: "b1", name: "Visa", alternativeCode: "VS"),
            performedByUnit: ReferredObject(id: "un1", name: "HQ", alternativeCode: "U1", description: "Head office"),
            performedByBusinessUnit: ReferredObject(id: "bu1", name: "Shops", code: "SH"),
            performedByTap: ReferredObject(id: "tap1", name: "Till", code: "T1"),
            authorizedByAccessToken: ReferredObject(
                id: "at1",
                number: "AT-1",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "AUTH",
                identifier: "card-7",
                classification: ReferredObject(id: "atc1", name: "Gold", alternativeCode: "GLD")
            ),
            promoCode: "SUMMER",
            logInformation: LogInformation(
                createdDate: 1_700_000_000_001,
                updatedDate: 1_700_000_000_002,
                createdByUser: user,
                updatedByUser: user
            ),
            awardRewardTransactions: [
                AwardTransaction(
                    id: EventID(high: 0xB000_0000_0000_0000, low: 1),
                    number: 43,
                    lifeCycleState: .posted,
                    amount: 5,
                    alternativeAmount: 50,
                    expirationDate: nil,
                    rewardOffer: offer
                ),
                AwardTransaction(
                    id: EventID(high: 0xB000_0000_0000_0000, low: 2),
                    number: 44,
                    lifeCycleState: .cancelled,
                    amount: 1.25,
                    alternativeAmount: 12.5,
                    expirationDate: 1_800_000_000_000,
                    rewardOffer: offer
                ),
            ]
        )
    }
}
