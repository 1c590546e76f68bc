import Dispatch
import Domain
import Log
import Posix

#if canImport(Glibc)
import Glibc
#endif

/// Start-up replay of the log segments into fresh indexes (SPEC §6).
///
/// Zeros after the last record end a segment (written ahead of the records). A torn or corrupt
/// tail of the last segment is cut back to the last whole record, after copying the
/// segment to `<name>.broken`; damage followed by valid records (corruption
/// inside the log) stops the start with the file and offset, unless `repair`, which keeps
/// a `.broken` copy and rewrites the segment with only its valid records.
struct Recovery {
    let directory: String
    let repair: Bool
    let coding: any EventRecordCoding
    private let logger = Logger(label: "recovery")
    private var interner = Interner()
    private var log = LogTable()

    init(directory: String, repair: Bool, coding: any EventRecordCoding) {
        self.directory = directory
        self.repair = repair
        self.coding = coding
    }

    /// What recovery found: the indexes, the segment to append to, the bytes of the older
    /// live segments, and the size of the snapshot it started from (0 when none).
    struct Outcome {
        var indexes: EventIndexes
        var lastSegment: UInt64
        var olderSegmentBytes: UInt64
        var snapshotBytes: UInt64
        /// The log's table where it ends: the store numbers on from it.
        var log: LogTable
        /// Where the records of segment `lastSegment` end (nil when it does not exist yet).
        var lastSegmentBytes: Int64?
    }

    /// Loads the latest snapshot, then replays the segments it does not cover; removes
    /// leftovers of an interrupted compaction.
    mutating func run() throws(StoreError) -> Outcome {
        let names = try listDirectory()
        let snapshots = Self.numbered(names, prefix: "snapshot-", suffix: ".snap")
        let covered = snapshots.last ?? 0
        let started = monotonicMilliseconds()
        var indexes = EventIndexes()
        var snapshotBytes: UInt64 = 0
        if covered > 0 {
            let path = Snapshot.path(directory, covered)
            (indexes, log) = try Snapshot.load(path, interning: &interner)
            snapshotBytes = UInt64(FileSystem.fileSize(path) ?? 0)
        }
        let loaded = monotonicMilliseconds()
        let fromSnapshot = indexes.count
        indexes.beginLoading(expecting: indexes.count)
        removeLeftovers(names, snapshots: snapshots, covered: covered)
        let segments = Self.numbered(names, prefix: "wal-", suffix: ".log").filter { $0 > covered }
        var olderBytes: UInt64 = 0
        var lastBytes: Int64?
        for (position, sequence) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let size = try replay(segment: sequence, isLast: isLast, into: &indexes)
            if isLast { lastBytes = Int64(size) } else { olderBytes += size }
        }
        let replayed = monotonicMilliseconds()
        indexes.finishLoading()
        logger.info("recovery phases", [
            ("snapshot_events", String(fromSnapshot)), ("snapshot_ms", String(loaded - started)),
            ("log_events", String(indexes.count - fromSnapshot)), ("log_ms", String(replayed - loaded)),
            ("order_index_ms", String(monotonicMilliseconds() - replayed)),
        ])
        releaseFreeMemory()  // the file buffers of recovery go back to the OS
        return Outcome(indexes: indexes, lastSegment: segments.last ?? covered + 1, olderSegmentBytes: olderBytes, snapshotBytes: snapshotBytes,
                       log: log, lastSegmentBytes: lastBytes)
    }

    private func listDirectory() throws(StoreError) -> [String] {
        do { return try FileSystem.listDirectory(directory) } catch { throw StoreError("cannot list data dir \(directory): \(error)") }
    }

    /// The sorted numbers of files named `<prefix><digits><suffix>`.
    static func numbered(_ names: [String], prefix: String, suffix: String) -> [UInt64] {
        names.compactMap { name -> UInt64? in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            return UInt64(name.dropFirst(prefix.count).dropLast(suffix.count))
        }.sorted()
    }

    /// Deletes segments and snapshots the latest snapshot covers, and unfinished `.tmp` files.
    private func removeLeftovers(_ names: [String], snapshots: [UInt64], covered: UInt64) {
        var removed = false
        for sequence in Self.numbered(names, prefix: "wal-", suffix: ".log") where sequence <= covered {
            try? FileSystem.unlink(WriteAheadLog.segmentPath(directory, sequence))
            removed = true
        }
        for sequence in snapshots where sequence < covered {
            try? FileSystem.unlink(Snapshot.path(directory, sequence))
            removed = true
        }
        for name in names where name.hasSuffix(".snap.tmp") {
            try? FileSystem.unlink("\(directory)/\(name)")
            removed = true
        }
        if removed { try? FileSystem.syncDirectory(directory) }
    }

    /// Replays one segment; returns its size after any cut.
    private mutating func replay(segment sequence: UInt64, isLast: Bool, into indexes: inout EventIndexes) throws(StoreError) -> UInt64 {
        let path = WriteAheadLog.segmentPath(directory, sequence)
        let file: MappedFile
        do { file = try MappedFile(path) } catch { throw StoreError("cannot read \(path): \(error)") }
        // The mapping lives until the last use of `file`; the replay reads through it.
        let (result, zeroTail) = withExtendedLifetime(file) {
            let result = replayRecords(file.bytes, into: &indexes)
            // Zeros to the end: the zeros written ahead of the records (or pages the
            // kernel never wrote, which held nothing acknowledged under `always`).
            let zeroTail = result.damage.map { LogReader.lastNonZero(file.bytes, from: $0.offset) < $0.offset } ?? false
            return (result, zeroTail)
        }
        guard let damage = result.damage else { return UInt64(file.bytes.count) }
        if zeroTail { return UInt64(damage.offset) }
        let bytes = withExtendedLifetime(file) { Array(file.bytes) }
        if isLast && !damage.validRecordFollows {
            try cutTail(path: path, bytes: bytes, at: damage)
            return UInt64(damage.offset)
        }
        guard repair else {
            throw StoreError("corrupt log record in \(path) at offset \(damage.offset): \(damage.reason); start with --repair to skip it (a .broken copy is kept)")
        }
        return try repairSegment(path: path, bytes: bytes, from: damage, into: &indexes)
    }

    /// Checks every record, enters the definitions into the log table in order, decodes the
    /// change bodies on all cores, then applies them in log order, up to the first record
    /// that is damaged or does not decode (the table then forgets the definitions after it).
    private mutating func replayRecords(_ raw: UnsafeRawBufferPointer, into indexes: inout EventIndexes) -> (goodEnd: Int, damage: LogReader.Damage?) {
        var records: [(type: UInt8, body: Range<Int>)] = []
        let scanned = LogReader.scan(raw) { type, body in
            let start = body.baseAddress.map { $0 - raw.baseAddress! } ?? 0  // safe because: body is a slice of raw
            records.append((type, start..<(start + body.count)))
            return true
        }
        indexes.reserve(additional: records.count)
        // Windows keep the decoded-but-not-yet-applied events few, so their memory is reused.
        // From the second on, the next window decodes on the other threads while this one is applied.
        var windows: [Range<Int>] = []
        var next = 0
        while next < records.count {
            windows.append(next..<min(records.count, next + (next == 0 ? 1024 : 16_384)))
            next = windows[windows.count - 1].upperBound
        }
        /// Each definition record entered: its index and the table's size before it.
        var marks: [(record: Int, objects: Int, sets: Int)] = []
        /// The first definition record that does not decode or fit the table.
        var badDefinition: Int?
        /// Enters the definitions of `window` and returns its change records up to a bad definition.
        func prepare(_ window: Range<Int>) -> [Int] {
            var changes: [Int] = []
            for index in window where badDefinition == nil {
                let record = records[index]
                guard record.type == WriteAheadLog.definitionRecord else {
                    changes.append(index)
                    continue
                }
                marks.append((index, log.objects.count, log.sets.count))
                guard let definition = coding.decodeDefinition(UnsafeRawBufferPointer(rebasing: raw[record.body])),
                    log.apply(definition, interner: &interner)
                else {
                    badDefinition = index
                    break
                }
            }
            return changes
        }
        func damage(at index: Int) -> (goodEnd: Int, damage: LogReader.Damage?) {
            if let mark = marks.first(where: { $0.record >= index }) { log.truncate(objects: mark.objects, sets: mark.sets) }
            let at = records[index].body.lowerBound - WriteAheadLog.recordHeaderSize
            let follows = index + 1 < records.count || LogReader.anyValidRecord(raw, after: at)
            let reason = index == badDefinition ? "definition record does not decode or names an object the log lacks" : "record body does not decode"
            return (at, LogReader.Damage(offset: at, reason: reason, validRecordFollows: follows))
        }
        var running: WindowDecoding?
        var prepared = windows.first.map { prepare($0) } ?? []
        for (number, window) in windows.enumerated() {
            let changes = running?.wait() ?? Self.decodeInParallel(raw, prepared.map { records[$0].body }, coding, log, interner)
            running = nil
            let current = prepared
            prepared = []
            if number + 1 < windows.count && badDefinition == nil {
                prepared = prepare(windows[number + 1])  // nothing decodes now: the table may grow
                if number > 0 { running = WindowDecoding(raw, prepared.map { records[$0].body }, coding, log, interner) }
            }
            for offset in 0..<changes.count {
                guard let change = changes.take(offset) else {
                    _ = running?.wait()  // it reads `raw`, which the caller unmaps after this returns
                    return damage(at: current[offset])
                }
                apply(consume change, to: &indexes)
            }
            if let bad = badDefinition, bad < window.upperBound { return damage(at: bad) }
        }
        return scanned
    }

    /// Decodes `bodies` on all cores against the log table, replacing referred objects with
    /// the instances `known` (a frozen copy of the interner) holds, so that the duplicates of
    /// records in the format before log tables are freed in parallel too.
    fileprivate static func decodeInParallel(
        _ raw: UnsafeRawBufferPointer, _ bodies: [Range<Int>], _ coding: any EventRecordCoding, _ log: LogTable, _ known: Interner
    ) -> DecodedChanges {
        let results = DecodedChanges(count: bodies.count)
        log.objects.withUnsafeBufferPointer { objects in
            log.sets.withUnsafeBufferPointer { sets in
                let shared = DecodeBuffers(raw: raw, results: results.slots, objects: objects, sets: sets)
                let chunks = max(1, min(64, bodies.count / 1024))
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for i in (bodies.count * chunk / chunks)..<(bodies.count * (chunk + 1) / chunks) {
                        var change = coding.decode(UnsafeRawBufferPointer(rebasing: shared.raw[bodies[i]]), objects: shared.objects, sets: shared.sets)
                        switch change {
                        case .created(let event)? where !known.holds(event):  // a record of before log tables
                            var copy = event
                            change = nil
                            known.lookup(&copy)
                            change = .created(copy)
                        case .cancelled(let id, let at, let by)?: change = .cancelled(id: id, at: at, by: known.lookup(by))
                        default: break
                        }
                        shared.results[i] = change  // own slot only
                    }
                }
            }
        }
        return results
    }

    private mutating func apply(_ change: consuming StoreChange, to indexes: inout EventIndexes) {
        switch consume change {
        case .created(var event):
            if !indexes.contains(id: event.id) && event.number >= indexes.nextNumber {
                interner.intern(&event)
                indexes.insert(consume event)
            }
        case .cancelled(let id, let at, let user):
            if let event = indexes.event(id: id), case .success(let cancelled) = event.cancelled(now: at, by: interner.intern(user)) {
                indexes.replace(cancelled)
            }
        }
    }

    private func cutTail(path: String, bytes: [UInt8], at damage: LogReader.Damage) throws(StoreError) {
        let copy = Self.brokenCopyPath(path)
        // The copy keeps the bytes cut (without the zeros written ahead after them): a server
        // that crashes again and again leaves one small file per cut, not a segment each.
        var end = bytes.count
        while end > damage.offset && bytes[end - 1] == 0 { end -= 1 }
        logger.warn("torn log tail cut", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason),
                                          ("dropped_bytes", String(bytes.count - damage.offset)), ("kept_in", copy)])
        do {
            try writeCopy(Array(bytes[damage.offset..<end]), to: copy)
            let fd = try FileDescriptor.open(path, O_WRONLY)
            defer { fd.close() }
            try fd.truncate(to: Int64(damage.offset))
            try fd.sync()
        } catch {
            throw StoreError("cannot cut the torn tail of \(path) at offset \(damage.offset): \(error)")
        }
    }

    /// Keeps the valid records of a damaged segment (skipping damaged spans) and rewrites it.
    ///
    /// A whole record that does not decode is dropped too: an event record whose objects were
    /// defined in a damaged definition record cannot be read (their number has no content).
    /// How many bytes and records were dropped is logged; the `.broken` copy keeps them.
    private mutating func repairSegment(path: String, bytes: [UInt8], from damage: LogReader.Damage, into indexes: inout EventIndexes) throws(StoreError) -> UInt64 {
        logger.warn("repairing corrupt log segment", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason)])
        var kept = Array(bytes[..<damage.offset])
        var offset = damage.offset
        var (skippedBytes, droppedRecords) = (0, 0)
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                guard case .valid(let end) = LogReader.check(raw, at: offset) else {
                    offset += 1
                    skippedBytes += 1
                    continue
                }
                if replayOne(raw, offset, end, into: &indexes) {
                    kept.append(contentsOf: raw[offset..<end])
                } else {
                    droppedRecords += 1
                }
                offset = end
            }
        }
        let copy = Self.brokenCopyPath(path)
        logger.warn("repaired log segment: dropped damaged bytes, and whole records that do not decode (events whose shared objects were defined in the damaged part)",
                    [("file", path), ("damaged_bytes", String(skippedBytes)), ("records_dropped", String(droppedRecords)),
                     ("kept_in", copy)])
        do {
            try writeCopy(bytes, to: copy)
            try writeCopy(kept, to: path + ".repair")
            try FileSystem.rename(path + ".repair", to: path)
            try FileSystem.syncDirectory(directory)
        } catch {
            throw StoreError("cannot repair \(path): \(error)")
        }
        return UInt64(kept.count)
    }

    /// Decodes and applies the record at `offset..<end` on its own (repair); false when it does not decode or fit.
    private mutating func replayOne(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ end: Int, into indexes: inout EventIndexes) -> Bool {
        let body = UnsafeRawBufferPointer(rebasing: raw[(offset + WriteAheadLog.recordHeaderSize)..<end])
        if raw[offset + 8] == WriteAheadLog.definitionRecord {
            let before = (log.objects.count, log.sets.count)
            guard let definition = coding.decodeDefinition(body), log.apply(definition, interner: &interner) else {
                log.truncate(objects: before.0, sets: before.1)
                return false
            }
            return true
        }
        let change = log.objects.withUnsafeBufferPointer { objects in
            log.sets.withUnsafeBufferPointer { sets in coding.decode(body, objects: objects, sets: sets) }
        }
        guard let change else { return false }
        apply(change, to: &indexes)
        return true
    }

    /// Where a damaged segment's copy goes: `<segment>.broken`, or `.broken.1`, `.broken.2`…
    /// when earlier damage left one (each cut keeps its evidence). A cut's copy holds the bytes
    /// cut from the offset logged; a repair's, the whole segment as it was.
    static func brokenCopyPath(_ path: String) -> String {
        var candidate = path + ".broken"
        var n = 0
        while FileSystem.exists(candidate) {
            n += 1
            candidate = path + ".broken.\(n)"
        }
        return candidate
    }

    private func writeCopy(_ bytes: [UInt8], to path: String) throws(Errno) {
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { fd.close() }
        try fd.writeAll(bytes)
        try fd.sync()
    }
}

/// A replay window decoding on other threads while the previous one is applied.
private final class WindowDecoding: @unchecked Sendable {  // safe because: `changes` is written before `done` is signalled and read only after waiting for it; `raw` is read only, and its owner waits
    private let raw: UnsafeRawBufferPointer
    private var changes: DecodedChanges?
    private let done = DispatchSemaphore(value: 0)

    /// Starts decoding `bodies` of `raw` (which must stay mapped until `wait` returns).
    init(_ raw: UnsafeRawBufferPointer, _ bodies: [Range<Int>], _ coding: any EventRecordCoding, _ log: LogTable, _ known: Interner) {
        self.raw = raw
        DispatchQueue.global().async {
            self.changes = Recovery.decodeInParallel(self.raw, bodies, coding, log, known)
            self.done.signal()
        }
    }

    /// The decoded changes, once ready.
    func wait() -> DecodedChanges {
        done.wait()
        return changes!  // safe because: set before the signal
    }
}

/// Buffers shared by the decoding workers: read-only input, one result slot per record.
private struct DecodeBuffers: @unchecked Sendable {  // safe because: input and the log table are read-only while workers run (its classes are immutable); each worker writes only its own slots
    let raw: UnsafeRawBufferPointer
    let results: UnsafeMutableBufferPointer<StoreChange?>
    let objects: UnsafeBufferPointer<ReferredObject?>
    let sets: UnsafeBufferPointer<ReferredSet?>
}

/// Decoded changes, one slot per record (nil: it did not decode), taken out one by one
/// without a copy (a copy retains every object an event refers to).
final class DecodedChanges: @unchecked Sendable {  // safe because: workers write disjoint slots before the owner reads any
    let slots: UnsafeMutableBufferPointer<StoreChange?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    var count: Int { slots.count }

    /// Moves the change of slot `index` out, leaving nil.
    func take(_ index: Int) -> StoreChange? {
        let change = (slots.baseAddress! + index).move()  // safe because: index < count, and the slot is initialised
        (slots.baseAddress! + index).initialize(to: nil)
        return change
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
}
