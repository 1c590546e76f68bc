import Dispatch
import Domain
import Log
import Posix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Settings of the durable store (from the server's flags).
public struct StoreConfiguration: Sendable {
    public var directory: String
    public var fsync: FsyncPolicy
    public var repair: Bool
    /// Largest segment file before a new one starts.
    public var segmentLimit: Int64
    /// Compact when the log exceeds max(this, the last snapshot's size).
    public var compactionThreshold: Int64

    public init(directory: String, fsync: FsyncPolicy = .always, repair: Bool = false, segmentLimit: Int64 = 64 << 20,
                compactionThreshold: Int64 = 64 << 20) {
        self.directory = directory
        self.fsync = fsync
        self.repair = repair
        self.segmentLimit = segmentLimit
        self.compactionThreshold = compactionThreshold
    }
}

/// The events in memory, backed by the write-ahead log: every create and cancel is
/// appended as a checksummed record and acknowledged only once durable.
///
/// Thread-safe: the indexes live behind one lock, held briefly per call (records are
/// encoded after it); durability callbacks run on the thread that wrote the batch (the
/// caller's, or the log's committer queue). New events are visible to reads as soon as
/// they are appended (before their sync completes), as in Redis; a retry of an existing
/// external reference is answered only once everything before it is durable.
public final class EventStore: Sendable {
    /// The indexes, behind the one store lock.
    let state: Locked<StoreState>
    let wal: WriteAheadLog
    let coding: any EventRecordCoding
    let lock: FileDescriptor
    let directory: String
    let compactionThreshold: UInt64
    let compacting = Atomic<Bool>(false)
    let lastSnapshotBytes: Atomic<UInt64>
    let compactionQueue = DispatchQueue(label: "store.compaction", qos: .utility)
    /// The last snapshot this process wrote (used on `compactionQueue` only).
    let snapshotBase = Locked<Snapshot.Base?>(nil)
    let logger = Logger(label: "store")
    /// Events recovered at open and how long it took.
    public let recovered: (events: Int, milliseconds: Int64)

    /// Opens `configuration.directory` (created when missing), takes its lock, replays the
    /// log, and opens the log for appending.
    /// - Throws: `StoreError` naming the file and offset of mid-log corruption (unless
    ///   `repair`), or that another process owns the directory.
    public init(_ configuration: StoreConfiguration, coding: any EventRecordCoding, onFatal: @escaping @Sendable (String) -> Never) throws(StoreError) {
        let started = monotonicMilliseconds()
        let directory = configuration.directory
        do { try FileSystem.makeDirectories(directory) } catch { throw StoreError("cannot create data dir \(directory): \(error)") }
        let lock = try Self.takeLock(directory)
        do {
            var recovery = Recovery(directory: directory, repair: configuration.repair, coding: coding)
            let outcome = try recovery.run()
            wal = try WriteAheadLog(
                directory: directory, sequence: outcome.lastSegment, policy: configuration.fsync,
                segmentLimit: configuration.segmentLimit, priorBytes: outcome.olderSegmentBytes,
                validBytes: outcome.lastSegmentBytes, onFatal: onFatal)
            state = Locked(StoreState(indexes: outcome.indexes, log: outcome.log))
            recovered = (outcome.indexes.count, monotonicMilliseconds() - started)
            lastSnapshotBytes = Atomic(outcome.snapshotBytes)
        } catch {
            lock.close()
            throw error
        }
        self.lock = lock
        self.coding = coding
        self.directory = directory
        compactionThreshold = UInt64(max(0, configuration.compactionThreshold))
        compactIfDue()  // a log replayed past the limit is compacted now, not at the next write
    }

    /// Number of stored events.
    public var count: Int { state.withLock { $0.indexes.count } }
    /// Bytes of log on disk.
    public var logBytes: UInt64 { wal.logBytes }
    /// Duration of the last fdatasync in µs.
    public var lastFsyncMicros: UInt64 { wal.lastFsyncMicros }

    /// Stores a prepared event (id and numbers assigned here) and calls `completion` once it
    /// is durable; an existing event with the same external reference and content is
    /// returned instead (nothing created), a different one fails ALREADY_EXISTS.
    ///
    /// Under the store lock the event gets its id and numbers, enters the indexes and takes
    /// its place in log order; its record is encoded after the lock is released, and written
    /// before returning unless another caller is writing (it then takes this one along).
    /// Callers with several events use `create(batch:completion:)`: one lock hold for all.
    public func create(_ draft: CustomerEvent, completion: @escaping @Sendable (Result<CustomerEvent, DomainError>) -> Void) {
        enum Step {
            case answered(WriteAheadLog.Duty)
            case reserved(WriteAheadLog.Ticket, LogReferences, [LogDefinition])
        }
        var event = draft
        var offers: [UInt32] = []
        let step = state.withLock { state -> Step in
            switch createLocked(&event, state: &state, offers: &offers) {
            case .conflict(let error):
                completion(.failure(error))
                return .answered(.none)
            case .existing(let event):
                return .answered(wal.whenDurable { completion(.success(event)) })
            case .created(let references, let definitions):
                return .reserved(wal.reserve(), references, definitions)
            }
        }
        var duty = WriteAheadLog.Duty.none
        switch step {
        case .answered(let answered): duty = answered
        case .reserved(let ticket, let references, let definitions):
            var record: [UInt8] = []  // encoded outside the lock, in one allocation
            record.reserveCapacity(Self.recordBytes(event, definitions: definitions.count))
            appendCreated(&event, references, offers[...], definitions, to: &record)
            let stored = event
            duty = wal.fill(ticket, record: record) { completion(.success(stored)) }
        }
        compactIfDue()
        if case .lead = duty { wal.lead() }
    }

    /// Takes `set` as one the store's events may share, for a loop's `ReferredSetCache`: the
    /// store then knows it by identity, and keeps it as is (each loop's events hold that
    /// loop's instance).
    public func adopt(_ set: ReferredSet) -> ReferredSet {
        state.withLock { $0.interner.adopt(set) }
    }

    /// Stores several prepared events under one lock hold; their records go to the log as
    /// one entry (one ticket, one waiter), so they share one group commit. `completion` gets
    /// a `BatchOutcome` (one answer per draft, in order) once all are durable (a retry among them included).
    public func create(batch drafts: consuming [CustomerEvent], completion: @escaping @Sendable (BatchOutcome) -> Void) {
        guard !drafts.isEmpty else { return completion(BatchOutcome(stored: [], others: [:])) }
        var events = drafts  // changed in place: ids and numbers
        // Each draft's answer when it is not the stored event itself: a retry's original or a conflict.
        var answers: [Int: Result<CustomerEvent, DomainError>] = [:]
        var logged: [(index: Int, references: LogReferences, offers: Range<Int>, definitions: [LogDefinition])] = []
        logged.reserveCapacity(events.count)
        var offers: [UInt32] = []  // every event's award offer numbers: one array, not one per event
        offers.reserveCapacity(events.reduce(0) { $0 + $1.awardRewardTransactions.count })
        // One ticket after all of them: once it is durable, so is everything a retry returns.
        let ticket = state.withLock { state -> WriteAheadLog.Ticket in
            for index in events.indices {
                let first = offers.count
                switch createLocked(&events[index], state: &state, offers: &offers) {
                case .conflict(let error): answers[index] = .failure(error)
                case .existing(let event): answers[index] = .success(event)
                case .created(let references, let definitions): logged.append((index, references, first..<offers.count, definitions))
                }
            }
            return wal.reserve()
        }
        var records: [UInt8] = []
        records.reserveCapacity(logged.reduce(0) { $0 + Self.recordBytes(events[$1.index], definitions: $1.definitions.count) })
        for entry in logged { appendCreated(&events[entry.index], entry.references, offers[entry.offers], entry.definitions, to: &records) }
        let outcome = BatchOutcome(stored: consume events, others: answers)  // its only holder: answers lend in place, not copy the array
        let duty = wal.fill(ticket, record: records, calls: outcome.count) { completion(outcome) }
        if case .lead = duty { wal.lead() }
        compactIfDue()
    }

    /// What a batch of creates came to, draft by draft (no event is copied until asked for).
    ///
    /// A class so that an answer lends its event from a `var`, read in place: a `let` array's
    /// element is copied before it is lent, a retain and a release of each of its objects.
    /// Nothing changes it once made, so exclusive access is not checked at run time (the check
    /// cost more than a third of what the copy did).
    public final class BatchOutcome: @unchecked Sendable {  // safe because: never changed after init
        /// The drafts as stored (ids and numbers given); a retry's or conflict's slot is unused.
        @exclusivity(unchecked) private var stored: [CustomerEvent]
        /// A draft's answer when it is not the stored draft: a retry's original, or a conflict.
        private let others: [Int: Result<CustomerEvent, DomainError>]

        fileprivate init(stored: consuming [CustomerEvent], others: [Int: Result<CustomerEvent, DomainError>]) {
            self.stored = stored
            self.others = others
        }

        /// How many drafts the batch had.
        public var count: Int { stored.count }

        /// Draft `index`'s answer, lent to `stored` (its stored event or a retry's original, not
        /// copied) or to `failed` (ALREADY_EXISTS).
        public func answer(_ index: Int, stored: (borrowing CustomerEvent) -> Void, failed: (DomainError) -> Void) {
            if !others.isEmpty, let other = others[index] {
                switch other {
                case .success(let event): stored(event)
                case .failure(let error): failed(error)
                }
                return
            }
            Self.lend(&self.stored[index], to: stored)
        }

        private static func lend(_ event: inout CustomerEvent, to body: (borrowing CustomerEvent) -> Void) { body(event) }
    }

    /// What `createLocked` did with a draft.
    private enum CreateOutcome {
        /// The external reference exists with other content: ALREADY_EXISTS.
        case conflict(DomainError)
        /// A retry: the event with this external reference and content.
        case existing(CustomerEvent)
        /// The draft is now a stored event (id and numbers given, indexed); its record, naming
        /// its shared objects by `references` (and the offer numbers appended to `offers`)
        /// after `definitions` of the new ones, must go to the log.
        case created(LogReferences, [LogDefinition])
    }

    /// Under the store lock: answers a retry or a conflict, or gives the draft its id and
    /// numbers and indexes it, appending its awards' offer numbers to `offers`.
    private func createLocked(_ draft: inout CustomerEvent, state: inout StoreState, offers: inout [UInt32]) -> CreateOutcome {
        if let reference = draft.externalSystemReferenceNumber,
            let existing = state.indexes.event(externalSystem: draft.externalSystem, reference: reference)
        {
            guard existing.hasSameContent(as: draft) else {
                return .conflict(.externalReferenceConflict(existing: existing.number))
            }
            return .existing(existing)
        }
        draft.referred = state.interner.intern(draft.referred)
        draft.id = state.random.nextID()
        draft.number = state.indexes.nextNumber
        var number = draft.number
        for i in draft.awardRewardTransactions.indices {
            number += 1
            draft.awardRewardTransactions[i].id = state.random.nextID()
            draft.awardRewardTransactions[i].number = number
        }
        state.indexes.insert(draft)
        var definitions: [LogDefinition] = []
        let references = state.log.references(draft, definitions: &definitions, offers: &offers)
        return .created(references, definitions)
    }

    /// Room for an event's framed records (a generous bound: the buffer is then allocated once).
    private static func recordBytes(_ event: CustomerEvent, definitions: Int) -> Int {
        320 + (event.extras?.packedByteCount ?? 0) + 96 * event.awardRewardTransactions.count + 512 * definitions
    }

    /// Frames a stored event's records: the definitions of its new shared objects, then the event.
    ///
    /// `event` is inout only to be read in place: an array element passed by value is copied
    /// first (a retain and a release of each of its objects).
    private func appendCreated(
        _ event: inout CustomerEvent, _ references: LogReferences, _ offers: ArraySlice<UInt32>, _ definitions: [LogDefinition], to out: inout [UInt8]
    ) {
        for definition in definitions {
            WriteAheadLog.appendRecord(type: WriteAheadLog.definitionRecord, to: &out) { coding.encode(definition, appendingTo: &$0) }
        }
        let start = WriteAheadLog.startRecord(type: WriteAheadLog.changeRecord, in: &out)
        coding.encodeCreated(event, references: references, offers: offers, appendingTo: &out)  // not in a closure: it would copy the event
        WriteAheadLog.finishRecord(at: start, in: &out)
    }

    /// Cancels an event durably: CANCELLED with its awards; FAILED_PRECONDITION when it
    /// already is, NOT_FOUND when unknown.
    ///
    /// `now` is read under the store's lock, as `page` reads its clock: a cancel's time is at
    /// or after a page's exactly when it was applied after that page (in the same millisecond,
    /// either way).
    public func cancel(_ identifier: CustomerEventIdentifier, now readNow: @autoclosure () -> Milliseconds, by user: ReferredObject,
                       completion: @escaping @Sendable (Result<CustomerEvent, DomainError>) -> Void) {
        let duty = state.withLock { state -> WriteAheadLog.Duty in
            let now = state.stamp(readNow())
            switch Self.find(identifier, in: state.indexes).flatMap({ $0.cancelled(now: now, by: user) }) {
            case .failure(let error):
                completion(.failure(error))
                return .none
            case .success(let cancelled):
                if let position = state.indexes.replace(cancelled) { state.dirtyBlocks.insert(Int(position) / Snapshot.blockSize) }
                return wal.append({ coding.encodeCancelled(id: cancelled.id, at: now, by: user, appendingTo: &$0) },
                                  onDurable: { completion(.success(cancelled)) })
            }
        }
        if case .lead = duty { wal.lead() }
        compactIfDue()
    }

    /// The event named by `identifier` (its shape already validated).
    public func find(_ identifier: CustomerEventIdentifier) -> Result<CustomerEvent, DomainError> {
        state.withLock { Self.find(identifier, in: $0.indexes) }
    }

    /// Up to `limit` events matching `filter` after `cursor`, ordered by (performed_on,
    /// number), and whether more follow; with the page's stamp (`clock`'s time read under the
    /// lock, never before a cancel's: see `cancel`) and the next event number then.
    /// Walks an index under the lock: cost grows with the page and with the events the
    /// attribute filters skip, not with the store.
    public func page(_ filter: EventFilter, after cursor: (Milliseconds, UInt64)?, limit: Int, clock: () -> Milliseconds = { 0 })
        -> (events: [CustomerEvent], more: Bool, at: Milliseconds, nextNumber: UInt64)
    {
        state.withLock { state in
            let (events, more) = state.indexes.page(filter, after: cursor, limit: limit)
            return (events, more, state.stamp(clock()), state.indexes.nextNumber)
        }
    }

    /// Log bytes past which the next compaction starts: max(threshold, last snapshot's size).
    var compactionLimit: UInt64 { max(compactionThreshold, lastSnapshotBytes.load(ordering: .relaxed)) }

    /// Syncs and closes the log; the store must not be used afterwards.
    public func close() {
        compactionQueue.sync {}
        wal.close()
        lock.close()
    }

    private static let notFound = DomainError(.notFound, "EVENT_NOT_FOUND", "No customer event matches the identifier.")

    /// `text` as an event number, written as events carry theirs: decimal digits, no sign and
    /// no leading zero ("01" and "+1" name no event); nil otherwise.
    private static func eventNumber(_ text: String) -> UInt64? {
        guard text.utf8.first != UInt8(ascii: "0") || text == "0", text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return UInt64(text)
    }

    private static func find(_ identifier: CustomerEventIdentifier, in indexes: EventIndexes) -> Result<CustomerEvent, DomainError> {
        if let id = identifier.id {
            guard let parsed = EventID(hex: id), let event = indexes.event(id: parsed) else { return .failure(notFound) }
            return .success(event)
        }
        if let number = identifier.number {
            guard let parsed = eventNumber(number), let event = indexes.event(number: parsed) else { return .failure(notFound) }
            return .success(event)
        }
        guard let reference = identifier.externalSystemReferenceNumber else { return .failure(notFound) }
        if let system = identifier.externalSystem {
            return indexes.event(externalSystem: system, reference: reference).map { .success($0) } ?? .failure(notFound)
        }
        switch indexes.event(reference: reference) {
        case .none: return .failure(notFound)
        case .one(let event): return .success(event)
        case .ambiguous:
            return .failure(DomainError(
                .invalidArgument, "AMBIGUOUS_IDENTIFIER", "The reference number is used by several external systems; give external_system.",
                violations: [Violation(field: "customer_event_identifier.external_system", description: "Required: the reference is ambiguous.")]))
        }
    }

    private static func takeLock(_ directory: String) throws(StoreError) -> FileDescriptor {
        let path = "\(directory)/LOCK"
        do {
            let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT)
            // Tried for a quarter of a second: a process that forks (a test runner spawning
            // servers) briefly holds every open file's lock in its child, until the exec.
            for attempt in 0..<25 {
                do throws(Errno) {
                    try fd.lockExclusive()
                    return fd
                } catch {
                    if attempt < 24 { usleep(10_000) }
                }
            }
            fd.close()
            throw StoreError("data dir \(directory) is in use by another process (lock \(path) is held)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot open lock file \(path): \(error)")
        }
    }
}

/// Everything behind the store's lock.
struct StoreState {
    var indexes: EventIndexes
    /// Snapshot blocks (positions / `Snapshot.blockSize`) holding an event changed since the last snapshot.
    var dirtyBlocks: Set<Int> = []
    var random = Xoshiro()
    var interner = Interner()
    /// The numbers event records give shared referred objects.
    var log: LogTable
    /// The latest time a cancel or a page took (see `stamp`).
    var lastStamp: Milliseconds = 0

    /// `now`, or the latest stamp when the clock went back: cancels and pages are stamped in
    /// the order they happened under the lock.
    mutating func stamp(_ now: Milliseconds) -> Milliseconds {
        lastStamp = max(lastStamp, now)
        return lastStamp
    }
}

/// Milliseconds of the monotonic clock.
func monotonicMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// xoshiro256** seeded from the kernel: fast 128-bit random ids without a syscall each.
struct Xoshiro {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        s = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    mutating func nextID() -> EventID { EventID(high: next(), low: next()) }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
