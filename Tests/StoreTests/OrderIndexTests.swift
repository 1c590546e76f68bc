import Domain
@testable import Store
import Testing

@Suite struct OrderIndexTests {
    /// Indexes `count` events with pseudo-random performed_on values (many ties).
    func indexes(count: Int) -> EventIndexes {
        var indexes = EventIndexes()
        var seed: UInt64 = 42
        for i in 0..<count {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            var e = TestCoding.event(performedOn: Int64(seed >> 54))
            e.id = EventID(high: UInt64(i), low: 1)
            e.number = UInt64(i * 2 + 1)
            if i % 3 == 0 { e.lifeCycleState = .cancelled }
            indexes.insert(e)
        }
        return indexes
    }

    @Test("pages walk every event once in (performed_on, number) order, across chunks that split", arguments: [10, 2048, 9000, 20000])
    func walksInOrder(count: Int) {
        let idx = indexes(count: count)
        var seen: [CustomerEvent] = []
        var cursor: (Int64, UInt64)?
        while true {
            let (page, more) = idx.page(EventFilter(accountID: nil, classificationID: nil, state: nil, from: nil, to: nil), after: cursor, limit: 777)
            seen += page
            guard more, let last = page.last else { break }
            cursor = (last.performedOn, last.number)
        }
        #expect(seen.count == count)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { ($0.performedOn, $0.number) < ($1.performedOn, $1.number) })
    }

    @Test("every page in order when performed_on falls, rises or repeats (entries pending below, above and between chunks)",
          arguments: [-1, 1, 0])
    func walksMonotonicArrivals(step: Int64) {
        var indexes = EventIndexes()
        let count = 3000
        for i in 0..<count {
            var e = TestCoding.event(performedOn: 1_000_000 + step * Int64(i))
            e.id = EventID(high: UInt64(i), low: 2)
            e.number = UInt64(i + 1)
            indexes.insert(e)
        }
        var seen: [UInt64] = []
        var cursor: (Int64, UInt64)?
        while true {
            let (page, more) = indexes.page(EventFilter(accountID: nil, classificationID: nil, state: nil, from: nil, to: nil), after: cursor, limit: 100)
            seen += page.map(\.number)
            guard more, let last = page.last else { break }
            cursor = (last.performedOn, last.number)
        }
        let expected = (1...UInt64(count)).sorted { a, b in
            (1_000_000 + step * Int64(a - 1), a) < (1_000_000 + step * Int64(b - 1), b)
        }
        #expect(seen == expected)
        let middle = 1_000_000 + step * 1500
        let (ranged, _) = indexes.page(EventFilter(accountID: nil, classificationID: nil, state: nil, from: min(middle, middle + step * 10),
                                                   to: max(middle, middle + step * 10) + 1), after: nil, limit: 100)
        #expect(ranged.count == (step == 0 ? 100 : 11))
    }

    @Test("filters: state, account, and the time range (from inclusive, to exclusive)")
    func filters() {
        let idx = indexes(count: 5000)
        let all = (0..<5000).map { idx.events[$0] }
        let (cancelled, _) = idx.page(EventFilter(accountID: nil, classificationID: nil, state: .cancelled, from: nil, to: nil), after: nil, limit: 5000)
        #expect(cancelled.count == all.filter { $0.lifeCycleState == .cancelled }.count)
        let (ranged, _) = idx.page(EventFilter(accountID: TestCoding.account.id, classificationID: nil, state: nil, from: 100, to: 200), after: nil, limit: 1000)
        #expect(ranged.count == all.filter { $0.performedOn >= 100 && $0.performedOn < 200 }.count)
        #expect(ranged.allSatisfy { $0.performedOn >= 100 && $0.performedOn < 200 })
        let (none, more) = idx.page(EventFilter(accountID: "no-such-account", classificationID: nil, state: nil, from: nil, to: nil), after: nil, limit: 10)
        #expect(none.isEmpty && !more)
    }
}
