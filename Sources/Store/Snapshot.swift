import Dispatch
import Domain
import Posix

#if canImport(Glibc)
import Glibc
#endif

/// Snapshot files: every event at one point of the log, so restart need not replay it all.
///
/// `snapshot-<segment>.snap` covers every log segment up to and including `<segment>`.
/// Its format loads straight into the in-memory records (no protobuf), little-endian:
/// ```
/// "AESNAP03" | covered u64 | events u64 | object table | set table | blocks u32 |
///   { events u32 | bytes u32 | events… } × blocks | masked CRC-32C of all before u32
/// ```
/// Referred objects and sets are written once and referred to by index; blocks of 4096
/// events decode in parallel. The file is written to `.tmp`, synced, renamed and the
/// directory synced, so a snapshot under its final name is whole; the CRC catches rot.
enum Snapshot {
    static let magic: [UInt8] = Array("AESNAP03".utf8)
    static let blockSize = 4096

    /// Path of the snapshot covering segments up to `segment`.
    static func path(_ directory: String, _ segment: UInt64) -> String {
        let digits = String(segment)
        return "\(directory)/snapshot-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).snap"
    }

    /// The bytes of a snapshot of `events` covering `segment`.
    static func encode(_ events: ChunkedEvents, covering segment: UInt64) -> [UInt8] {
        var table = ObjectTable()
        var setIndexes: [UInt32] = []
        setIndexes.reserveCapacity(events.count)
        events.forEach(in: 0..<events.count) { e, _ in
            setIndexes.append(table.index(e.pointee.referred))
            _ = table.index(e.pointee.logInformation.createdByUser)
            _ = table.index(e.pointee.logInformation.updatedByUser)
            for a in e.pointee.awardRewardTransactions { _ = table.index(a.rewardOffer) }
        }
        var w = ByteWriter()
        w.bytes.append(contentsOf: magic)
        w.u64(segment)
        w.u64(UInt64(events.count))
        table.write(to: &w)
        let blocks = (events.count + blockSize - 1) / blockSize
        w.u32(UInt32(blocks))
        for block in 0..<blocks {
            let range = (block * blockSize)..<min(events.count, (block + 1) * blockSize)
            w.u32(UInt32(range.count))
            let lengthAt = w.bytes.count
            w.u32(0)
            events.forEach(in: range) { event, i in EventBinary.write(event.pointee, table: table, to: &w, setIndex: setIndexes[i]) }
            let length = UInt32(w.bytes.count - lengthAt - 4)
            withUnsafeBytes(of: length.littleEndian) { for (k, b) in $0.enumerated() { w.bytes[lengthAt + k] = b } }
        }
        let crc = w.bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
        w.u32(crc)
        return w.bytes
    }

    /// Writes the snapshot covering `segment`; returns its size in bytes.
    static func write(_ events: ChunkedEvents, covering segment: UInt64, directory: String) throws(Errno) -> UInt64 {
        let bytes = encode(events, covering: segment)
        let final = path(directory, segment)
        let temporary = final + ".tmp"
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do throws(Errno) {
            try fd.writeAll(bytes)
            try fd.sync()
        } catch {
            fd.close()
            try? FileSystem.unlink(temporary)
            throw error
        }
        fd.close()
        try FileSystem.rename(temporary, to: final)
        try FileSystem.syncDirectory(directory)
        return UInt64(bytes.count)
    }

    /// Loads a snapshot into fresh indexes, decoding blocks on every core.
    /// - Throws: `StoreError` naming the file when it is damaged.
    static func load(_ path: String) throws(StoreError) -> EventIndexes {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readAll(path) } catch { throw StoreError("cannot read snapshot \(path): \(error)") }
        var result: Result<EventIndexes, StoreError> = .failure(StoreError("snapshot \(path) is damaged"))
        bytes.withUnsafeBytes { raw in result = decode(raw, path: path) }
        return try result.get()
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, path: String) -> Result<EventIndexes, StoreError> {
        let damaged = StoreError("snapshot \(path) is damaged (checksum, header or tables); restore it from a backup or remove it together with the data dir")
        guard raw.count >= 28, Array(raw[0..<8]) == magic else { return .failure(damaged) }
        let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)])
        guard CRC32C.mask(CRC32C.checksum(body)) == loadLittleEndian(raw, at: raw.count - 4) else { return .failure(damaged) }
        var r = ByteReader(body, offset: 8)
        _ = r.u64()
        let count = Int(r.u64())
        guard let tables = DecodedTables.read(&r) else { return .failure(damaged) }
        var blocks: [(offset: Int, count: Int)] = []
        for _ in 0..<Int(r.u32()) {
            let events = Int(r.u32())
            let length = Int(r.u32())
            blocks.append((r.offset, events))
            r.offset += length
        }
        guard !r.failed, r.offset == body.count, blocks.reduce(0, { $0 + $1.count }) == count else { return .failure(damaged) }
        guard let decoded = decodeInParallel(body, blocks, tables) else { return .failure(damaged) }
        var indexes = EventIndexes()
        indexes.beginLoading(expecting: count + count / 4)
        for block in decoded { indexes.insert(loaded: block) }
        return .success(indexes)
    }

    /// Decodes the blocks on all cores; nil when any event is malformed.
    private static func decodeInParallel(_ body: UnsafeRawBufferPointer, _ blocks: [(offset: Int, count: Int)], _ tables: DecodedTables) -> [[CustomerEvent]]? {
        let results = UnsafeMutableBufferPointer<[CustomerEvent]?>.allocate(capacity: blocks.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let shared = SharedBuffers(raw: body, results: results)
        DispatchQueue.concurrentPerform(iterations: blocks.count) { index in
            var r = ByteReader(shared.raw, offset: blocks[index].offset)
            var events: [CustomerEvent] = []
            events.reserveCapacity(blocks[index].count)
            for _ in 0..<blocks[index].count {
                guard let event = EventBinary.read(&r, tables: tables) else { return }
                events.append(event)
            }
            shared.results[index] = events  // each block writes only its own slot
        }
        var all: [[CustomerEvent]] = []
        for slot in results {
            guard let events = slot else { return nil }
            all.append(events)
        }
        return all
    }
}

/// The buffers parallel decoding shares: read-only input, one result slot per block.
private struct SharedBuffers: @unchecked Sendable {  // safe because: input is read-only and each worker writes only its own slot
    let raw: UnsafeRawBufferPointer
    let results: UnsafeMutableBufferPointer<[CustomerEvent]?>
}
