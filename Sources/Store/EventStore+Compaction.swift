import Dispatch
import Log
import Posix
import Synchronization

extension EventStore {
    /// Starts a compaction in the background when the log outgrew max(threshold, last snapshot).
    func compactIfDue() {
        guard wal.logBytes > compactionLimit, compacting.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        compactionQueue.async { self.compact() }
    }

    /// Writes a snapshot of the current events while writes go on, then removes the log
    /// segments it covers; when that freed log bytes, starts again if the log outgrew the
    /// limit meanwhile (nothing else would until the next write). Runs on `compactionQueue`.
    public func compact() {
        let freed = snapshotAndTrim()
        compacting.store(false, ordering: .relaxed)
        if freed { compactIfDue() }
    }

    /// One compaction; true when it removed log bytes (false when the snapshot could not be
    /// written, or no segment could be removed).
    private func snapshotAndTrim() -> Bool {
        let started = monotonicMilliseconds()
        // Under the lock: the events and the segment boundary agree (later records go to the
        // new segment), and the blocks cancels touched since the last snapshot are taken over.
        // The log table goes along: records still being written may land after the boundary
        // and use its numbers.
        let (events, covered, dirty, log) = state.withLock { state in
            defer { state.dirtyBlocks.removeAll() }
            return (state.indexes.events, wal.rotate(), state.dirtyBlocks, (state.log.objects, state.log.sets))
        }
        let base = snapshotBase.withLock { $0 }
        do throws(Errno) {
            let (bytes, next) = try Snapshot.write(events, covering: covered, directory: directory, base: base, dirty: dirty, log: log)
            snapshotBase.withLock { $0 = next }
            let removed = removeSegments(upTo: covered)
            wal.segmentsRemoved(bytes: removed)
            lastSnapshotBytes.store(bytes, ordering: .relaxed)
            logger.info("compaction", [("events", String(events.count)), ("snapshot_bytes", String(bytes)),
                                      ("removed_log_bytes", String(removed)), ("ms", String(monotonicMilliseconds() - started))])
            return removed > 0
        } catch {
            snapshotBase.withLock { $0 = nil }  // the dirty blocks were taken: the next snapshot encodes everything
            logger.error("compaction failed; the log keeps growing", [("error", error.description)])
            return false
        }
    }

    /// Deletes the segments up to `covered` and older snapshots; returns the bytes freed from the log.
    private func removeSegments(upTo covered: UInt64) -> UInt64 {
        let names = (try? FileSystem.listDirectory(directory)) ?? []
        var freed: UInt64 = 0
        for sequence in Recovery.numbered(names, prefix: "wal-", suffix: ".log") where sequence <= covered {
            let path = WriteAheadLog.segmentPath(directory, sequence)
            freed += UInt64(FileSystem.fileSize(path) ?? 0)
            try? FileSystem.unlink(path)
        }
        for sequence in Recovery.numbered(names, prefix: "snapshot-", suffix: ".snap") where sequence < covered {
            try? FileSystem.unlink(Snapshot.path(directory, sequence))
        }
        try? FileSystem.syncDirectory(directory)
        return freed
    }
}
