import Dispatch
import Domain
import Foundation
import Glibc
import Posix
import Store
import Synchronization
import Testing
import TestSupport

/// The path a descriptor refers to.
func path(of fd: FileDescriptor) -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd.rawValue)")) ?? ""
}

/// Serialised: the hooks are process-wide (each hook only acts on its own test's directory).
@Suite(.serialized) struct FaultInjectionTests {
    @Test("power loss with --fsync always: every acknowledged event is in the synced bytes")
    func powerLoss() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir); PosixMocking.install(.init()) }
        // Zeros are written ahead of the records: what a sync makes durable is the records written before it.
        let written = Locked<[String: Int64]>([:])
        let synced = Locked<[String: Int64]>([:])
        var hooks = PosixMocking.Hooks()
        hooks.afterWrite = { fd, end in
            let p = path(of: fd)
            guard p.hasPrefix(dir) else { return }
            written.withLock { $0[p] = max($0[p] ?? 0, end) }
        }
        hooks.afterSync = { fd in
            let p = path(of: fd)
            guard p.hasPrefix(dir) else { return }
            let end = written.withLock { $0[p] ?? 0 }
            synced.withLock { $0[p] = end }
        }
        PosixMocking.install(hooks)
        let store = try openStore(dir)
        let acked = Locked<[CustomerEvent]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<40 {
                if case .success(let e) = createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "p\(t)-\(i)")) {
                    acked.withLock { $0.append(e) }
                }
            }
        }
        // Power loss: copy the data dir, keeping of each log file only what was synced (the
        // rest of the file reads as zeros).
        let copy = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(copy) }
        for name in try FileSystem.listDirectory(dir) where name.hasPrefix("wal-") {
            let bytes = try FileSystem.readAll(dir + "/" + name)
            let keep = Int(synced.withLock { $0[dir + "/" + name] } ?? 0)
            #expect(keep > 0 && keep < bytes.count, "the synced extent is measured, not the zero-filled size")
            let survivor = Array(bytes.prefix(keep)) + Array(repeating: 0, count: bytes.count - keep)
            try Data(survivor).write(to: URL(fileURLWithPath: copy + "/" + name))
        }
        store.close()
        PosixMocking.install(.init())
        let recovered = try openStore(copy)
        defer { recovered.close() }
        for event in acked.withLock({ $0 }) {
            #expect(try recovered.find(CustomerEventIdentifier(id: event.id.description)).get() == event)
        }
        #expect(acked.withLock { $0.count } == 320)
    }

    @Test("under --fsync never, a segment is synced before the next one is first written (its records use the older one's numbers)")
    func rolloverSyncsUnderNever() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir); PosixMocking.install(.init()) }
        // In order: (segment path, "write" or "sync", end written so far).
        let trace = Locked<[(path: String, kind: String, end: Int64)]>([])
        let written = Locked<[String: Int64]>([:])
        var hooks = PosixMocking.Hooks()
        hooks.afterWrite = { fd, end in
            let p = path(of: fd)
            guard p.hasPrefix(dir + "/wal-") else { return }
            let top = written.withLock { $0[p] = max($0[p] ?? 0, end); return $0[p]! }
            trace.withLock { $0.append((p, "write", top)) }
        }
        hooks.afterSync = { fd in
            let p = path(of: fd)
            guard p.hasPrefix(dir + "/wal-") else { return }
            let top = written.withLock { $0[p] ?? 0 }
            trace.withLock { $0.append((p, "sync", top)) }
        }
        PosixMocking.install(hooks)
        let store = try openStore(dir, fsync: .never, segmentLimit: 2048)
        for i in 0..<150 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "n\(i)")).get() }
        PosixMocking.install(.init())
        store.close()
        let events = trace.withLock { $0 }
        let segments = files(dir, prefix: "wal-").map { dir + "/" + $0 }
        #expect(segments.count >= 3)
        for (older, newer) in zip(segments, segments.dropFirst()) {
            guard let firstWrite = events.firstIndex(where: { $0.path == newer && $0.kind == "write" }) else {
                Issue.record("no write to \(newer)")
                continue
            }
            let finalSize = Int64(FileSystem.fileSize(older) ?? -1)
            let synced = events[..<firstWrite].contains { $0.path == older && $0.kind == "sync" && $0.end >= finalSize }
            #expect(synced, "\(older) was not synced whole before \(newer) was written")
        }
        let reopened = try openStore(dir)
        defer { reopened.close() }
        #expect(reopened.count == 150)
    }

    @Test("a failed fdatasync is fatal: the write is never acknowledged and the sync never retried")
    func failedSync() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir); PosixMocking.install(.init()) }
        let syncAttempts = Atomic<Int>(0)
        let fatal = Locked<String?>(nil)
        let store = try EventStore(StoreConfiguration(directory: dir, fsync: .always), coding: TestCoding(), onFatal: { message in
            fatal.withLock { $0 = message }
            while true { sleep(1000) }  // a real server exits here; the test only parks this thread
        })
        _ = try createAndWait(store, TestCoding.event()).get()
        var hooks = PosixMocking.Hooks()
        hooks.beforeSync = { fd in
            guard path(of: fd).hasPrefix(dir + "/wal-") else { return .proceed }
            syncAttempts.wrappingAdd(1, ordering: .relaxed)
            return .fail(Errno(rawValue: EIO))
        }
        PosixMocking.install(hooks)
        let acked = Atomic<Bool>(false)
        // On other threads: a small batch is synced by its leader, whose thread onFatal parks.
        DispatchQueue.global().async { store.create(TestCoding.event()) { _ in acked.store(true, ordering: .relaxed) } }
        DispatchQueue.global().async { store.create(TestCoding.event()) { _ in acked.store(true, ordering: .relaxed) } }
        let deadline = Date().addingTimeInterval(5)
        while fatal.withLock({ $0 }) == nil && Date() < deadline { usleep(1000) }
        usleep(50_000)
        #expect(fatal.withLock { $0 }?.contains("fdatasync") == true)
        let wasAcked = acked.load(ordering: .relaxed)
        let attempts = syncAttempts.load(ordering: .relaxed)
        #expect(!wasAcked)
        #expect(attempts == 1)
    }

    @Test("--fsync always: the sync after one that answered 3 calls waits for those callers' next 3 calls (one sync, not two)")
    func committerWaitsForAnsweredCallers() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir); PosixMocking.install(.init()) }
        let syncs = Atomic<Int>(0)
        var hooks = PosixMocking.Hooks()
        // A slow disk: 200 ms per sync, far above the callers' delays even on a loaded machine under TSan.
        hooks.beforeSync = { fd in
            if path(of: fd).hasPrefix(dir) && path(of: fd).hasSuffix(".log") { usleep(200_000) }
            return .proceed
        }
        hooks.afterSync = { fd in
            if path(of: fd).hasPrefix(dir) && path(of: fd).hasSuffix(".log") { syncs.add(1, ordering: .relaxed) }
        }
        PosixMocking.install(hooks)
        let log = try WriteAheadLog(directory: dir, sequence: 1, policy: .always, cohortWaitMicros: 1_000_000, onFatal: { fatalError($0) })
        let answered = DispatchSemaphore(value: 0)
        // One record for three calls: more than a leader syncs itself, so the committer syncs it.
        let duty = log.fill(log.reserve(), record: WriteAheadLog.frameRecord { $0.append(1) }, calls: 3) {
            // Once answered, the three callers send their next calls 1, 3 and 5 ms later, each
            // from a thread of its own (Dispatch's shared pool may be busy with other suites).
            for delay in [1_000, 3_000, 5_000] as [UInt32] {
                Thread.detachNewThread {
                    usleep(delay)
                    if case .lead = log.append({ $0.append(2) }, onDurable: { answered.signal() }) { log.lead() }
                }
            }
        }
        if case .lead = duty { log.lead() }
        for _ in 0..<3 { answered.wait() }
        // Without the wait: the first straggler's own sync, then one for the other two.
        #expect(syncs.load(ordering: .relaxed) == 2)
        log.close()
    }
}
