import Domain
import Foundation
import Posix
import Store
import Testing
import TestSupport

/// Writes `count` events to a fresh data dir and returns it with the segment's bytes.
func makeLog(count: Int) throws -> (dir: String, bytes: [UInt8]) {
    let dir = TemporaryDirectory.make()
    let store = try openStore(dir)
    for i in 0..<count { _ = try createAndWait(store, TestCoding.event(performedOn: Int64(i), reference: "r\(i)")).get() }
    store.close()
    return (dir, try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1)))
}

/// Record boundaries of a log: the end offset of each whole change record (the definition
/// records of the log table, before the first event that uses them, are not counted).
func recordEnds(_ bytes: [UInt8], changesOnly: Bool = true) -> [Int] {
    var ends: [Int] = []
    var offset = 0
    while offset + 9 <= bytes.count {
        let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
        let type = bytes[offset + 8]
        offset += 9 + length
        if !changesOnly || type == WriteAheadLog.changeRecord { ends.append(offset) }
    }
    return ends
}

/// A data dir whose only segment holds `bytes`.
func dataDir(with bytes: [UInt8]) throws -> String {
    let dir = TemporaryDirectory.make()
    try Data(bytes).write(to: URL(fileURLWithPath: WriteAheadLog.segmentPath(dir, 1)))
    return dir
}

@Suite struct RecoveryTests {
    @Test("the reader yields exactly the whole records of a log cut at every byte offset")
    func readerAtEveryOffset() throws {
        let (source, bytes) = try makeLog(count: 20)
        defer { TemporaryDirectory.remove(source) }
        let ends = recordEnds(bytes, changesOnly: false)
        for cut in 0...bytes.count {
            var records = 0
            let (goodEnd, damage) = Array(bytes[..<cut]).withUnsafeBytes { raw in
                LogReader.scan(raw) { _, _ in records += 1; return true }
            }
            let whole = ends.filter { $0 <= cut }
            #expect(records == whole.count && goodEnd == (whole.last ?? 0), "cut at \(cut)")
            #expect((damage == nil) == (cut == goodEnd), "cut at \(cut)")
            #expect(damage?.validRecordFollows != true, "cut at \(cut)")
        }
    }

    @Test("a store whose last write was torn at every byte offset restarts with the synced prefix and a .broken copy")
    func tornTailAtEveryOffset() throws {
        let (source, bytes) = try makeLog(count: 5)
        defer { TemporaryDirectory.remove(source) }
        let ends = recordEnds(bytes)
        #expect(ends.count == 5 && ends.last == bytes.count)
        for cut in (ends[3] + 1)..<bytes.count {
            let dir = try dataDir(with: Array(bytes[..<cut]))
            defer { TemporaryDirectory.remove(dir) }
            let store = try openStore(dir)
            let whole = ends.filter { $0 <= cut }
            #expect(store.count == whole.count, "cut at \(cut)")
            store.close()
            #expect(FileSystem.exists(WriteAheadLog.segmentPath(dir, 1) + ".broken"))
            let size = try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1)).count
            #expect(size == (whole.last ?? 0), "cut at \(cut)")
        }
    }

    @Test("each torn tail keeps the bytes it cut in its own copy: .broken, then .broken.1")
    func secondTornTail() throws {
        let (source, bytes) = try makeLog(count: 5)
        defer { TemporaryDirectory.remove(source) }
        let ends = recordEnds(bytes)
        let dir = try dataDir(with: Array(bytes[..<(ends[4] - 2)]))
        defer { TemporaryDirectory.remove(dir) }
        let segment = WriteAheadLog.segmentPath(dir, 1)
        try openStore(dir).close()
        #expect(try FileSystem.readAll(segment + ".broken") == Array(bytes[ends[3]..<(ends[4] - 2)]))
        try Data(Array(bytes[..<ends[3]]) + [0x07, 0x00, 0x00, 0x00, 0x01]).write(to: URL(fileURLWithPath: segment))  // the 4 records kept, then a torn header
        try openStore(dir).close()
        #expect(try FileSystem.readAll(segment + ".broken") == Array(bytes[ends[3]..<(ends[4] - 2)]))
        #expect(try FileSystem.readAll(segment + ".broken.1") == [0x07, 0x00, 0x00, 0x00, 0x01])
    }

    @Test("a write torn inside the log table's definitions: the restart forgets them, and the next create gives the numbers again")
    func tornDefinitions() throws {
        let (source, bytes) = try makeLog(count: 1)
        defer { TemporaryDirectory.remove(source) }
        let all = recordEnds(bytes, changesOnly: false)
        #expect(all.count == 5)  // classification, account, user, set, event
        // Inside each record: its first byte, the middle, its last byte.
        let starts = [0] + all.dropLast()
        let cuts = zip(starts, all).flatMap { [$0 + 1, ($0 + $1) / 2, $1 - 1] }
        for cut in cuts {
            let dir = try dataDir(with: Array(bytes[..<cut]))
            defer { TemporaryDirectory.remove(dir) }
            var created: CustomerEvent?
            do {
                let store = try openStore(dir)
                #expect(store.count == 0, "cut at \(cut)")
                created = try createAndWait(store, TestCoding.event(performedOn: 9, reference: "again")).get()
                store.close()
            }
            let store = try openStore(dir)
            defer { store.close() }
            #expect(store.count == 1, "cut at \(cut)")
            #expect(try store.find(CustomerEventIdentifier(externalSystemReferenceNumber: "again")).get() == created, "cut at \(cut)")
        }
    }

    @Test("each restart numbers on where the log stopped: events of three processes come back equal, sharing their objects")
    func numbersAcrossRestarts() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var created: [CustomerEvent] = []
        let other = ReferredObject(id: "09000000000000000000000000000009", name: "other user")
        for round in 0..<3 {
            let store = try openStore(dir)
            #expect(store.count == created.count)
            for i in 0..<4 {
                var draft = TestCoding.event(performedOn: Int64(round * 10 + i), reference: "p\(round)-\(i)")
                if i == 3 { draft.logInformation.updatedByUser = other }  // a new object in every process
                created.append(try createAndWait(store, draft).get())
            }
            store.close()
        }
        let store = try openStore(dir)
        defer { store.close() }
        var found: [CustomerEvent] = []
        for event in created {
            let back = try store.find(CustomerEventIdentifier(id: event.id.description)).get()
            #expect(back.number == event.number && back.externalSystemReferenceNumber == event.externalSystemReferenceNumber)
            #expect(back.logInformation.updatedByUser == event.logInformation.updatedByUser)
            #expect(back.referred == event.referred)
            found.append(back)
        }
        #expect(found[0].referred === found[11].referred)
        #expect(found[3].logInformation.updatedByUser === found[7].logInformation.updatedByUser)
        // Equal objects keep their numbers across restarts: classification, account, user,
        // their set and the other user are defined once, not once per process.
        let segment = try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1))
        let definitions = segment.withUnsafeBytes { raw in
            var count = 0
            _ = LogReader.scan(raw) { type, _ in
                if type == WriteAheadLog.definitionRecord { count += 1 }
                return true
            }
            return count
        }
        #expect(definitions == 5)
    }

    @Test("a damaged definition: --repair drops only the events that use its number, and the repaired log starts again as it is")
    func repairLostDefinition() throws {
        let other = ReferredObject(id: "09000000000000000000000000000009", name: "other user")
        let source = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(source) }
        do {
            let store = try openStore(source)
            for i in 0..<6 {
                var draft = TestCoding.event(performedOn: Int64(i), reference: "d\(i)")
                if i % 2 == 1 { draft.logInformation.updatedByUser = other }  // defined before event 1
                _ = try createAndWait(store, draft).get()
            }
            store.close()
        }
        let bytes = try FileSystem.readAll(WriteAheadLog.segmentPath(source, 1))
        // The sixth record is the definition of `other` (after 3 objects, 1 set and event 0).
        let ends = recordEnds(bytes, changesOnly: false)
        #expect(bytes[ends[4] + 8] == WriteAheadLog.definitionRecord)
        var damaged = bytes
        damaged[ends[4] + 12] ^= 0x01
        let dir = try dataDir(with: damaged)
        defer { TemporaryDirectory.remove(dir) }
        #expect(throws: StoreError.self) { try openStore(dir) }
        do {
            let repaired = try openStore(dir, repair: true)
            #expect(repaired.count == 3)
            for i in [0, 2, 4] { #expect((try? repaired.find(CustomerEventIdentifier(externalSystemReferenceNumber: "d\(i)")).get()) != nil) }
            // `other` is new to this process: it gets a number past the lost one.
            var draft = TestCoding.event(performedOn: 9, reference: "after")
            draft.logInformation.updatedByUser = other
            _ = try createAndWait(repaired, draft).get()
            repaired.close()
        }
        let again = try openStore(dir)
        defer { again.close() }
        #expect(again.count == 4)
        #expect(try again.find(CustomerEventIdentifier(externalSystemReferenceNumber: "after")).get().logInformation.updatedByUser == other)
    }

    @Test("a flipped bit in the last record is a torn tail: that record is dropped")
    func flipInLastRecord() throws {
        let (source, bytes) = try makeLog(count: 5)
        defer { TemporaryDirectory.remove(source) }
        var damaged = bytes
        damaged[bytes.count - 3] ^= 0x10
        let dir = try dataDir(with: damaged)
        defer { TemporaryDirectory.remove(dir) }
        let store = try openStore(dir)
        defer { store.close() }
        #expect(store.count == 4)
    }

    @Test("a flipped bit before the tail stops the start naming file and offset; --repair skips the record")
    func flipMidLog() throws {
        let (source, bytes) = try makeLog(count: 5)
        defer { TemporaryDirectory.remove(source) }
        let ends = recordEnds(bytes)
        var damaged = bytes
        damaged[ends[1] + 12] ^= 0x01
        let dir = try dataDir(with: damaged)
        defer { TemporaryDirectory.remove(dir) }
        #expect { try openStore(dir) } throws: { error in
            let text = "\(error)"
            return text.contains("wal-00000000000000000001.log") && text.contains("offset \(ends[1])")
        }
        let store = try openStore(dir, repair: true)
        #expect(store.count == 4)
        store.close()
        #expect(FileSystem.exists(WriteAheadLog.segmentPath(dir, 1) + ".broken"))
        let again = try openStore(dir)
        defer { again.close() }
        #expect(again.count == 4)
    }

    /// A log of `count` created events numbered 1…count, written without a store: the log
    /// table's definitions, then events naming their set and users by number (`logged`), or
    /// events in the full format of before log tables.
    static func bigLog(count: Int, logged: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        let coding = TestCoding()
        if logged {
            let definitions: [LogDefinition] = [
                .object(number: 0, TestCoding.classification), .object(number: 1, TestCoding.account), .object(number: 2, TestCoding.user),
                .set(number: 0, members: [0, 1, nil, nil, nil, nil, nil, nil, nil]),
            ]
            for d in definitions { bytes += WriteAheadLog.frameRecord(type: WriteAheadLog.definitionRecord) { coding.encode(d, appendingTo: &$0) } }
        }
        for i in 0..<count {
            var event = TestCoding.event(performedOn: Int64(i % 1000), reference: "w\(i)")
            (event.id, event.number) = (EventID(high: 7, low: UInt64(i + 1)), UInt64(i + 1))
            bytes += WriteAheadLog.frameRecord {
                if logged {
                    coding.encodeCreated(event, references: LogReferences(set: 0, createdBy: 2, updatedBy: 2), offers: [], appendingTo: &$0)
                } else {
                    TestCoding.encodeFull(event, appendingTo: &$0)
                }
            }
        }
        return bytes
    }

    @Test("a log of many replay windows (each decoded while the one before is applied) comes back whole and in order")
    func manyWindows() throws {
        let dir = try dataDir(with: Self.bigLog(count: 40_000))
        defer { TemporaryDirectory.remove(dir) }
        let store = try openStore(dir)
        defer { store.close() }
        #expect(store.count == 40_000)
        for number in [1, 1024, 1025, 17_408, 17_409, 30_000, 40_000] {
            let event = try store.find(CustomerEventIdentifier(number: String(number))).get()
            #expect(event.id == EventID(high: 7, low: UInt64(number)) && event.externalSystemReferenceNumber == "w\(number - 1)")
        }
    }

    @Test("a log written before log tables (every object in full in each record) still replays, equal objects shared, and new records follow")
    func fullFormatLog() throws {
        let dir = try dataDir(with: Self.bigLog(count: 3000, logged: false))
        defer { TemporaryDirectory.remove(dir) }
        do {
            let store = try openStore(dir)
            #expect(store.count == 3000)
            let first = try store.find(CustomerEventIdentifier(number: "1")).get()
            let last = try store.find(CustomerEventIdentifier(number: "3000")).get()
            #expect(first.referred === last.referred)
            #expect(first.logInformation.createdByUser === last.logInformation.updatedByUser)
            _ = try createAndWait(store, TestCoding.event(reference: "logged")).get()
            store.close()
        }
        let store = try openStore(dir)
        defer { store.close() }
        #expect(store.count == 3001)
        #expect((try? store.find(CustomerEventIdentifier(externalSystemReferenceNumber: "logged")).get()) != nil)
    }

    @Test("a record that does not decode in a later replay window stops the start naming its offset; --repair skips it")
    func undecodableInLaterWindow() throws {
        let bytes = Self.bigLog(count: 40_000)
        let ends = recordEnds(bytes)
        let (start, end) = (ends[29_998], ends[29_999])  // record 30,000, in the third window
        let damaged = Array(bytes[..<start]) + WriteAheadLog.frameRecord { $0 += Array("not a change".utf8) } + Array(bytes[end...])
        let dir = try dataDir(with: damaged)
        defer { TemporaryDirectory.remove(dir) }
        #expect { try openStore(dir) } throws: { "\($0)".contains("offset \(start)") }
        let store = try openStore(dir, repair: true)
        defer { store.close() }
        #expect(store.count == 39_999)
        #expect((try? store.find(CustomerEventIdentifier(number: "30000")).get()) == nil)
        #expect((try? store.find(CustomerEventIdentifier(number: "30001")).get()) != nil)
    }

    @Test("zeros after the last record (written ahead of the records) end the log: no .broken copy, and new records follow the last one")
    func trailingZeros() throws {
        let (source, bytes) = try makeLog(count: 3)
        defer { TemporaryDirectory.remove(source) }
        let dir = try dataDir(with: bytes + Array(repeating: 0, count: 1 << 20))
        defer { TemporaryDirectory.remove(dir) }
        do {
            let store = try openStore(dir)
            #expect(store.count == 3)
            _ = try createAndWait(store, TestCoding.event(reference: "after-zeros")).get()
            store.close()
        }
        #expect(!FileSystem.exists(WriteAheadLog.segmentPath(dir, 1) + ".broken"))
        let segment = try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1))
        #expect(Array(segment.prefix(bytes.count)) == bytes)
        #expect(segment.last != 0, "close cuts the zeros written ahead")
        let store = try openStore(dir)
        defer { store.close() }
        #expect(store.count == 4)
    }

    @Test("zeros are written ahead of a segment's records; after a crash (no close) the next start appends after its last record")
    func zeroFilledSegment() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let first = try openStore(dir, segmentLimit: 1 << 20)
        _ = try createAndWait(first, TestCoding.event(reference: "one")).get()
        let written = try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1))
        let recordsEnd = written.withUnsafeBytes { LogReader.scan($0) { _, _ in true }.goodEnd }
        #expect(recordsEnd > 0)
        #expect(written.count == recordsEnd + (256 << 10), "one step of zeros after the records")
        #expect(written[recordsEnd...].allSatisfy { $0 == 0 })
        // A crash: `first` is left open and its files copied as they are.
        let copy = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(copy) }
        let segment = try FileSystem.readAll(WriteAheadLog.segmentPath(dir, 1))
        try Data(segment).write(to: URL(fileURLWithPath: WriteAheadLog.segmentPath(copy, 1)))
        do {
            let second = try openStore(copy, segmentLimit: 1 << 20)
            #expect(second.count == 1)
            _ = try createAndWait(second, TestCoding.event(reference: "two")).get()
            second.close()
        }
        let third = try openStore(copy, segmentLimit: 1 << 20)
        defer { third.close() }
        #expect(third.count == 2)
        #expect(!FileSystem.exists(WriteAheadLog.segmentPath(copy, 1) + ".broken"))
        first.close()
    }
}
