import Domain
import Glibc
import Posix
@testable import Store
import Testing
import TestSupport

/// An event with every field and referred object filled.
func fullEvent(number: UInt64, cancelled: Bool = false) -> CustomerEvent {
    let tokenClass = ReferredObject(id: "0c000000000000000000000000000001", name: "Loyalty", alternativeCode: "LOYALTY")
    let token = ReferredObject(id: "0d000000000000000000000000000001", number: "AT-1", lifeCycleState: "EFFECTIVE",
                               authenticationCode: "CARD-1", identifier: "loyalty-1", classification: tokenClass)
    let offer = ReferredObject(id: "0f000000000000000000000000000001", name: "Points", alternativeCode: "PTS")
    let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")
    var udf = UserDefinedFields()
    udf.strings[0] = "a"
    udf.strings[7] = ""
    udf.floats[1] = 0
    udf.dates[3] = -5
    return CustomerEvent(
        id: EventID(high: number, low: ~number), number: number, lifeCycleState: cancelled ? .cancelled : .posted, performedOn: -42,
        description: "déjà vu", paymentMediumIdentifier: "4111", amount: 0, externalSystem: "", externalSystemReferenceNumber: "R\(number)",
        userDefinedFields: udf, classification: ReferredObject(id: "05", name: "Purchase", alternativeCode: "P"),
        accountsReceivable: ReferredObject(id: "03", number: "AR-1", name: "Alice", lifeCycleState: "ACTIVE"),
        product: ReferredObject(id: "06", code: "C", alternativeCode: "PC", description: "Coffee"),
        paymentMediumType: ReferredObject(id: "07", name: "Card", alternativeCode: "CC"),
        paymentMediumBrand: ReferredObject(id: "08", name: "Visa", alternativeCode: "VISA"),
        performedByUnit: ReferredObject(id: "0b", name: "Counter", alternativeCode: "U", description: "d"),
        performedByBusinessUnit: ReferredObject(id: "0a", name: "Store", code: "BU"),
        performedByTap: ReferredObject(id: "09", name: "Till", code: "TAP"), authorizedByAccessToken: token, promoCode: "SUMMER",
        logInformation: LogInformation(createdDate: 1, updatedDate: 2, createdByUser: user, updatedByUser: user),
        awardRewardTransactions: [
            AwardTransaction(id: EventID(high: 1, low: 2), number: number + 1, lifeCycleState: .posted, amount: 1.25,
                             alternativeAmount: 12.5, expirationDate: 99, rewardOffer: offer),
            AwardTransaction(id: EventID(high: 3, low: 4), number: number + 2, lifeCycleState: .cancelled, amount: 0.01,
                             alternativeAmount: 0.1, expirationDate: nil, rewardOffer: offer),
        ])
}

/// Replaces the contents of the file at `path` with `bytes`.
func overwrite(_ path: String, with bytes: [UInt8]) throws {
    let fd = try FileDescriptor.open(path, O_WRONLY | O_TRUNC)
    defer { fd.close() }
    try fd.writeAll(bytes)
}

@Suite struct SnapshotFormatTests {
    @Test("every field of every kind of event survives a snapshot round trip", arguments: [0, 1, 4095, 4096, 9000])
    func roundTrip(count: Int) throws {
        var events = ChunkedEvents()
        for i in 0..<count {
            var e = i % 3 == 0 ? fullEvent(number: UInt64(i * 3 + 1), cancelled: i % 2 == 0) : TestCoding.event(performedOn: Int64(i))
            e.number = UInt64(i * 3 + 1)
            e.id = EventID(high: UInt64(i), low: 7)
            events.append(e)
        }
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        _ = try Snapshot.write(events, covering: 3, directory: dir, log: ([], []))
        let loaded = try Snapshot.load(Snapshot.path(dir, 3))
        #expect(loaded.count == count)
        for i in 0..<count { #expect(loaded.events[i] == events[i]) }
    }

    @Test("the log table a snapshot is written with comes back, in number order, sharing the events' instances")
    func logTableRoundTrip() throws {
        var events = ChunkedEvents()
        for i in 0..<3 { var e = fullEvent(number: UInt64(i * 3 + 1)); e.id = EventID(high: UInt64(i), low: 1); events.append(e) }
        let extra = ReferredObject(id: "only-in-the-log", name: "x")  // used by no event in the snapshot
        let objects = [events[0].logInformation.createdByUser, extra, events[0].classification, events[0].authorizedByAccessToken!]
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        _ = try Snapshot.write(events, covering: 2, directory: dir, log: (objects + [nil], [nil, events[1].referred]))
        var interner = Interner()
        let (loaded, log) = try Snapshot.load(Snapshot.path(dir, 2), interning: &interner)
        #expect(log.objects == objects + [nil], "an empty number stays empty")
        #expect(log.sets.count == 2 && log.sets[0] == nil && log.sets[1] == events[1].referred)
        #expect(log.objects[0] === loaded.events[0].logInformation.createdByUser)
        #expect(log.sets[1] === loaded.events[1].referred)
    }

    @Test("a flipped bit anywhere in a snapshot is detected", arguments: [9, 30, 200, -2])
    func bitFlip(position: Int) throws {
        var events = ChunkedEvents()
        for i in 0..<10 { var e = fullEvent(number: UInt64(i * 3 + 1)); e.id = EventID(high: UInt64(i), low: 1); events.append(e) }
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        _ = try Snapshot.write(events, covering: 1, directory: dir, log: ([], []))
        var bytes = try FileSystem.readAll(Snapshot.path(dir, 1))
        bytes[position >= 0 ? position : bytes.count + position] ^= 0x08
        try overwrite(Snapshot.path(dir, 1), with: bytes)
        #expect(throws: StoreError.self) { try Snapshot.load(Snapshot.path(dir, 1)) }
        #expect { try Snapshot.load(Snapshot.path(dir, 1)) } throws: { "\($0)".contains("damaged at offset") }
        if position < 0 {  // in the events: the message names the block
            #expect { try Snapshot.load(Snapshot.path(dir, 1)) } throws: { "\($0)".contains("block 0 of 1, 10 events") }
        }
    }

    @Test("a snapshot in the previous format (AESNAP03: one CRC at the end, none per block) still loads")
    func previousFormat() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var events = ChunkedEvents()
        for e in numberedEvents(5000) { events.append(e) }
        _ = try Snapshot.write(events, covering: 1, directory: dir, log: ([], []))
        let current = try FileSystem.readAll(Snapshot.path(dir, 1))
        // Rewrite it in the old layout: drop the head CRC and the block CRCs, add the file CRC.
        var old: [UInt8] = []
        current.withUnsafeBytes { raw in
            var r = ByteReader(raw, offset: 24)
            var tables = DecodedTables.read(&r)!
            let tablesEnd = r.offset
            _ = tables.readLog(&r)  // AESNAP05's log section: AESNAP03 has none
            let logEnd = r.offset
            let blockCount = Int(r.u32())
            old = Array("AESNAP03".utf8) + Array(current[8..<tablesEnd]) + Array(current[logEnd..<r.offset])
            r.offset += 4
            for _ in 0..<blockCount {
                let start = r.offset
                let length = Int(raw.loadUnaligned(fromByteOffset: start + 4, as: UInt32.self).littleEndian)
                old += current[start..<(start + 8)] + current[(start + 12)..<(start + 12 + length)]
                r.offset = start + 12 + length
            }
        }
        let crc = old.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
        withUnsafeBytes(of: crc.littleEndian) { old += $0 }
        try overwrite(Snapshot.path(dir, 1), with: old)
        let loaded = try Snapshot.load(Snapshot.path(dir, 1))
        #expect(loaded.count == 5000)
        for i in 0..<5000 { #expect(loaded.events[i] == events[i]) }
        old[old.count / 2] ^= 0x10
        try overwrite(Snapshot.path(dir, 1), with: old)
        #expect(throws: StoreError.self) { try Snapshot.load(Snapshot.path(dir, 1)) }
    }

    /// 9000 events (two whole blocks and a partial one), numbered from `start`.
    func numberedEvents(_ count: Int, from start: Int = 0) -> [CustomerEvent] {
        (start..<(start + count)).map { i in
            var e = i % 5 == 0 ? fullEvent(number: UInt64(i * 3 + 1)) : TestCoding.event(performedOn: Int64(i))
            e.number = UInt64(i * 3 + 1)
            e.id = EventID(high: UInt64(i), low: 9)
            return e
        }
    }

    /// `count` numbered events and the base of the snapshot of them written to `dir` (segment 1).
    func firstSnapshot(of count: Int, in dir: String) throws -> (ChunkedEvents, Snapshot.Base) {
        var events = ChunkedEvents()
        for e in numberedEvents(count) { events.append(e) }
        let (_, base) = try Snapshot.write(events, covering: 1, directory: dir, log: ([], []))
        return (events, base)
    }

    @Test("the next snapshot copies the previous one's untouched whole blocks, encodes dirty and new ones, and loads equal")
    func incremental() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        var (events, base) = try firstSnapshot(of: 9000, in: dir)
        #expect(base.blocks.count == 2)
        // A cancel in block 0 (marked dirty), new events, and a change in block 1 that is
        // deliberately not marked: the copy shows in the result as the old version.
        var cancelled = events[10]
        cancelled.lifeCycleState = .cancelled
        events[10] = cancelled
        var unmarked = events[5000]
        unmarked.lifeCycleState = .cancelled
        events[5000] = unmarked
        for e in numberedEvents(5000, from: 9000) { events.append(e) }
        let (_, next) = try Snapshot.write(events, covering: 2, directory: dir, base: base, dirty: [0], log: ([], []))
        #expect(next.blocks.count == 3)
        let loaded = try Snapshot.load(Snapshot.path(dir, 2))
        #expect(loaded.count == 14000)
        #expect(loaded.events[10].lifeCycleState == .cancelled)
        #expect(loaded.events[5000].lifeCycleState == .posted, "block 1 was copied, not encoded again")
        for i in 0..<14000 where i != 5000 { #expect(loaded.events[i] == events[i]) }
    }

    @Test("a copied block whose bytes rotted in the previous file is encoded again instead")
    func rottenBaseBlock() throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let (events, base) = try firstSnapshot(of: 9000, in: dir)
        var bytes = try FileSystem.readAll(Snapshot.path(dir, 1))
        bytes[Int(base.blocks[1].offset) + 100] ^= 0x01
        try overwrite(Snapshot.path(dir, 1), with: bytes)
        _ = try Snapshot.write(events, covering: 2, directory: dir, base: base, dirty: [], log: ([], []))
        let loaded = try Snapshot.load(Snapshot.path(dir, 2))
        for i in 0..<9000 { #expect(loaded.events[i] == events[i]) }
    }
}
