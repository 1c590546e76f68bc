import Dispatch
import Domain
import Log
import Posix

#if canImport(Glibc)
import Glibc
#endif

/// Start-up replay of the log segments into fresh indexes (SPEC §6).
///
/// Zeros after the last record end a segment (its preallocated space). A torn or corrupt
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
            indexes = try Snapshot.load(path, interning: &interner)
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
                       lastSegmentBytes: lastBytes)
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
            // Zeros to the end: the preallocated space after the last record (or pages the
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

    /// Checks every record, decodes the bodies on all cores, then applies them in log order
    /// up to the first record that is damaged or does not decode.
    private mutating func replayRecords(_ raw: UnsafeRawBufferPointer, into indexes: inout EventIndexes) -> (goodEnd: Int, damage: LogReader.Damage?) {
        var bodies: [Range<Int>] = []
        let scanned = LogReader.scan(raw) { _, body in
            let start = body.baseAddress.map { $0 - raw.baseAddress! } ?? 0  // safe because: body is a slice of raw
            bodies.append(start..<(start + body.count))
            return true
        }
        // Windows keep the decoded-but-not-yet-interned objects few, so their memory is reused;
        // the first is small, so that the decoder knows the log's objects early (each one it
        // misses costs a hash of the object's content in the sequential part). From the second
        // on, the next window decodes on the other threads while this one is applied.
        var windows: [Range<Int>] = []
        var next = 0
        while next < bodies.count {
            windows.append(next..<min(bodies.count, next + (next == 0 ? 1024 : 16_384)))
            next = windows[windows.count - 1].upperBound
        }
        var decoder = coding.replayDecoder(reusing: interner.allObjects, sets: interner.allSets)
        var decoderObjects = (interner.objectCount, interner.setCount)
        var running: WindowDecoding?
        for (number, window) in windows.enumerated() {
            if (interner.objectCount, interner.setCount) != decoderObjects {  // new ones since: let the decoder reuse them too
                decoder = coding.replayDecoder(reusing: interner.allObjects, sets: interner.allSets)
                decoderObjects = (interner.objectCount, interner.setCount)
            }
            let changes = running?.wait() ?? Self.decodeInParallel(raw, Array(bodies[window]), decoder, interner)
            running = nil
            if number > 0 && number + 1 < windows.count {
                running = WindowDecoding(raw, Array(bodies[windows[number + 1]]), decoder, interner)
            }
            for (offset, change) in changes.enumerated() {
                let index = window.lowerBound + offset
                guard let change else {
                    _ = running?.wait()  // it reads `raw`, which the caller unmaps after this returns
                    let at = bodies[index].lowerBound - WriteAheadLog.recordHeaderSize
                    let follows = index + 1 < bodies.count || LogReader.anyValidRecord(raw, after: at)
                    return (at, LogReader.Damage(offset: at, reason: "record body does not decode", validRecordFollows: follows))
                }
                apply(change, to: &indexes)
            }
        }
        return scanned
    }

    /// Decodes `bodies` on all cores, replacing referred objects with the instances `known`
    /// (a frozen copy of the interner) holds, so the duplicates are freed in parallel too.
    fileprivate static func decodeInParallel(
        _ raw: UnsafeRawBufferPointer, _ bodies: [Range<Int>], _ decode: @Sendable (UnsafeRawBufferPointer) -> StoreChange?, _ known: Interner
    ) -> [StoreChange?] {
        let results = UnsafeMutableBufferPointer<StoreChange?>.allocate(capacity: bodies.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let shared = DecodeBuffers(raw: raw, results: results)
        let chunks = max(1, min(64, bodies.count / 1024))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for i in (bodies.count * chunk / chunks)..<(bodies.count * (chunk + 1) / chunks) {
                var change = decode(UnsafeRawBufferPointer(rebasing: shared.raw[bodies[i]]))
                switch change {
                case .created(let event)?: change = .created(known.lookup(event))
                case .cancelled(let id, let at, let by)?: change = .cancelled(id: id, at: at, by: known.lookup(by))
                case nil: break
                }
                shared.results[i] = change  // own slot only
            }
        }
        return Array(results)
    }

    private mutating func apply(_ change: StoreChange, to indexes: inout EventIndexes) {
        switch change {
        case .created(let event):
            if indexes.event(id: event.id) == nil && event.number >= indexes.nextNumber {
                indexes.insert(interner.intern(event))
            }
        case .cancelled(let id, let at, let user):
            if let event = indexes.event(id: id), case .success(let cancelled) = event.cancelled(now: at, by: interner.intern(user)) {
                indexes.replace(cancelled)
            }
        }
    }

    private func cutTail(path: String, bytes: [UInt8], at damage: LogReader.Damage) throws(StoreError) {
        logger.warn("torn log tail cut", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason),
                                          ("dropped_bytes", String(bytes.count - damage.offset))])
        do {
            try writeCopy(bytes, to: path + ".broken")
            let fd = try FileDescriptor.open(path, O_WRONLY)
            defer { fd.close() }
            try fd.truncate(to: Int64(damage.offset))
            try fd.sync()
        } catch {
            throw StoreError("cannot cut the torn tail of \(path) at offset \(damage.offset): \(error)")
        }
    }

    /// Keeps the valid records of a damaged segment (skipping damaged spans) and rewrites it.
    private mutating func repairSegment(path: String, bytes: [UInt8], from damage: LogReader.Damage, into indexes: inout EventIndexes) throws(StoreError) -> UInt64 {
        logger.warn("repairing corrupt log segment", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason)])
        var kept = Array(bytes[..<damage.offset])
        var offset = damage.offset
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                if case .valid(let end) = LogReader.check(raw, at: offset),
                    let change = coding.decode(UnsafeRawBufferPointer(rebasing: raw[(offset + WriteAheadLog.recordHeaderSize)..<end]))
                {
                    apply(change, to: &indexes)
                    kept.append(contentsOf: raw[offset..<end])
                    offset = end
                } else {
                    offset += 1
                }
            }
        }
        do {
            try writeCopy(bytes, to: path + ".broken")
            try writeCopy(kept, to: path + ".repair")
            try FileSystem.rename(path + ".repair", to: path)
            try FileSystem.syncDirectory(directory)
        } catch {
            throw StoreError("cannot repair \(path): \(error)")
        }
        return UInt64(kept.count)
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
    private var changes: [StoreChange?] = []
    private let done = DispatchSemaphore(value: 0)

    /// Starts decoding `bodies` of `raw` (which must stay mapped until `wait` returns).
    init(_ raw: UnsafeRawBufferPointer, _ bodies: [Range<Int>], _ decode: @escaping @Sendable (UnsafeRawBufferPointer) -> StoreChange?,
         _ known: Interner) {
        self.raw = raw
        DispatchQueue.global().async {
            self.changes = Recovery.decodeInParallel(self.raw, bodies, decode, known)
            self.done.signal()
        }
    }

    /// The decoded changes, once ready.
    func wait() -> [StoreChange?] {
        done.wait()
        return changes
    }
}

/// Buffers shared by the decoding workers: read-only input, one result slot per record.
private struct DecodeBuffers: @unchecked Sendable {  // safe because: input is read-only and each worker writes only its own slots
    let raw: UnsafeRawBufferPointer
    let results: UnsafeMutableBufferPointer<StoreChange?>
}
