import Domain

/// Positions of events ordered by (performed_on, number), for listing.
///
/// Two sorted runs: a large `base` and a small `recent` run that takes inserts (events
/// arrive in number order but any performed_on) and is merged into `base` when it grows
/// past `mergeAt`, so an insert costs O(log n + mergeAt) amortised. Entries are positions
/// into the store's event array (4 bytes each); keys are read from the events.
struct OrderIndex {
    init() {}

    private var base: [Int32] = []
    private var recent: [Int32] = []
    private static let mergeAt = 8192

    var count: Int { base.count + recent.count }

    /// Adds the event at `position`.
    mutating func insert(_ position: Int32, in events: ChunkedEvents) {
        let key = Self.key(position, events)
        let at = Self.lowerBound(recent, events) { Self.key($0, events) < key }
        recent.insert(position, at: at)
        if recent.count >= Self.mergeAt { merge(events) }
    }

    /// Positions after `cursor` (exclusive) whose performed_on is below `to`, in order,
    /// offered to `visit` until it returns false.
    func walk(after cursor: (Milliseconds, UInt64)?, from: Milliseconds?, to: Milliseconds?, in events: ChunkedEvents, _ visit: (Int32) -> Bool) {
        let start: (Milliseconds, UInt64)
        if let cursor, from.map({ cursor >= ($0, 0) }) ?? true { start = (cursor.0, cursor.1 &+ 1) } else { start = (from ?? .min, 0) }
        var i = Self.lowerBound(base, events) { Self.key($0, events) < start }
        var j = Self.lowerBound(recent, events) { Self.key($0, events) < start }
        while i < base.count || j < recent.count {
            let takeBase = j >= recent.count || (i < base.count && Self.key(base[i], events) < Self.key(recent[j], events))
            let position = takeBase ? base[i] : recent[j]
            if let to, events.performedOn(Int(position)) >= to { return }
            if takeBase { i += 1 } else { j += 1 }
            if !visit(position) { return }
        }
    }

    private mutating func merge(_ events: ChunkedEvents) {
        var merged: [Int32] = []
        merged.reserveCapacity(base.count + recent.count)
        var i = 0
        var j = 0
        while i < base.count || j < recent.count {
            if j >= recent.count || (i < base.count && Self.key(base[i], events) < Self.key(recent[j], events)) {
                merged.append(base[i])
                i += 1
            } else {
                merged.append(recent[j])
                j += 1
            }
        }
        base = merged
        recent.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private static func key(_ position: Int32, _ events: ChunkedEvents) -> (Milliseconds, UInt64) {
        events.sortKey(Int(position))
    }

    /// An index over `positions` at once (recovery): one sort of (key, position) pairs
    /// instead of many merges, reading each event's key once.
    init(positions: [Int32], in events: ChunkedEvents) {
        var keyed = positions.map { (key: events.sortKey(Int($0)), position: $0) }
        keyed.sort { $0.key < $1.key }
        base = keyed.map(\.position)
    }

    /// First index in sorted `run` where `isBefore` turns false.
    private static func lowerBound(_ run: [Int32], _ events: ChunkedEvents, _ isBefore: (Int32) -> Bool) -> Int {
        var low = 0
        var high = run.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(run[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// The filters of a list call, resolved to catalog ids (stored lowercase, as events carry them).
public struct EventFilter: Sendable, Equatable {
    public var accountID: String?
    public var classificationID: String?
    public var state: LifeCycleState?
    public var from: Milliseconds?
    public var to: Milliseconds?

    public init(accountID: String?, classificationID: String?, state: LifeCycleState?, from: Milliseconds?, to: Milliseconds?) {
        self.accountID = accountID
        self.classificationID = classificationID
        self.state = state
        self.from = from
        self.to = to
    }

    /// True when `event` passes every filter but the time range (the index walk applies it).
    func matchesAttributes(_ event: CustomerEvent) -> Bool {
        if let state, event.lifeCycleState != state { return false }
        if let accountID, event.accountsReceivable.id != accountID { return false }
        if let classificationID, event.classification.id != classificationID { return false }
        return true
    }
}
