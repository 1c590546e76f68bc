import Domain

/// Positions of events ordered by (performed_on, number), for listing.
///
/// A sorted list of sorted chunks (as Python's SortedList), of 256 to 511 entries each: a
/// binary search over the chunks' first keys finds the chunk, whatever order events arrive
/// in (events arrive in number order but any performed_on). Each entry is the event's
/// performed_on and its position in the store's event array (12 bytes). Positions follow
/// numbers, so (performed_on, position) sorts as (performed_on, number) without reading the
/// events.
///
/// An insert only appends to its chunk's small unsorted `pending` list; a list of
/// `pendingLimit` entries is sorted and merged into the chunk in one pass (a chunk that
/// doubles is split). A chunk is then searched and moved once per 32 inserts, not once per
/// insert: with performed_on spread over a year, each insert's binary search and move in a
/// chunk out of cache was most of an insert's cost (2.4 times less per insert at 2M events,
/// in a micro-benchmark). Walks merge a chunk's sorted pending entries in as they go.
struct OrderIndex {
    init() {}

    /// (performed_on, position).
    typealias Key = (Milliseconds, Int32)

    private struct Chunk {
        var times: [Milliseconds] = []
        var positions: [Int32] = []
        /// Entries inserted since the last merge, in arrival order; at most `pendingLimit`,
        /// all routed here (not below the chunk's first key, but in the first chunk).
        var pending: [Key] = []

        /// First slot whose (time, position) is not below `key`.
        ///
        /// Positions are read only where times tie: a probe of a chunk that is not in cache
        /// then costs one miss, not two.
        func lowerBound(_ key: Key) -> Int {
            times.withUnsafeBufferPointer { times in
                positions.withUnsafeBufferPointer { positions in
                    var low = 0
                    var high = times.count
                    while low < high {
                        let mid = (low + high) / 2
                        let time = times[mid]
                        if time < key.0 || (time == key.0 && positions[mid] < key.1) { low = mid + 1 } else { high = mid }
                    }
                    return low
                }
            }
        }

        /// Sorts the pending entries into the chunk: one merge from the back, in place.
        mutating func mergePending() {
            pending.sort { $0 < $1 }
            let kept = times.count, added = pending.count
            times.append(contentsOf: repeatElement(0, count: added))
            positions.append(contentsOf: repeatElement(0, count: added))
            pending.withUnsafeBufferPointer { add in
                times.withUnsafeMutableBufferPointer { times in
                    positions.withUnsafeMutableBufferPointer { positions in
                        var from = kept - 1, next = added - 1, to = kept + added - 1
                        while next >= 0 {
                            if from >= 0 && (times[from], positions[from]) > add[next] {
                                (times[to], positions[to]) = (times[from], positions[from])
                                from -= 1
                            } else {
                                (times[to], positions[to]) = add[next]
                                next -= 1
                            }
                            to -= 1
                        }
                    }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
    }

    private var chunks: [Chunk] = []
    /// Each chunk's first key when it was made: the search over chunks reads one array.
    private var firstKeys: [Key] = []
    private(set) var count = 0
    private static let chunkLimit = 256
    /// Pending entries a chunk takes before they are merged in.
    private static let pendingLimit = 32

    /// Adds the event at `position`, performed at `time`.
    mutating func insert(_ position: Int32, time: Milliseconds) {
        count += 1
        let key = (time, position)
        guard !chunks.isEmpty else {
            chunks = [Chunk(times: [time], positions: [position])]
            firstKeys = [key]
            return
        }
        let chunk = max(0, chunkAfter(key) - 1)
        chunks[chunk].pending.append(key)
        guard chunks[chunk].pending.count >= Self.pendingLimit else { return }
        chunks[chunk].mergePending()
        if chunks[chunk].times.count >= 2 * Self.chunkLimit { split(chunk) }
    }

    /// Index of the first chunk whose first key is above `key` (chunks.count when none).
    private func chunkAfter(_ key: Key) -> Int {
        firstKeys.withUnsafeBufferPointer { keys in
            var low = 0
            var high = keys.count
            while low < high {
                let mid = (low + high) / 2
                if keys[mid] <= key { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// Cuts a chunk (with nothing pending) in two halves.
    private mutating func split(_ chunk: Int) {
        let upper = Chunk(times: Array(chunks[chunk].times[Self.chunkLimit...]),
                          positions: Array(chunks[chunk].positions[Self.chunkLimit...]))
        chunks[chunk].times.removeSubrange(Self.chunkLimit...)
        chunks[chunk].positions.removeSubrange(Self.chunkLimit...)
        chunks.insert(upper, at: chunk + 1)
        firstKeys.insert((upper.times[0], upper.positions[0]), at: chunk + 1)
    }

    /// Positions after `cursor` (exclusive) whose performed_on is below `to`, in order,
    /// offered to `visit` until it returns false.
    func walk(after cursor: (Milliseconds, UInt64)?, from: Milliseconds?, to: Milliseconds?, in events: ChunkedEvents, _ visit: (Int32) -> Bool) {
        guard !chunks.isEmpty else { return }
        // The first entry to visit: the cursor's event is at or before the first position
        // whose number exceeds the cursor's number, so start there among equal times.
        let start: (Milliseconds, Int32)
        if let cursor, from.map({ cursor >= ($0, 0) }) ?? true {
            start = (cursor.0, events.firstPosition(afterNumber: cursor.1))
        } else {
            start = (from ?? .min, 0)
        }
        var chunk = max(0, chunkAfter(start) - 1)
        var slot = chunks[chunk].lowerBound(start)
        var pending = chunks[chunk].pending.sorted { $0 < $1 }
        var next = pending.firstIndex { $0 >= start } ?? pending.count
        while true {
            let run = chunks[chunk]
            while slot < run.times.count || next < pending.count {
                let fromBody = next == pending.count || (slot < run.times.count && (run.times[slot], run.positions[slot]) < pending[next])
                let (time, position) = fromBody ? (run.times[slot], run.positions[slot]) : pending[next]
                if let to, time >= to { return }
                if !visit(position) { return }
                if fromBody { slot += 1 } else { next += 1 }
            }
            chunk += 1
            guard chunk < chunks.count else { return }
            slot = 0
            pending = chunks[chunk].pending.sorted { $0 < $1 }
            next = 0
        }
    }

    /// An index over `positions` at once (recovery): one sort of (key, position) pairs,
    /// reading each event's key once, cut into chunks.
    init(positions: [Int32], in events: ChunkedEvents) {
        var keyed = positions.map { (time: events.performedOn(Int($0)), position: $0) }
        keyed.sort { ($0.time, $0.position) < ($1.time, $1.position) }
        count = keyed.count
        var start = 0
        while start < keyed.count {
            let end = min(keyed.count, start + Self.chunkLimit)
            chunks.append(Chunk(times: keyed[start..<end].map(\.time), positions: keyed[start..<end].map(\.position)))
            firstKeys.append((keyed[start].time, keyed[start].position))
            start = end
        }
    }
}

/// The filters of a list call, resolved to catalog ids (stored lowercase, as events carry them).
public struct EventFilter: Sendable, Equatable {
    public var accountID: String?
    public var classificationID: String?
    public var state: LifeCycleState?
    public var from: Milliseconds?
    public var to: Milliseconds?
    /// With `state` POSTED: events numbered below `numbersBelow` and cancelled at or after
    /// `time` pass too (they were POSTED when the list's first page was served, and so still
    /// belong to its later pages).
    public var postedAsOf: PostedAsOf?

    /// The first page of a POSTED list: its stamp, and the next event number then.
    public struct PostedAsOf: Sendable, Equatable {
        public var time: Milliseconds
        public var numbersBelow: UInt64

        public init(time: Milliseconds, numbersBelow: UInt64) {
            self.time = time
            self.numbersBelow = numbersBelow
        }
    }

    public init(accountID: String?, classificationID: String?, state: LifeCycleState?, from: Milliseconds?, to: Milliseconds?,
                postedAsOf: PostedAsOf? = nil) {
        self.accountID = accountID
        self.classificationID = classificationID
        self.state = state
        self.from = from
        self.to = to
        self.postedAsOf = postedAsOf
    }

    /// True when `event` passes every filter but the time range (the index walk applies it).
    func matchesAttributes(_ event: CustomerEvent) -> Bool {
        if let state, event.lifeCycleState != state {
            // Only a cancel changes an event, and it sets `updated_date` to its time.
            guard state == .posted, let asOf = postedAsOf, event.number < asOf.numbersBelow, event.logInformation.updatedDate >= asOf.time
            else { return false }
        }
        if let accountID, event.accountsReceivable.id != accountID { return false }
        if let classificationID, event.classification.id != classificationID { return false }
        return true
    }
}
