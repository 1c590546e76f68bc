import Dispatch
import Domain
import Foundation
import Posix
import Store
import Synchronization
import Testing
import TestSupport

/// Opens a store on `directory` with the test coding.
func openStore(_ directory: String, repair: Bool = false, fsync: FsyncPolicy = .always, segmentLimit: Int64 = 64 << 20) throws -> EventStore {
    try EventStore(StoreConfiguration(directory: directory, fsync: fsync, repair: repair, segmentLimit: segmentLimit), coding: TestCoding(),
                   onFatal: { fatalError("storage failure in test: \($0)") })
}

/// Creates `draft` and waits until it is durable.
func createAndWait(_ store: EventStore, _ draft: CustomerEvent) -> Result<CustomerEvent, DomainError> {
    let done = DispatchSemaphore(value: 0)
    let result = Locked<Result<CustomerEvent, DomainError>?>(nil)
    store.create(draft) { r in
        result.withLock { $0 = r }
        done.signal()
    }
    done.wait()
    return result.withLock { $0 }!  // safe because: set before the signal
}

@Suite struct EventStoreTests {
    @Test("created events come back after reopening, by id, number and external reference")
    func reopen() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var created: [CustomerEvent] = []
        do {
            let store = try openStore(dir)
            for i in 0..<100 { created.append(try createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "r\(i)", amount: Double(i))).get()) }
            store.close()
        }
        let store = try openStore(dir)
        defer { store.close() }
        #expect(store.count == 100)
        #expect(store.recovered.events == 100)
        for event in created {
            #expect(try store.find(CustomerEventIdentifier(id: event.id.description)).get() == event)
            #expect(try store.find(CustomerEventIdentifier(number: String(event.number))).get() == event)
            #expect(try store.find(CustomerEventIdentifier(externalSystemReferenceNumber: event.externalSystemReferenceNumber)).get() == event)
        }
        let numbers = created.map(\.number)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
        let next = try createAndWait(store, TestCoding.event()).get()
        #expect(next.number > numbers.last!)
    }

    @Test("a retry with the same external reference and content returns the original; other content is ALREADY_EXISTS")
    func idempotency() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let store = try openStore(dir)
        defer { store.close() }
        let first = try createAndWait(store, TestCoding.event(system: "pos", reference: "A1", amount: 5)).get()
        let again = try createAndWait(store, TestCoding.event(system: "pos", reference: "A1", amount: 5)).get()
        #expect(again == first)
        let other = createAndWait(store, TestCoding.event(system: "pos", reference: "A1", amount: 6))
        guard case .failure(let error) = other else { Issue.record("expected a conflict"); return }
        #expect(error.kind == .alreadyExists && error.code == "EXTERNAL_REFERENCE_CONFLICT")
        let otherSystem = try createAndWait(store, TestCoding.event(system: "web", reference: "A1", amount: 6)).get()
        #expect(otherSystem.id != first.id)
        #expect(store.count == 2)
    }

    @Test("64 concurrent writers all get distinct, durable events")
    func concurrentWriters() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let store = try openStore(dir)
        let results = Locked<[CustomerEvent]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            for j in 0..<20 {
                if case .success(let e) = createAndWait(store, TestCoding.event(reference: "w\(i)-\(j)")) { results.withLock { $0.append(e) } }
            }
        }
        store.close()
        let all = results.withLock { $0 }
        #expect(all.count == 64 * 20)
        #expect(Set(all.map(\.number)).count == all.count)
        let reopened = try openStore(dir)
        defer { reopened.close() }
        #expect(reopened.count == 64 * 20)
    }

    @Test("a second store on the same data dir is refused with a clear message")
    func lock() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let store = try openStore(dir)
        defer { store.close() }
        #expect { try openStore(dir) } throws: { "\($0)".contains("in use by another process") }
    }

    @Test("cancel: CANCELLED durably; a second cancel is FAILED_PRECONDITION; unknown is NOT_FOUND")
    func cancel() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let event: CustomerEvent
        do {
            let store = try openStore(dir)
            event = try createAndWait(store, TestCoding.event()).get()
            let done = DispatchSemaphore(value: 0)
            store.cancel(CustomerEventIdentifier(id: event.id.description), now: 5, by: TestCoding.user) { result in
                #expect((try? result.get().lifeCycleState) == .cancelled)
                done.signal()
            }
            done.wait()
            store.cancel(CustomerEventIdentifier(id: event.id.description), now: 6, by: TestCoding.user) { result in
                if case .failure(let e) = result { #expect(e.code == "EVENT_ALREADY_CANCELLED") } else { Issue.record("second cancel succeeded") }
                done.signal()
            }
            done.wait()
            store.cancel(CustomerEventIdentifier(number: "999999"), now: 6, by: TestCoding.user) { result in
                if case .failure(let e) = result { #expect(e.kind == .notFound) } else { Issue.record("unknown cancel succeeded") }
                done.signal()
            }
            done.wait()
            store.close()
        }
        let store = try openStore(dir)
        defer { store.close() }
        #expect(try store.find(CustomerEventIdentifier(id: event.id.description)).get().lifeCycleState == .cancelled)
    }

    @Test("segments roll over at the size limit and replay in order")
    func segments() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        do {
            let store = try openStore(dir, segmentLimit: 1024)
            for i in 0..<200 { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i))).get() }
            store.close()
        }
        let segments = try FileSystem.listDirectory(dir).filter { $0.hasPrefix("wal-") }
        #expect(segments.count > 5)
        let store = try openStore(dir, segmentLimit: 1024)
        defer { store.close() }
        #expect(store.count == 200)
    }
}

@Suite struct AdoptedSetTests {
    @Test("an adopted set is kept as is beside an equal one, events created with either hold their own, and both come back after reopening")
    func adoptKeepsEachLoopsSet() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let template = TestCoding.event()
        let loopA = ReferredSet(template.referred.fields)
        let loopB = ReferredSet(template.referred.fields)  // equal members, another instance
        var created: [CustomerEvent] = []
        do {
            let store = try openStore(dir)
            #expect(store.adopt(loopA) === loopA)
            #expect(store.adopt(loopB) === loopB)  // not swapped for loopA
            for set in [loopA, loopB, loopA] {
                var draft = template
                draft.referred = set
                let event = try createAndWait(store, draft).get()
                #expect(event.referred === set)
                created.append(event)
            }
            var fresh = template
            fresh.referred = ReferredSet(template.referred.fields)  // neither adopted: swapped for the first
            #expect(try createAndWait(store, fresh).get().referred === loopA)
            store.close()
        }
        let store = try openStore(dir)
        defer { store.close() }
        for event in created {
            #expect(try store.find(CustomerEventIdentifier(id: event.id.description)).get() == event)
        }
    }
}
