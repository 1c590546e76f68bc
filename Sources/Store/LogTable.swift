import Domain

/// The log's numbering of shared referred objects and sets: an event record names them by
/// number, and a definition record, earlier in log order, gives each number its content.
///
/// Numbers only grow, across segments, compactions and restarts: a snapshot holds the table
/// as it was when its segments were closed (records that were then still being written, and
/// land after the snapshot, may use those numbers), and recovery continues it, so the next
/// process goes on numbering where the log stopped. A number whose definition was lost (a
/// damaged record that `--repair` dropped) stays empty: only the events that use it fail.
///
/// Objects are found by identity first (what a create hands over is the catalog's instance,
/// the same every time), then by content, so an equal object under another identity (after
/// a restart, the catalog's instead of the log's) takes the number it already has: the table
/// grows with distinct content only. Sets likewise, by their members' numbers. Every instance
/// met is kept alive, so an identity is never reused by another object.
struct LogTable: Sendable {
    /// Objects and sets by number; nil where a definition is missing.
    private(set) var objects: [ReferredObject?] = []
    private(set) var sets: [ReferredSet?] = []
    private var objectNumbers: [ObjectIdentifier: UInt32] = [:]
    private var objectsByContent: [ReferredObject: UInt32] = [:]
    private var setNumbers: [ObjectIdentifier: UInt32] = [:]
    private var setsByMembers: [Members: UInt32] = [:]
    /// Instances found by content under a new identity (kept alive, see above).
    private var aliases: [any AnyObject & Sendable] = []

    /// A set's members by object number (nil: absent), in `ReferredSet.Fields` order.
    typealias Members = [UInt32?]

    init() {}

    /// A table holding `objects` and `sets` by number (a snapshot's).
    init(objects: [ReferredObject?], sets: [ReferredSet?]) {
        for (number, object) in objects.enumerated() { if let object { enter(object, UInt32(number)) } }
        for (number, set) in sets.enumerated() {
            if let set { enter(set, UInt32(number), set.members.map { $0.flatMap { objectNumbers[ObjectIdentifier($0)] } }) }
        }
        self.objects = objects
        self.sets = sets
    }

    /// The numbers of `event`'s shared objects, numbering (and appending a definition to
    /// `definitions` for) each one met for the first time; its awards' reward offer numbers
    /// are appended to `offers`, in order. Call under the store lock, in log order.
    mutating func references(_ event: CustomerEvent, definitions: inout [LogDefinition], offers: inout [UInt32]) -> LogReferences {
        let set = number(event.referred, &definitions)
        let log = event.logInformation
        let createdBy = number(log.createdByUser, &definitions)
        let updatedBy = log.updatedByUser === log.createdByUser ? createdBy : number(log.updatedByUser, &definitions)
        for award in event.awardRewardTransactions { offers.append(number(award.rewardOffer, &definitions)) }
        return LogReferences(set: set, createdBy: createdBy, updatedBy: updatedBy)
    }

    private mutating func number(_ object: ReferredObject, _ definitions: inout [LogDefinition]) -> UInt32 {
        if let known = objectNumbers[ObjectIdentifier(object)] { return known }
        if let known = objectsByContent[object] { return alias(object, known, in: \.objectNumbers) }
        let assigned = UInt32(objects.count)
        objects.append(object)
        enter(object, assigned)
        definitions.append(.object(number: assigned, object))
        return assigned
    }

    private mutating func number(_ set: ReferredSet, _ definitions: inout [LogDefinition]) -> UInt32 {
        if let known = setNumbers[ObjectIdentifier(set)] { return known }
        let members = set.members.map { $0.map { number($0, &definitions) } }
        if let known = setsByMembers[members] { return alias(set, known, in: \.setNumbers) }
        let assigned = UInt32(sets.count)
        sets.append(set)
        enter(set, assigned, members)
        definitions.append(.set(number: assigned, members: members))
        return assigned
    }

    /// Gives `instance`, equal in content to numbered `number`, that number under its own identity.
    private mutating func alias(
        _ instance: some AnyObject & Sendable, _ number: UInt32, in numbers: WritableKeyPath<LogTable, [ObjectIdentifier: UInt32]>
    ) -> UInt32 {
        self[keyPath: numbers][ObjectIdentifier(instance)] = number
        aliases.append(instance)
        return number
    }

    private mutating func enter(_ object: ReferredObject, _ number: UInt32) {
        objectNumbers[ObjectIdentifier(object)] = number
        if objectsByContent[object] == nil { objectsByContent[object] = number }
    }

    private mutating func enter(_ set: ReferredSet, _ number: UInt32, _ members: Members) {
        setNumbers[ObjectIdentifier(set)] = number
        if setsByMembers[members] == nil { setsByMembers[members] = number }
    }

    /// Replay: enters a definition read from the log, its objects and set shared through
    /// `interner`. A number the table already has (defined before the snapshot it started
    /// from) is skipped; one past the end leaves the numbers between empty (their definitions
    /// were lost). False when a set names an object the table lacks.
    mutating func apply(_ definition: LogDefinition, interner: inout Interner) -> Bool {
        switch definition {
        case .object(let number, let object):
            let slot = Int(number)
            guard slot >= objects.count || objects[slot] == nil else { return true }
            let shared = interner.intern(object)
            if slot >= objects.count { objects.append(contentsOf: repeatElement(nil, count: slot + 1 - objects.count)) }
            objects[slot] = shared
            enter(shared, number)
        case .set(let number, let members):
            let slot = Int(number)
            guard slot >= sets.count || sets[slot] == nil else { return true }
            var resolved: [ReferredObject?] = []
            for member in members {
                guard let member else {
                    resolved.append(nil)
                    continue
                }
                guard Int(member) < objects.count, let object = objects[Int(member)] else { return false }
                resolved.append(object)
            }
            guard let set = ReferredSet(members: resolved) else { return false }
            let shared = interner.intern(set)
            if slot >= sets.count { sets.append(contentsOf: repeatElement(nil, count: slot + 1 - sets.count)) }
            sets[slot] = shared
            enter(shared, number, members)
        }
        return true
    }

    /// Forgets every number from `objects` and `sets` on (definitions after a damaged record).
    mutating func truncate(objects objectCount: Int, sets setCount: Int) {
        guard objects.count > objectCount || sets.count > setCount else { return }
        let keptObjects = Array(objects.prefix(objectCount))
        let keptSets = Array(sets.prefix(setCount))
        var rebuilt = LogTable(objects: keptObjects, sets: keptSets)
        rebuilt.aliases = aliases
        self = rebuilt
    }
}
