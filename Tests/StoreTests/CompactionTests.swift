import Dispatch
import Domain
import Foundation
import Posix
import Store
import Synchronization
import Testing
import TestSupport

/// Opens a store that compacts past `threshold` log bytes.
func openCompactingStore(_ directory: String, threshold: Int64, segmentLimit: Int64 = 64 << 20) throws -> EventStore {
    try EventStore(StoreConfiguration(directory: directory, segmentLimit: segmentLimit, compactionThreshold: threshold), coding: TestCoding(),
                   onFatal: { fatalError("storage failure in test: \($0)") })
}

func files(_ dir: String, prefix: String) -> [String] {
    ((try? FileSystem.listDirectory(dir)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
}

@Suite struct CompactionTests {
    @Test("past the threshold a snapshot replaces the covered segments; a restart loads it plus the newer log")
    func compactsAndRestarts() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var created: [CustomerEvent] = []
        do {
            let store = try openCompactingStore(dir, threshold: 4096)
            for i in 0..<300 { created.append(try createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "c\(i)")).get()) }
            store.compact()
            for i in 300..<310 { created.append(try createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "c\(i)")).get()) }
            store.close()
        }
        let snapshots = files(dir, prefix: "snapshot-")
        #expect(snapshots.count == 1 && snapshots[0].hasSuffix(".snap"))
        #expect(files(dir, prefix: "wal-").count <= 2)
        let store = try openCompactingStore(dir, threshold: 1 << 30)
        defer { store.close() }
        #expect(store.count == 310)
        for event in created { #expect(try store.find(CustomerEventIdentifier(id: event.id.description)).get() == event) }
        // The reference indexes hold the snapshot's events too (built apart from the id index).
        #expect(try store.find(CustomerEventIdentifier(externalSystemReferenceNumber: "c5")).get() == created[5])
        #expect(try store.find(CustomerEventIdentifier(number: String(created[7].number))).get() == created[7])
        let next = try createAndWait(store, TestCoding.event()).get()
        #expect(next.number > created.last!.number)
        // Events from the snapshot and from the log share one instance of their referred
        // objects (memory per event stays one pointer for them).
        let fromSnapshot = try store.find(CustomerEventIdentifier(id: created[0].id.description)).get()
        let fromLog = try store.find(CustomerEventIdentifier(id: created[305].id.description)).get()
        #expect(fromSnapshot.referred === fromLog.referred)
        #expect(fromSnapshot.logInformation.createdByUser === fromLog.logInformation.createdByUser)
    }

    @Test("writes from many threads during compactions are all there after a restart")
    func writesDuringCompaction() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let count = Atomic<Int>(0)
        do {
            let store = try openCompactingStore(dir, threshold: 2048, segmentLimit: 1024)
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                for i in 0..<100 {
                    if case .success = createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "t\(t)-\(i)")) {
                        count.wrappingAdd(1, ordering: .relaxed)
                    }
                }
            }
            store.close()
        }
        #expect(count.load(ordering: .relaxed) == 800)
        let store = try openCompactingStore(dir, threshold: 1 << 30)
        defer { store.close() }
        #expect(store.count == 800)
        for t in 0..<8 {
            for i in 0..<100 {
                #expect((try? store.find(CustomerEventIdentifier(externalSystemReferenceNumber: "t\(t)-\(i)")).get()) != nil)
            }
        }
    }

    @Test("leftovers of a compaction interrupted before it removed the covered segments are cleaned up at start")
    func interruptedCompaction() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var saved: [(String, [UInt8])] = []
        do {
            let store = try openCompactingStore(dir, threshold: 1 << 30, segmentLimit: 512)
            for i in 0..<50 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i))).get() }
            saved = try files(dir, prefix: "wal-").map { ($0, try FileSystem.readAll(dir + "/" + $0)) }
            store.compact()
            for i in 50..<55 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i))).get() }
            store.close()
        }
        // As if the process died after the rename but before deleting the covered segments.
        for (name, bytes) in saved { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/snapshot-00000000000000000099.snap.tmp"))
        let store = try openCompactingStore(dir, threshold: 1 << 30, segmentLimit: 512)
        defer { store.close() }
        #expect(store.count == 55)
        #expect(files(dir, prefix: "snapshot-").allSatisfy { !$0.hasSuffix(".tmp") })
        #expect(Set(files(dir, prefix: "wal-")).isDisjoint(with: saved.map(\.0)))
    }

    @Test("a log replayed past the threshold is compacted at start, without waiting for a write")
    func compactsAtStart() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        do {
            let store = try openCompactingStore(dir, threshold: 1 << 30)
            for i in 0..<40 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i))).get() }
            store.close()
        }
        #expect(files(dir, prefix: "snapshot-").isEmpty)
        let store = try openCompactingStore(dir, threshold: 1024)
        defer { store.close() }
        var snapshotted = false
        for _ in 0..<500 where !snapshotted {  // at most 5 s
            snapshotted = !files(dir, prefix: "snapshot-").isEmpty && store.logBytes <= 1024
            if !snapshotted { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(snapshotted, "log bytes \(store.logBytes), files \(files(dir, prefix: ""))")
        #expect(store.count == 40)
    }

    @Test("a damaged snapshot stops the start naming the file")
    func damagedSnapshot() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        do {
            let store = try openCompactingStore(dir, threshold: 1 << 30)
            for i in 0..<20 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i))).get() }
            store.compact()
            store.close()
        }
        let name = try #require(files(dir, prefix: "snapshot-").first)
        var bytes = try FileSystem.readAll(dir + "/" + name)
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        #expect { try openCompactingStore(dir, threshold: 1 << 30) } throws: { "\($0)".contains(name) }
    }
}
