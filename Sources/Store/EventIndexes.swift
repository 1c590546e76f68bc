import Dispatch
import Domain
import Posix

/// The in-memory event set and its indexes; a plain value owned by `EventStore`'s lock.
///
/// Events live in `events` in number order (numbers only grow), so lookup by number is a
/// binary search; the dictionaries map to positions in `events`.
struct EventIndexes {
    private(set) var events = ChunkedEvents()
    private var byID = ShardedIndex<EventID>()
    private var byExternalReference = ShardedIndex<ExternalReference>()
    /// Reference number alone → position, or -1 when several systems use it.
    private var byReferenceOnly = ShardedIndex<String>()
    /// Every event by (performed_on, number).
    private var byTime = OrderIndex()
    /// Each account's events by (performed_on, number), keyed by the lowercase account id.
    /// By the account's catalog id (keys only the catalog's ids: no SipHash needed).
    private var byAccount: [LookupKey: OrderIndex] = [:]

    /// Next number to hand out (event and award numbers share one sequence).
    var nextNumber: UInt64 = 1

    var count: Int { events.count }

    /// True while recovery loads events: the order indexes are built once at the end.
    private var deferOrder = false

    /// Starts a bulk load of about `count` events (recovery); call `finishLoading()` after.
    mutating func beginLoading(expecting count: Int) {
        deferOrder = true
        events.reserveCapacity(count)
        byID.reserveCapacity(count)
    }

    /// Builds the order indexes of everything loaded since `beginLoading` with one sort each,
    /// the overall one and the per-account ones on two cores at once.
    mutating func finishLoading() {
        guard deferOrder else { return }
        deferOrder = false
        let events = self.events
        let built = Locked<(time: OrderIndex?, accounts: [LookupKey: OrderIndex]?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let time = OrderIndex(positions: (0..<Int32(events.count)).map { $0 }, in: events)
                built.withLock { $0.time = time }
            } else {
                var perAccount: [LookupKey: [Int32]] = [:]
                events.forEach(in: 0..<events.count) { event, position in
                    perAccount[LookupKey(event.pointee.accountsReceivable.id), default: []].append(Int32(position))
                }
                let accounts = perAccount.mapValues { OrderIndex(positions: $0, in: events) }
                built.withLock { $0.accounts = accounts }
            }
        }
        (byTime, byAccount) = built.withLock { ($0.time ?? OrderIndex(), $0.accounts ?? [:]) }
        assert(checkInvariants())
    }

    /// Adds an event whose number is above every stored one.
    mutating func insert(_ event: consuming CustomerEvent) {
        precondition(events.isEmpty || event.number > events.sortKey(events.count - 1).1, "numbers only grow")  // safe because: the store assigns numbers in order
        let position = Int32(events.count)
        index(event, at: position)
        events.append(event)  // moved in, not copied
        assert(deferOrder || checkInvariants())
    }

    /// Makes room for `count` more events without growing the arrays and dictionaries
    /// step by step (replay knows how many records a segment holds).
    mutating func reserve(additional count: Int) {
        events.reserveCapacity(events.count + count)
        byID.reserveCapacity(byID.count + count)
    }

    /// Adds a snapshot's decoded blocks (number order, no number twice) to empty indexes in
    /// loading mode (`finishLoading` builds the order indexes):
    /// the arrays become the event chunks as they are, and the id and reference
    /// dictionaries are built on two cores at once (built one event at a time, they were
    /// most of a snapshot's load).
    mutating func insert(loadedBlocks blocks: [[CustomerEvent]]) {
        precondition(events.isEmpty && deferOrder, "a snapshot loads into empty indexes, in loading mode")  // safe because: Snapshot.decode makes them fresh and calls beginLoading first
        for block in blocks where !events.adopt(block) {
            for event in block { events.append(event) }
        }
        let events = self.events
        let capacity = max(byID.capacity, events.count)
        let built = Locked<(ids: ShardedIndex<EventID>, highest: UInt64, references: ShardedIndex<ExternalReference>, referenceOnly: ShardedIndex<String>)>(
            (ShardedIndex(), 0, ShardedIndex(), ShardedIndex()))
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                var ids = ShardedIndex<EventID>()
                ids.reserveCapacity(capacity)
                var highest: UInt64 = 0
                events.forEach(in: 0..<events.count) { event, position in
                    ids[event.pointee.id] = Int32(position)
                    highest = max(highest, event.pointee.awardRewardTransactions.reduce(event.pointee.number) { max($0, $1.number) })
                }
                built.withLock { ($0.ids, $0.highest) = (ids, highest) }
            } else {
                var references = ShardedIndex<ExternalReference>()
                var referenceOnly = ShardedIndex<String>()
                events.forEach(in: 0..<events.count) { event, position in
                    guard let key = ExternalReference(event.pointee) else { return }
                    references[key] = Int32(position)
                    referenceOnly[key.reference] = referenceOnly[key.reference] == nil ? Int32(position) : -1
                }
                built.withLock { ($0.references, $0.referenceOnly) = (references, referenceOnly) }
            }
        }
        let highest: UInt64
        (byID, highest, byExternalReference, byReferenceOnly) = built.withLock { ($0.ids, $0.highest, $0.references, $0.referenceOnly) }
        nextNumber = max(nextNumber, highest + 1)
    }

    private mutating func index(_ event: CustomerEvent, at position: Int32) {
        byID[event.id] = position
        if let key = ExternalReference(event) {
            byExternalReference[key] = position
            byReferenceOnly[key.reference] = byReferenceOnly[key.reference] == nil ? position : -1
        }
        if !deferOrder {
            byTime.insert(position, time: event.performedOn)
            byAccount[LookupKey(event.accountsReceivable.id), default: OrderIndex()].insert(position, time: event.performedOn)
        }
        let highest = event.awardRewardTransactions.reduce(event.number) { max($0, $1.number) }
        nextNumber = max(nextNumber, highest + 1)
    }

    /// Replaces a stored event (same id and number); returns its position, nil when unknown.
    @discardableResult
    mutating func replace(_ event: CustomerEvent) -> Int32? {
        guard let position = byID[event.id] else { return nil }
        events[Int(position)] = event
        return position
    }

    func contains(id: EventID) -> Bool { byID[id] != nil }

    func event(id: EventID) -> CustomerEvent? {
        byID[id].map { events[Int($0)] }
    }

    func event(number: UInt64) -> CustomerEvent? {
        var low = 0
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].number < number { low = mid + 1 } else { high = mid }
        }
        return low < events.count && events[low].number == number ? events[low] : nil
    }

    func event(externalSystem: String?, reference: String) -> CustomerEvent? {
        byExternalReference[ExternalReference(system: externalSystem ?? "", reference: reference)].map { events[Int($0)] }
    }

    /// The event with this reference in any external system: nil when none, `.ambiguous` when several.
    func event(reference: String) -> ReferenceMatch {
        switch byReferenceOnly[reference] {
        case nil: .none
        case -1: .ambiguous
        case let position?: .one(events[Int(position)])
        }
    }

    enum ReferenceMatch {
        case none, ambiguous
        case one(CustomerEvent)
    }

    /// Up to `limit` events matching `filter` after `cursor` in (performed_on, number) order,
    /// and whether more follow.
    func page(_ filter: EventFilter, after cursor: (Milliseconds, UInt64)?, limit: Int) -> (events: [CustomerEvent], more: Bool) {
        var found: [CustomerEvent] = []
        var more = false
        let index: OrderIndex?
        if let accountID = filter.accountID { index = byAccount[LookupKey(accountID)] } else { index = byTime }
        index?.walk(after: cursor, from: filter.from, to: filter.to, in: events) { position in
            let event = events[Int(position)]
            guard filter.matchesAttributes(event) else { return true }
            if found.count == limit {
                more = true
                return false
            }
            found.append(event)
            return true
        }
        return (found, more)
    }

    /// Every position is indexed once and numbers strictly increase.
    func checkInvariants() -> Bool {
        guard byID.count == events.count, byTime.count == events.count else { return false }
        if events.count >= 2 && events.sortKey(events.count - 2).1 >= events.sortKey(events.count - 1).1 { return false }
        return true
    }
}

/// Positions by key (event id, external reference), in 64 dictionaries picked by the key's
/// `shard`.
///
/// Each dictionary grows on its own, so a growth rehashes a 64th of the keys or so, under the
/// store's lock. One dictionary of 1.6M ids took about 60 ms to grow, with both event loops
/// waiting on the lock: the p99.99 and max latency at 50 × 16. The dictionaries take unequal
/// shares (`ShardPick`), so that they reach each size at different times: with equal shares
/// their growths came together.
struct ShardedIndex<Key: ShardedKey>: Sendable {
    private var shards = [[Key: Int32]](repeating: [:], count: ShardPick.count)
    private(set) var count = 0

    /// Keys it holds without growing.
    var capacity: Int { shards.reduce(0) { $0 + $1.capacity } }

    subscript(key: Key) -> Int32? {
        get { shards[ShardPick.of(key.shard)][key] }
        set {
            let shard = ShardPick.of(key.shard)
            if let newValue {
                if shards[shard].updateValue(newValue, forKey: key) == nil { count += 1 }
            } else if shards[shard].removeValue(forKey: key) != nil {
                count -= 1
            }
        }
    }

    /// Makes room for `total` keys in all: each dictionary its share, and an eighth more for the spread.
    mutating func reserveCapacity(_ total: Int) {
        for index in shards.indices {
            let share = Double(total) * ShardPick.share(index)
            shards[index].reserveCapacity(Int(share * 1.125) + 1)
        }
    }
}

/// Which of 64 dictionaries a key's `shard` picks: dictionary `i` takes a share growing with
/// `i`, from 1 to 2 units, so a dictionary reaches a size when the total is anywhere between
/// one and two times that size over the average: the growths are spread over time.
enum ShardPick {
    /// How many dictionaries.
    static let count = 64

    /// Dictionary `index`'s fraction of the keys: 1 + index/63 units of 96.
    static func share(_ index: Int) -> Double { (1 + Double(index) / Double(count - 1)) / (Double(count) * 1.5) }

    /// By the top 10 bits of the shard value: the dictionary's number.
    private static let table: [UInt8] = {
        var table: [UInt8] = []
        var cumulative = 0.0
        for index in 0..<count {
            cumulative += share(index)
            while table.count < min(1024, Int((cumulative * 1024).rounded())) { table.append(UInt8(index)) }
        }
        while table.count < 1024 { table.append(UInt8(count - 1)) }
        return table
    }()

    static func of(_ shard: Int) -> Int { Int(table[Int(UInt64(bitPattern: Int64(shard)) >> 54)]) }
}

/// A key of a `ShardedIndex`: the top bits of `shard` pick its dictionary (`ShardPick`).
protocol ShardedKey: Hashable, Sendable {
    var shard: Int { get }
}

extension EventID: ShardedKey {
    /// Both halves, multiplied so that every bit reaches the top ones `ShardPick` reads: the
    /// store's ids are random, ids made otherwise (as in tests) may differ in low bits only.
    var shard: Int { Int(truncatingIfNeeded: (low ^ high) &* 0x9E37_79B9_7F4A_7C15) }
}

extension String: ShardedKey {
    var shard: Int { hashValue }
}

/// The idempotency key: `(external_system or "", external_system_reference_number)`.
struct ExternalReference: ShardedKey {
    var system: String
    var reference: String

    init(system: String, reference: String) {
        self.system = system
        self.reference = reference
    }

    init?(_ event: CustomerEvent) {
        guard let reference = event.externalSystemReferenceNumber else { return nil }
        self.init(system: event.externalSystem ?? "", reference: reference)
    }

    /// The reference's hash: references spread well, systems are few.
    var shard: Int { reference.hashValue }
}

/// Makes equal referred objects one shared instance, and events with the same referred
/// objects share one `ReferredSet`, so a stored event costs one pointer for all of them.
///
/// Recovery also uses a frozen copy from several threads at once (`lookup`, read only), so
/// that most of the work happens in parallel and the sequential `intern` finds instances it
/// already holds by identity.
struct Interner: Sendable {
    private var objects: [ReferredObject: ReferredObject] = [:]
    /// The instances in `objects`, by identity: interning one of them needs no content hash.
    private var instances: Set<ObjectIdentifier> = []
    private var sets: [IdentityKey: ReferredSet] = [:]
    private var setInstances: Set<ObjectIdentifier> = []
    /// Sets adopted beside an equal one in `sets` (kept alive: their identities stay theirs).
    private var adoptedSets: [ReferredSet] = []

    mutating func intern(_ object: ReferredObject) -> ReferredObject {
        if instances.contains(ObjectIdentifier(object)) { return object }
        if let existing = objects[object] { return existing }
        objects[object] = object
        instances.insert(ObjectIdentifier(object))
        return object
    }

    /// The interned instance equal to `object`, or `object` itself when none is (read only).
    func lookup(_ object: ReferredObject) -> ReferredObject {
        if instances.contains(ObjectIdentifier(object)) { return object }
        return objects[object] ?? object
    }

    func lookup(_ object: ReferredObject?) -> ReferredObject? {
        object.map { lookup($0) }
    }

    /// True when every referred object of `e`, and its set, is an interned instance (an event
    /// decoded against the log table): `lookup` would change nothing.
    func holds(_ e: borrowing CustomerEvent) -> Bool {
        guard setInstances.contains(ObjectIdentifier(e.referred)), instances.contains(ObjectIdentifier(e.logInformation.createdByUser)),
            instances.contains(ObjectIdentifier(e.logInformation.updatedByUser))
        else { return false }
        for award in e.awardRewardTransactions where !instances.contains(ObjectIdentifier(award.rewardOffer)) { return false }
        return true
    }

    /// Replaces every referred object of `e` (and its set) by the interned instance where one
    /// exists (read only: safe on a shared copy from several threads). An event that already
    /// holds interned instances (one decoded against the log table) is left untouched: the
    /// checks compare identities and write nothing.
    func lookup(_ e: inout CustomerEvent) {
        if !setInstances.contains(ObjectIdentifier(e.referred)) {  // else the decoder found the set itself
            let f = e.referred.fields
            let set = ReferredSet(
                classification: lookup(f.classification), accountsReceivable: lookup(f.accountsReceivable), product: lookup(f.product),
                paymentMediumType: lookup(f.paymentMediumType), paymentMediumBrand: lookup(f.paymentMediumBrand),
                performedByUnit: lookup(f.performedByUnit), performedByBusinessUnit: lookup(f.performedByBusinessUnit),
                performedByTap: lookup(f.performedByTap), authorizedByAccessToken: lookup(f.authorizedByAccessToken))
            e.referred = sets[IdentityKey(set)] ?? set
        }
        // Written only when another instance is found: no copy of the awards array otherwise.
        let created = lookup(e.logInformation.createdByUser)
        if created !== e.logInformation.createdByUser { e.logInformation.createdByUser = created }
        let updated = lookup(e.logInformation.updatedByUser)
        if updated !== e.logInformation.updatedByUser { e.logInformation.updatedByUser = updated }
        for i in e.awardRewardTransactions.indices {
            let offer = lookup(e.awardRewardTransactions[i].rewardOffer)
            if offer !== e.awardRewardTransactions[i].rewardOffer { e.awardRewardTransactions[i].rewardOffer = offer }
        }
    }

    mutating func intern(_ object: ReferredObject?) -> ReferredObject? {
        object.map { intern($0) }
    }

    /// The shared set with these member instances (compared by identity: cheap on the create path).
    mutating func intern(_ set: ReferredSet) -> ReferredSet {
        if setInstances.contains(ObjectIdentifier(set)) { return set }  // a loop's cached set, interned before
        let key = IdentityKey(set)
        if let existing = sets[key] { return existing }
        if sets.count + adoptedSets.count > 100_000 {  // bound memory for catalogs with huge variety
            sets.removeAll()
            setInstances.removeAll()
            adoptedSets.removeAll()
        }
        sets[key] = set
        setInstances.insert(ObjectIdentifier(set))
        return set
    }

    /// `set` itself, made an instance even when an equal one is interned: a loop's cache hands
    /// it over again and again, and the events of each loop then hold that loop's set, whose
    /// reference count stays on that loop's core (one set shared by all loops was a cache line
    /// going back and forth on every create).
    mutating func adopt(_ set: ReferredSet) -> ReferredSet {
        let interned = intern(set)
        if interned !== set {
            setInstances.insert(ObjectIdentifier(set))
            adoptedSets.append(set)
        }
        return set
    }

    /// Interns every referred object of a decoded event, then its set (in place; nothing is
    /// written for what already is interned).
    mutating func intern(_ e: inout CustomerEvent) {
        if !setInstances.contains(ObjectIdentifier(e.referred)) {
            let f = e.referred.fields  // only here: copying the fields retains nine objects
            e.referred = intern(ReferredSet(
                classification: intern(f.classification), accountsReceivable: intern(f.accountsReceivable), product: intern(f.product),
                paymentMediumType: intern(f.paymentMediumType), paymentMediumBrand: intern(f.paymentMediumBrand),
                performedByUnit: intern(f.performedByUnit), performedByBusinessUnit: intern(f.performedByBusinessUnit),
                performedByTap: intern(f.performedByTap), authorizedByAccessToken: intern(f.authorizedByAccessToken)))
        }
        let created = intern(e.logInformation.createdByUser)
        if created !== e.logInformation.createdByUser { e.logInformation.createdByUser = created }
        let updated = intern(e.logInformation.updatedByUser)
        if updated !== e.logInformation.updatedByUser { e.logInformation.updatedByUser = updated }
        for i in e.awardRewardTransactions.indices {
            let offer = intern(e.awardRewardTransactions[i].rewardOffer)
            if offer !== e.awardRewardTransactions[i].rewardOffer { e.awardRewardTransactions[i].rewardOffer = offer }
        }
    }
}

/// A `ReferredSet` keyed by the identity of its members.
struct IdentityKey: Hashable, Sendable {
    let set: ReferredSet

    init(_ set: ReferredSet) { self.set = set }

    static func == (lhs: IdentityKey, rhs: IdentityKey) -> Bool {
        let l = lhs.set.fields, r = rhs.set.fields
        return l.classification === r.classification && l.accountsReceivable === r.accountsReceivable && l.product === r.product
            && l.paymentMediumType === r.paymentMediumType && l.paymentMediumBrand === r.paymentMediumBrand
            && l.performedByUnit === r.performedByUnit && l.performedByBusinessUnit === r.performedByBusinessUnit
            && l.performedByTap === r.performedByTap && l.authorizedByAccessToken === r.authorizedByAccessToken
    }

    func hash(into hasher: inout Hasher) {
        let f = set.fields
        hasher.combine(ObjectIdentifier(f.classification))
        hasher.combine(ObjectIdentifier(f.accountsReceivable))
        hasher.combine(f.product.map(ObjectIdentifier.init))
        hasher.combine(f.paymentMediumType.map(ObjectIdentifier.init))
        hasher.combine(f.paymentMediumBrand.map(ObjectIdentifier.init))
        hasher.combine(f.performedByUnit.map(ObjectIdentifier.init))
        hasher.combine(f.performedByBusinessUnit.map(ObjectIdentifier.init))
        hasher.combine(f.performedByTap.map(ObjectIdentifier.init))
        hasher.combine(f.authorizedByAccessToken.map(ObjectIdentifier.init))
    }
}
