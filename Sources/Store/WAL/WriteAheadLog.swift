import Dispatch
import Log
import Posix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The append side of the write-ahead log: segment files of checksummed records, written
/// and synced by one committer with group commit.
///
/// `append` may be called from any thread; log order is ticket order (`reserve` under the
/// store's lock, `fill` after it), so it is store order. Records appended while a commit
/// writes or syncs form the next batch: concurrent writers share one write(2) and one
/// fdatasync(2), with no artificial delay. The appender that finds no commit running
/// leads (`lead()`, at once or at the end of its event loop's round) and writes the batch
/// itself, saving two thread hops per call; under `--fsync always` only a small batch is
/// synced by the leader, a larger one by the committer queue while the leader serves on.
/// Under `always` the committer waits, before its next sync, for the callers it just answered
/// (`awaitCohort`).
/// `onDurable` runs once the record is durable under the policy; keep it short. File
/// fields are touched only by the one committer at a time, under `files`.
public final class WriteAheadLog: @unchecked Sendable {  // safe because: `state` is Locked; file fields only under `files`
    /// Record layout: u32 LE body length, u32 LE masked CRC-32C of type+body, u8 type, body.
    public static let recordHeaderSize = 9
    /// Record type of a `StoreChange` body.
    public static let changeRecord: UInt8 = 1
    /// Record type of a `LogDefinition` body.
    public static let definitionRecord: UInt8 = 2

    private struct State {
        var pending: [UInt8] = []
        var waiters: [@Sendable () -> Void] = []
        /// Calls (creates, cancels) whose records are in `pending`: a waiter may stand for many.
        var pendingCalls = 0
        var committing = false
        /// Pending calls the committer waits for before its next sync (0: it is not waiting).
        var cohortTarget = 0
        /// Log order is ticket order: the next ticket to hand out, the next one `pending` takes,
        /// and the records filled ahead of an earlier ticket, waiting for it.
        var nextTicket: UInt64 = 0
        var nextToFill: UInt64 = 0
        var parked: [UInt64: (record: [UInt8], calls: Int, waiter: @Sendable () -> Void)] = [:]

        /// Ends the running commit when nothing is pending; false when something is.
        mutating func endCommitIfIdle() -> Bool {
            guard pending.isEmpty && waiters.isEmpty else { return false }
            committing = false
            return true
        }
    }

    /// A place in log order, taken under the caller's lock and filled later (outside it).
    public struct Ticket: Sendable {
        fileprivate let sequence: UInt64
    }

    private let state = Locked(State())
    /// Held by whoever touches the segment: the committer, rotate, close, the interval timer.
    private let files = Locked(0)  // an Int, not (): a zero-sized value would share its address with the mutex field, which confuses TSan
    private let commitQueue = DispatchQueue(label: "wal.commit", qos: .userInitiated)
    /// Signalled by the fill that brings `pendingCalls` to `cohortTarget`.
    private let cohortArrived = DispatchSemaphore(value: 0)
    private let cohortWaitMicros: Int
    private let directory: String
    private let policy: FsyncPolicy
    private let segmentLimit: Int64
    private let logger = Logger(label: "wal")
    private let onFatal: @Sendable (String) -> Never
    private var segment: FileDescriptor
    private var segmentSequence: UInt64
    private var segmentBytes: Int64
    /// Where the zeros written ahead of the records end (the file's size while filling ahead).
    private var zeroedBytes: Int64 = 0
    /// False once writing zeros failed (a full disk, say): records then just extend the file.
    private var fillingAhead = true
    /// Zeros are written this far ahead of the records at a time (more for a larger batch).
    private static let fillStep: Int64 = 256 << 10
    /// Where the records whose writeback has not been started begin (`writeBehind`).
    private var writebackFrom: Int64 = 0
    /// Under `never` and `interval`, writeback of the records is started each time this many
    /// bytes were written since the last start.
    private static let writebackStep: Int64 = 1 << 20
    private var spare: [UInt8] = []
    private var dirty = false
    /// The previous segment, closed with records not yet synced (see `openNextSegment`).
    private var closedUnsynced: FileDescriptor?
    /// A new segment's directory entry is not yet durable: sync the directory before the
    /// next acknowledgement (kept out of `rotate`, which runs under the store's lock).
    private var directoryDirty = false
    private var timer: (any DispatchSourceTimer)?
    private let bytesOnDisk: Atomic<UInt64>
    private let lastSyncMicros = Atomic<UInt64>(0)

    /// Opens (or creates) segment `sequence` in `directory` for appending at its end.
    ///
    /// Zeros are written ahead of the records, 256 KiB at a time, as PostgreSQL zero-fills its
    /// WAL segments: a record then overwrites blocks that are already allocated and written,
    /// so its fdatasync flushes data only. (With space that is only reserved, as fallocate
    /// gives, every sync also converts the extents it touched: 140 µs instead of 80 µs for a
    /// 12 KB batch here; the same for a lone record.) The zeros after the last record are
    /// the end of the log to recovery; a segment is cut to its records when the next one
    /// starts and at close.
    /// - Parameters:
    ///   - priorBytes: bytes in older segments still on disk (for `logBytes`).
    ///   - validBytes: where the records of an existing segment end (from recovery); nil:
    ///     the file's size.
    ///   - cohortWaitMicros: under `always`, the longest the committer waits for the callers it
    ///     just answered before its next sync (never longer than the last sync took); 0: no wait.
    ///   - onFatal: called when a write or sync fails; it must end the process (never retry an fsync).
    public init(
        directory: String, sequence: UInt64, policy: FsyncPolicy, segmentLimit: Int64 = 64 << 20, priorBytes: UInt64 = 0,
        validBytes: Int64? = nil, cohortWaitMicros: Int = 150, onFatal: @escaping @Sendable (String) -> Never
    ) throws(StoreError) {
        self.directory = directory
        self.cohortWaitMicros = cohortWaitMicros
        self.policy = policy
        self.segmentLimit = segmentLimit
        self.onFatal = onFatal
        self.segmentSequence = sequence
        do {
            let path = Self.segmentPath(directory, sequence)
            let existed = FileSystem.exists(path)
            segment = try FileDescriptor.open(path, O_WRONLY | O_CREAT)
            segmentBytes = existed ? try validBytes ?? segment.size() : 0
            writebackFrom = segmentBytes
            zeroedBytes = existed ? try segment.size() : 0  // recovery left only zeros after the records
            if !existed { try FileSystem.syncDirectory(directory) }
        } catch {
            throw StoreError("cannot open log segment in \(directory): \(error)")
        }
        bytesOnDisk = Atomic(priorBytes + UInt64(segmentBytes))
        if case .interval(let ms) = policy { startTimer(ms) }
    }

    /// Path of segment `sequence`: `wal-<20 digits>.log`.
    public static func segmentPath(_ directory: String, _ sequence: UInt64) -> String {
        let digits = String(sequence)
        return "\(directory)/wal-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).log"
    }

    /// Bytes of log on disk (all live segments).
    public var logBytes: UInt64 { bytesOnDisk.load(ordering: .relaxed) }
    /// Duration of the last fdatasync in µs.
    public var lastFsyncMicros: UInt64 { lastSyncMicros.load(ordering: .relaxed) }

    /// What an appender must do after releasing its own locks.
    public enum Duty: Sendable {
        /// Nothing: a commit is under way and will include this record.
        case none
        /// Call `lead()`: this appender writes the batch itself.
        case lead
    }

    /// Appends one record whose body `encodeBody` writes; `onDurable` runs once it is durable.
    /// - Returns: `.lead` when the caller must call `lead()` once it holds no other lock.
    @discardableResult
    public func append(type: UInt8 = changeRecord, _ encodeBody: (inout [UInt8]) -> Void,
                       onDurable: @escaping @Sendable () -> Void) -> Duty {
        fill(reserve(), record: Self.frameRecord(type: type, encodeBody), onDurable: onDurable)
    }

    /// Runs `callback` once everything appended (or reserved) so far is durable.
    /// - Returns: `.lead` when the caller must call `lead()` once it holds no other lock.
    @discardableResult
    public func whenDurable(_ callback: @escaping @Sendable () -> Void) -> Duty {
        fill(reserve(), record: [], onDurable: callback)
    }

    /// Takes the next place in log order. Call it under the lock that orders the changes,
    /// then `fill` it outside (encoding need not hold that lock); every ticket must be filled,
    /// since the records after it wait for it.
    public func reserve() -> Ticket {
        state.withLock { state in
            defer { state.nextTicket += 1 }
            return Ticket(sequence: state.nextTicket)
        }
    }

    /// Fills `ticket` with `record` (framed by `frameRecord`; empty for none) and `onDurable`;
    /// `calls` is how many calls wait on it (a batch of creates is one waiter for many).
    /// - Returns: `.lead` when the caller must call `lead()` once it holds no other lock.
    @discardableResult
    public func fill(_ ticket: Ticket, record: [UInt8], calls: Int = 1, onDurable: @escaping @Sendable () -> Void) -> Duty {
        let startCommit = state.withLock { state -> Bool in
            guard ticket.sequence == state.nextToFill else {
                state.parked[ticket.sequence] = (record, calls, onDurable)
                return false
            }
            state.pending.append(contentsOf: record)
            state.waiters.append(onDurable)
            state.pendingCalls += calls
            state.nextToFill += 1
            while let next = state.parked.removeValue(forKey: state.nextToFill) {
                state.pending.append(contentsOf: next.record)
                state.waiters.append(next.waiter)
                state.pendingCalls += next.calls
                state.nextToFill += 1
            }
            if state.cohortTarget > 0 && state.pendingCalls >= state.cohortTarget {
                state.cohortTarget = 0
                cohortArrived.signal()
            }
            return Self.startCommit(&state)
        }
        return startCommit ? .lead : .none
    }

    /// Marks a commit as running unless one is; true when the caller must start it.
    private static func startCommit(_ state: inout State) -> Bool {
        guard !state.committing else { return false }
        state.committing = true
        return true
    }

    /// One framed record (header and body) whose body `encodeBody` writes, for `fill`.
    public static func frameRecord(type: UInt8 = changeRecord, _ encodeBody: (inout [UInt8]) -> Void) -> [UInt8] {
        var record: [UInt8] = []
        appendRecord(type: type, to: &record, encodeBody)
        return record
    }

    /// Under `always`, a batch of at most this many calls and `inlineSyncBytes` is synced
    /// by the leader itself (no hand-off: the lowest latency for a lone writer); a larger
    /// one (a bulk call's records, many writers) goes to the committer queue, so the leader
    /// (an event loop) serves on while the disk syncs.
    private static let inlineSyncLimit = 2
    private static let inlineSyncBytes = 64 << 10

    /// Writes the pending batch on the caller's thread and runs its waiters there (under
    /// `always`, only a small batch (`inlineSyncLimit`); a larger one is handed
    /// to the committer queue); more records arriving meanwhile go to the committer queue.
    /// Call only after `.lead`.
    public func lead() {
        if policy == .always
            && state.withLock({ $0.pendingCalls > Self.inlineSyncLimit || $0.pending.count > Self.inlineSyncBytes })
        {
            commitQueue.async { self.commitLoop() }
            return
        }
        if commitBatch() == nil { return }
        // Records that came in meanwhile go to the committer queue; none (the usual case on an
        // event loop, which wrote its round's records): the commit ends here, with no thread
        // woken for nothing.
        if endCommitIfIdle() { return }
        commitQueue.async { self.commitLoop() }
    }

    /// Ends the running commit when nothing is pending; false when something is.
    private func endCommitIfIdle() -> Bool {
        state.withLock { $0.endCommitIfIdle() }
    }

    /// Writes one framed record to `out`.
    static func appendRecord(type: UInt8, to out: inout [UInt8], _ encodeBody: (inout [UInt8]) -> Void) {
        let start = startRecord(type: type, in: &out)
        encodeBody(&out)
        finishRecord(at: start, in: &out)
    }

    /// Starts a framed record on `out`: its body goes after, then `finishRecord(at:in:)` with
    /// the offset returned (`appendRecord` without a closure, which copies what it captures).
    static func startRecord(type: UInt8, in out: inout [UInt8]) -> Int {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: recordHeaderSize))
        out[start + 8] = type
        return start
    }

    /// Frames the record started at `start`: its length and checksum.
    static func finishRecord(at start: Int, in out: inout [UInt8]) {
        let bodyLength = UInt32(truncatingIfNeeded: out.count - start - recordHeaderSize)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        storeLittleEndian(bodyLength, in: &out, at: start)
        storeLittleEndian(CRC32C.mask(crc), in: &out, at: start + 4)
    }

    /// Syncs and closes the current segment (at shutdown). Appends after this are lost.
    public func close() {
        commitQueue.sync {
            timer?.cancel()
            while commitBatch() != nil {}
            files.withLock { _ in
                syncClosedSegment()
                do throws(Errno) {
                    try segment.truncate(to: segmentBytes)  // the zeros written ahead
                    try segment.sync()
                } catch { onFatal("fsync failed at close: \(error)") }
                if directoryDirty { syncDirectory() }
                segment.close()
            }
        }
    }

    /// Starts a new segment and returns the sequence number of the one it closed (for
    /// compaction: everything in segments up to it is covered by a snapshot taken after).
    public func rotate() -> UInt64 {
        files.withLock { _ in
            let closed = segmentSequence
            openNextSegment()
            return closed
        }
    }

    /// Forgets `bytes` of deleted segments in `logBytes`.
    public func segmentsRemoved(bytes: UInt64) {
        bytesOnDisk.wrappingSubtract(bytes, ordering: .relaxed)
    }

    private func commitLoop() {
        dispatchPrecondition(condition: .onQueue(commitQueue))
        while let answered = commitBatch() {
            if policy == .always { awaitCohort(answered) }
        }
    }

    /// Before the next sync: waits until as many calls are pending as the last sync answered,
    /// for at most `cohortWaitMicros` and never longer than that sync took.
    ///
    /// Callers that send their next call once answered would otherwise split into two cohorts:
    /// those answered by one sync send while the next one runs, so it holds only the others,
    /// and each sync is about half full (measured at 50 callers × 1 in flight: 18 calls per
    /// sync). Waiting for them (as PostgreSQL's `commit_delay` does) fills each sync (24–25
    /// calls there): 7–10 % more calls/s and 3–9 % less CPU per call, and no measurable change
    /// at 1, 4, 8 and 50 × 16 callers. A commit waits at most 150 µs longer, and never more
    /// than the last sync took.
    private func awaitCohort(_ answered: Int) {
        let limit = min(Int(lastSyncMicros.load(ordering: .relaxed)), cohortWaitMicros)
        let waiting = state.withLock { state -> Bool in
            guard limit > 0, state.pendingCalls < answered else { return false }
            state.cohortTarget = answered
            return true
        }
        guard waiting, cohortArrived.wait(timeout: .now() + .microseconds(limit)) == .timedOut else { return }
        let signalled = state.withLock { state -> Bool in
            defer { state.cohortTarget = 0 }
            return state.cohortTarget == 0
        }
        if signalled { cohortArrived.wait() }  // the signal came after the timeout: take it back
    }

    /// Commits one batch; returns how many calls it answered, nil (ending the commit) when
    /// there was nothing to do.
    private func commitBatch() -> Int? {
        var calls = 0
        let done: [@Sendable () -> Void]? = files.withLock { _ in
            var batch = spare
            batch.removeAll(keepingCapacity: true)
            let waiters: [@Sendable () -> Void]? = state.withLock { state in
                if state.endCommitIfIdle() { return nil }
                swap(&batch, &state.pending)
                calls = state.pendingCalls
                state.pendingCalls = 0
                defer { state.waiters.removeAll(keepingCapacity: true) }
                return state.waiters
            }
            guard let waiters else { return nil }
            if !batch.isEmpty { write(batch) }
            if policy == .always && (dirty || !batch.isEmpty) { sync() }
            if directoryDirty { syncDirectory() }
            spare = batch
            return waiters
        }
        guard let done else { return nil }
        for waiter in done { waiter() }  // outside `files`: a waiter may append again
        return calls
    }

    private func write(_ batch: [UInt8]) {
        if segmentBytes > 0 && segmentBytes + Int64(batch.count) > segmentLimit { openNextSegment() }
        syncClosedSegment()
        let end = segmentBytes + Int64(batch.count)
        do throws(Errno) {
            try segment.writeAll(batch, at: segmentBytes)
        } catch {
            onFatal("write to log segment \(segmentSequence) failed: \(error)")
        }
        segmentBytes = end
        bytesOnDisk.wrappingAdd(UInt64(batch.count), ordering: .relaxed)
        dirty = true
        fillAhead(after: end, batch: Int64(batch.count))
        writeBehind()
    }

    /// Under `never` and `interval`, starts writing each MiB of records to the device as it
    /// fills (as RocksDB's `bytes_per_sync`), without waiting. Otherwise a whole 64 MiB segment
    /// stayed dirty until its sync at the next segment's first write: 35 ms on this disk, with
    /// both event loops waiting on the log, every 2 s at 50 × 16 (the p99.9 of 41 ms).
    /// Under `always` every batch is synced anyway. A failure only skips the head start.
    private func writeBehind() {
        guard policy != .always, segmentBytes - writebackFrom >= Self.writebackStep else { return }
        try? segment.startWriteback(at: writebackFrom, count: segmentBytes - writebackFrom)
        writebackFrom = segmentBytes
    }

    /// Writes the next step of zeros when the records came within half a step of their end;
    /// the same sync makes them durable (one slower sync per step, instead of every sync
    /// updating the extents). A failure only stops the filling: the records are written.
    private func fillAhead(after end: Int64, batch: Int64) {
        let from = max(zeroedBytes, end)
        let step = min(max(Self.fillStep, 2 * batch), segmentLimit - from)  // not past the segment's size
        guard fillingAhead, zeroedBytes - end < Self.fillStep / 2, step > 0 else { return }
        do throws(Errno) {
            try segment.writeZeros(count: Int(step), at: from)
            zeroedBytes = from + step
        } catch {
            fillingAhead = false
            logger.warn("cannot write zeros ahead of the log; records extend the file", [("error", error.description)])
        }
    }

    private func sync() {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        do throws(Errno) {
            try segment.dataSync()
        } catch {
            onFatal("fdatasync of log segment \(segmentSequence) failed: \(error)")
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let micros = UInt64(max(0, (end.tv_sec - start.tv_sec) * 1_000_000 + (end.tv_nsec - start.tv_nsec) / 1000))
        lastSyncMicros.store(micros, ordering: .relaxed)
        if micros > 100_000 { logger.warn("slow fsync", [("duration_ms", String(micros / 1000))]) }
        dirty = false
    }

    /// Starts the next segment. A segment's records use numbers defined in the segments
    /// before it, so none of them may reach the disk before those do: an old segment with
    /// unsynced records (under `interval` and `never`) stays open until `syncClosedSegment`
    /// syncs it, before the first write to the next one (not here: `rotate` runs under the
    /// store's lock, and that sync may flush megabytes).
    private func openNextSegment() {
        try? segment.truncate(to: segmentBytes)  // the zeros written ahead
        if dirty {
            syncClosedSegment()  // one closed segment at a time
            closedUnsynced = segment
            dirty = false
        } else {
            segment.close()
        }
        segmentSequence += 1
        do {
            segment = try FileDescriptor.open(Self.segmentPath(directory, segmentSequence), O_WRONLY | O_CREAT)
        } catch {
            onFatal("cannot start log segment \(segmentSequence): \(error)")
        }
        zeroedBytes = 0
        fillingAhead = true
        directoryDirty = true
        segmentBytes = 0
        writebackFrom = 0
    }

    /// Syncs and closes the previous segment when it was closed with unsynced records.
    private func syncClosedSegment() {
        guard let closed = closedUnsynced else { return }
        do throws(Errno) { try closed.dataSync() } catch {
            onFatal("fdatasync of log segment \(segmentSequence - 1) failed: \(error)")
        }
        closed.close()
        closedUnsynced = nil
    }

    private func syncDirectory() {
        do throws(Errno) { try FileSystem.syncDirectory(directory) } catch {
            onFatal("fsync of data dir \(directory) failed: \(error)")
        }
        directoryDirty = false
    }

    private func startTimer(_ milliseconds: Int) {
        let source = DispatchSource.makeTimerSource(queue: commitQueue)
        source.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
        source.setEventHandler { [unowned self] in
            files.withLock { _ in
                self.syncClosedSegment()
                if self.dirty { self.sync() }
            }
        }
        source.resume()
        timer = source
    }
}

/// Stores `value` little-endian at `offset`.
@inline(__always)
func storeLittleEndian(_ value: UInt32, in out: inout [UInt8], at offset: Int) {
    out[offset] = UInt8(truncatingIfNeeded: value)
    out[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    out[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
    out[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
}

/// Reads a little-endian u32 at `offset`; the caller guarantees 4 bytes.
@inline(__always)
func loadLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
}
