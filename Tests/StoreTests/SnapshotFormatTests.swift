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
        _ = try Snapshot.write(events, covering: 3, directory: dir)
        let loaded = try Snapshot.load(Snapshot.path(dir, 3))
        #expect(loaded.count == count)
        for i in 0..<count { #expect(loaded.events[i] == events[i]) }
    }

    @Test("a flipped bit anywhere in a snapshot is detected", arguments: [9, 30, 200, -2])
    func bitFlip(position: Int) throws {
        var events = ChunkedEvents()
        for i in 0..<10 { var e = fullEvent(number: UInt64(i * 3 + 1)); e.id = EventID(high: UInt64(i), low: 1); events.append(e) }
        var bytes = Snapshot.encode(events, covering: 1)
        bytes[position >= 0 ? position : bytes.count + position] ^= 0x08
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let fd = try FileDescriptor.open(Snapshot.path(dir, 1), O_WRONLY | O_CREAT)
        try fd.writeAll(bytes)
        fd.close()
        #expect(throws: StoreError.self) { try Snapshot.load(Snapshot.path(dir, 1)) }
    }
}
