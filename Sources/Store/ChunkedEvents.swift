import Domain

/// Events in number order, stored in fixed-size chunks so that a copy (a snapshot for
/// compaction) shares every chunk, and a later write copies only the chunk it touches
/// instead of the whole set.
struct ChunkedEvents: RandomAccessCollection {
    private static let shift = 12
    private static let chunkSize = 1 << shift
    private var chunks: [[CustomerEvent]] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> CustomerEvent {
        get { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] }
        set { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] = newValue }
    }

    /// (performed_on, number) of the event at `position`, read in place (no copy of the event).
    @inline(__always)
    func sortKey(_ position: Int) -> (Milliseconds, UInt64) {
        chunks[position >> Self.shift].withUnsafeBufferPointer { chunk in
            let slot = position & (Self.chunkSize - 1)
            return (chunk[slot].performedOn, chunk[slot].number)
        }
    }

    /// Calls `body` with a pointer to each event in `range` and its position: the events are
    /// read in place (no copy of an event, so no reference counting of all its fields).
    func forEach(in range: Range<Int>, _ body: (UnsafePointer<CustomerEvent>, Int) -> Void) {
        var position = range.lowerBound
        while position < range.upperBound {
            let chunk = position >> Self.shift
            let end = Swift.min(range.upperBound, (chunk + 1) << Self.shift)
            chunks[chunk].withUnsafeBufferPointer { events in
                while position < end {
                    body(events.baseAddress! + (position & (Self.chunkSize - 1)), position)  // safe: position is inside this chunk
                    position += 1
                }
            }
        }
    }

    /// Position of the first event whose number is above `number` (count when none).
    func firstPosition(afterNumber number: UInt64) -> Int32 {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if sortKey(mid).1 <= number { low = mid + 1 } else { high = mid }
        }
        return Int32(low)
    }

    /// performed_on of the event at `position`, read in place.
    @inline(__always)
    func performedOn(_ position: Int) -> Milliseconds {
        chunks[position >> Self.shift].withUnsafeBufferPointer { $0[position & (Self.chunkSize - 1)].performedOn }
    }

    /// Reserves room for `count` events in total.
    mutating func reserveCapacity(_ count: Int) {
        chunks.reserveCapacity((count >> Self.shift) + 1)
    }

    /// Appends `block` as a whole chunk when the current count ends a chunk and the block
    /// fits in one; false (nothing changed) otherwise.
    mutating func adopt(_ block: [CustomerEvent]) -> Bool {
        guard count & (Self.chunkSize - 1) == 0, !block.isEmpty, block.count <= Self.chunkSize else { return false }
        chunks.append(block)
        count += block.count
        return true
    }

    mutating func append(_ event: consuming CustomerEvent) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk: [CustomerEvent] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        } else if chunks[chunks.count - 1].capacity < Self.chunkSize {
            chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)  // an adopted partial block
        }
        chunks[chunks.count - 1].append(event)
        count += 1
    }
}
