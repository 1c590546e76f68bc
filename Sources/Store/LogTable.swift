import Domain

/// The log's numbering of shared referred objects and sets: an event record names them by
/// number, and a definition record, earlier in log order, gives each number its content.
///
/// Numbers only grow, across segments, compactions and restarts: a snapshot holds the table
/// as it was when its segments were closed (records that were then still being written, and
/// land after the snapshot, may use those numbers), and recovery continues it, so the next
/// process goes on numbering where the log stopped. Objects are numbered by identity: an
/// equal object under another identity (a reloaded catalog's) gets a number of its own,
/// which costs one definition record, never a wrong reference. The table keeps every
/// numbered instance alive, so an identity is never reused.
struct LogTable: Sendable {
    private(set) var objects: [ReferredObject] = []
    private(set) var sets: [ReferredSet] = []
    private var objectNumbers: [ObjectIdentifier: UInt32] = [:]
    private var setNumbers: [ObjectIdentifier: UInt32] = [:]

    init() {}

    /// A table holding `objects` and `sets` by number (a snapshot's, or a captured copy).
    init(objects: [ReferredObject], sets: [ReferredSet]) {
        self.objects = objects
        self.sets = sets
        objectNumbers.reserveCapacity(objects.count)
        for (number, object) in objects.enumerated() { objectNumbers[ObjectIdentifier(object)] = UInt32(number) }
        setNumbers.reserveCapacity(sets.count)
        for (number, set) in sets.enumerated() { setNumbers[ObjectIdentifier(set)] = UInt32(number) }
    }

    /// The numbers of `event`'s shared objects, numbering (and appending a definition to
    /// `definitions` for) each one met for the first time. Call under the store lock, in
    /// log order, with the event's set interned.
    mutating func references(_ event: CustomerEvent, definitions: inout [LogDefinition]) -> LogReferences {
        let set = number(event.referred, &definitions)
        let log = event.logInformation
        let createdBy = number(log.createdByUser, &definitions)
        let updatedBy = log.updatedByUser === log.createdByUser ? createdBy : number(log.updatedByUser, &definitions)
        var offers: [UInt32] = []
        if !event.awardRewardTransactions.isEmpty {
            offers.reserveCapacity(event.awardRewardTransactions.count)
            for award in event.awardRewardTransactions { offers.append(number(award.rewardOffer, &definitions)) }
        }
        return LogReferences(set: set, createdBy: createdBy, updatedBy: updatedBy, offers: offers)
    }

    private mutating func number(_ object: ReferredObject, _ definitions: inout [LogDefinition]) -> UInt32 {
        if let known = objectNumbers[ObjectIdentifier(object)] { return known }
        let assigned = UInt32(objects.count)
        objects.append(object)
        objectNumbers[ObjectIdentifier(object)] = assigned
        definitions.append(.object(number: assigned, object))
        return assigned
    }

    private mutating func number(_ set: ReferredSet, _ definitions: inout [LogDefinition]) -> UInt32 {
        if let known = setNumbers[ObjectIdentifier(set)] { return known }
        let f = set.fields
        let members = [f.classification, f.accountsReceivable, f.product, f.paymentMediumType, f.paymentMediumBrand, f.performedByUnit,
                       f.performedByBusinessUnit, f.performedByTap, f.authorizedByAccessToken].map { $0.map { number($0, &definitions) } }
        let assigned = UInt32(sets.count)
        sets.append(set)
        setNumbers[ObjectIdentifier(set)] = assigned
        definitions.append(.set(number: assigned, members: members))
        return assigned
    }

    /// Replay: enters a definition read from the log, its objects and set shared through
    /// `interner`. A number the table already has (defined before the snapshot it started
    /// from) is skipped. False when the number skips ahead, or a set names an unknown object.
    mutating func apply(_ definition: LogDefinition, interner: inout Interner) -> Bool {
        switch definition {
        case .object(let number, let object):
            guard Int(number) <= objects.count else { return false }
            guard Int(number) == objects.count else { return true }
            let shared = interner.intern(object)
            objects.append(shared)
            objectNumbers[ObjectIdentifier(shared)] = number
        case .set(let number, let members):
            guard Int(number) <= sets.count, members.count == 9 else { return false }
            guard Int(number) == sets.count else { return true }
            var resolved: [ReferredObject?] = []
            for member in members {
                guard let member else {
                    resolved.append(nil)
                    continue
                }
                guard Int(member) < objects.count else { return false }
                resolved.append(objects[Int(member)])
            }
            guard let classification = resolved[0], let account = resolved[1] else { return false }
            let shared = interner.intern(ReferredSet(
                classification: classification, accountsReceivable: account, product: resolved[2], paymentMediumType: resolved[3],
                paymentMediumBrand: resolved[4], performedByUnit: resolved[5], performedByBusinessUnit: resolved[6],
                performedByTap: resolved[7], authorizedByAccessToken: resolved[8]))
            sets.append(shared)
            setNumbers[ObjectIdentifier(shared)] = number
        }
        return true
    }

    /// Forgets every number from `objects` and `sets` on (definitions after a damaged record).
    mutating func truncate(objects objectCount: Int, sets setCount: Int) {
        for number in objectCount..<max(objectCount, objects.count) where objectNumbers[ObjectIdentifier(objects[number])] == UInt32(number) {
            objectNumbers[ObjectIdentifier(objects[number])] = nil
        }
        for number in setCount..<max(setCount, sets.count) where setNumbers[ObjectIdentifier(sets[number])] == UInt32(number) {
            setNumbers[ObjectIdentifier(sets[number])] = nil
        }
        if objects.count > objectCount { objects.removeSubrange(objectCount...) }
        if sets.count > setCount { sets.removeSubrange(setCount...) }
    }
}
