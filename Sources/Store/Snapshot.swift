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
/// "AESNAP05" | covered u64 | events u64 | object table | set table |
///   log objects u32 | object index u32 × log objects | log sets u32 | set index u32 × log sets |
///   blocks u32 | masked CRC-32C of all before u32 |
///   { events u32 | bytes u32 | masked CRC-32C of the bytes u32 | events… } × blocks
/// ```
/// Referred objects and sets are written once and referred to by index; blocks of 4096
/// events are checked and decoded in parallel. The log section is the log's table
/// (`LogTable`) when the covered segments were closed: the numbers of records after them.
/// AESNAP04 (before 0.4) has no log section. The file is written to `.tmp`, synced,
/// renamed and the directory synced, so a snapshot under its final name is whole.
///
/// Snapshots are incremental in cost, not in content: each file holds every event, but a
/// whole block that the previous snapshot of this process wrote, and that no cancel touched
/// since, is copied from that file (its checksum verified) instead of encoded again. The
/// object table only grows from one snapshot to the next, so copied blocks' indexes hold.
enum Snapshot {
    static let magic: [UInt8] = Array("AESNAP05".utf8)
    static let blockSize = 4096

    /// The last snapshot this process wrote, for the next one to copy from.
    struct Base: Sendable {
        var path: String
        var table: ObjectTable
        /// Its whole blocks, in order: where their events' bytes lie in the file, and their masked CRC.
        var blocks: [(offset: Int64, length: Int, crc: UInt32)]
    }

    /// Path of the snapshot covering segments up to `segment`.
    static func path(_ directory: String, _ segment: UInt64) -> String {
        let digits = String(segment)
        return "\(directory)/snapshot-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).snap"
    }

    /// Writes the snapshot of `events` covering `segment`, with the log table `log` (objects
    /// and sets by number). Whole blocks that `base` holds and that are not in `dirty` (block
    /// numbers with a changed event) are copied from its file when their checksum still
    /// holds; every other block is encoded.
    /// - Returns: the file's size, and the base for the next snapshot.
    static func write(_ events: ChunkedEvents, covering segment: UInt64, directory: String, base: Base? = nil, dirty: Set<Int> = [],
                      log: (objects: [ReferredObject?], sets: [ReferredSet?])) throws(Errno) -> (bytes: UInt64, base: Base) {
        let old = base.flatMap { try? FileDescriptor.open($0.path, O_RDONLY) }
        defer { old?.close() }
        let copyable = old == nil ? 0 : base?.blocks.count ?? 0
        let blockCount = (events.count + blockSize - 1) / blockSize
        let reused = { (block: Int) in block < copyable && !dirty.contains(block) }
        var table = old == nil ? ObjectTable() : base?.table ?? ObjectTable()
        var setIndexes = [UInt32](repeating: 0, count: events.count)
        for block in 0..<blockCount where !reused(block) { number(events, range(block, events.count), into: &table, &setIndexes) }
        let logObjects = log.objects.map { table.index($0) }
        let logSets = log.sets.map { $0.map { table.index($0) } ?? ObjectTable.none }

        let final = path(directory, segment)
        let temporary = final + ".tmp"
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        var blocks: [(offset: Int64, length: Int, crc: UInt32)] = []
        var size: Int64 = 0
        do throws(Errno) {
            var w = ByteWriter()
            w.bytes.append(contentsOf: magic)
            w.u64(segment)
            w.u64(UInt64(events.count))
            table.write(to: &w)
            w.u32(UInt32(logObjects.count))
            for index in logObjects { w.u32(index) }
            w.u32(UInt32(logSets.count))
            for index in logSets { w.u32(index) }
            w.u32(UInt32(blockCount))
            w.u32(w.bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) })
            try fd.writeAll(w.bytes)
            size = Int64(w.bytes.count)
            var body = ByteWriter()
            for block in 0..<blockCount {
                let positions = range(block, events.count)
                body.bytes.removeAll(keepingCapacity: true)
                var crc: UInt32
                if reused(block), let old, let base, let copied = copy(base.blocks[block], from: old, into: &body) {
                    crc = copied
                } else {
                    if reused(block) {
                        // A block to copy that no longer reads back: encode it with the sets the
                        // table (already written) numbered for it in the previous snapshot.
                        var missing = false
                        events.forEach(in: positions) { e, i in
                            if let known = table.knownSet(e.pointee.referred) { setIndexes[i] = known } else { missing = true }
                        }
                        if missing { throw Errno(rawValue: EIO) }
                    }
                    body.bytes.removeAll(keepingCapacity: true)
                    events.forEach(in: positions) { event, i in EventBinary.write(event, table: table, to: &body, setIndex: setIndexes[i]) }
                    crc = body.bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
                }
                var header = ByteWriter()
                header.u32(UInt32(positions.count))
                header.u32(UInt32(body.bytes.count))
                header.u32(crc)
                try fd.writeAll(header.bytes)
                try fd.writeAll(body.bytes)
                if positions.count == blockSize { blocks.append((size + 12, body.bytes.count, crc)) }
                size += 12 + Int64(body.bytes.count)
            }
            try fd.sync()
        } catch {
            fd.close()
            try? FileSystem.unlink(temporary)
            throw error
        }
        fd.close()
        try FileSystem.rename(temporary, to: final)
        try FileSystem.syncDirectory(directory)
        return (UInt64(size), Base(path: final, table: table, blocks: blocks))
    }

    /// Event positions of block `block` among `count` events.
    private static func range(_ block: Int, _ count: Int) -> Range<Int> {
        (block * blockSize)..<min(count, (block + 1) * blockSize)
    }

    /// Numbers the referred objects and sets of the events in `range` in `table`.
    private static func number(_ events: ChunkedEvents, _ range: Range<Int>, into table: inout ObjectTable, _ setIndexes: inout [UInt32]) {
        events.forEach(in: range) { e, i in
            setIndexes[i] = table.index(e.pointee.referred)
            _ = table.index(e.pointee.logInformation.createdByUser)
            _ = table.index(e.pointee.logInformation.updatedByUser)
            for a in e.pointee.awardRewardTransactions { _ = table.index(a.rewardOffer) }
        }
    }

    /// Reads a block of the previous snapshot into `body`; its CRC, or nil when it cannot be
    /// read or no longer matches (the block is then encoded instead).
    private static func copy(_ block: (offset: Int64, length: Int, crc: UInt32), from fd: FileDescriptor, into body: inout ByteWriter) -> UInt32? {
        body.bytes = [UInt8](repeating: 0, count: block.length)
        var done = 0
        let ok = body.bytes.withUnsafeMutableBytes { raw -> Bool in
            while done < block.length {
                guard let count = try? fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]), at: block.offset + Int64(done)), count > 0 else { return false }
                done += count
            }
            return CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(raw))) == block.crc
        }
        return ok ? block.crc : nil
    }

    /// Loads a snapshot into fresh indexes, checking and decoding blocks on every core.
    /// - Throws: `StoreError` naming the file when it is damaged.
    static func load(_ path: String) throws(StoreError) -> EventIndexes {
        var interner = Interner()
        return try load(path, interning: &interner).indexes
    }

    /// `load`, also interning the snapshot's objects and sets into `interner`, so that what
    /// the log and later creates refer to is shared with the loaded events; and the log
    /// table the segments after the snapshot continue (nil where a number has no object).
    static func load(_ path: String, interning interner: inout Interner) throws(StoreError) -> (indexes: EventIndexes, log: LogTable) {
        let file: MappedFile
        do { file = try MappedFile(path) } catch { throw StoreError("cannot read snapshot \(path): \(error)") }
        let (indexes, tables) = try withExtendedLifetime(file) { decode(file.bytes, path: path) }.get()
        for object in tables.objects { _ = interner.intern(object) }
        for set in tables.sets { _ = interner.intern(set) }
        return (indexes, LogTable(objects: tables.logObjects.map { $0.map { interner.intern($0) } },
                                  sets: tables.logSets.map { $0.map { interner.intern($0) } }))
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, path: String) -> Result<(EventIndexes, DecodedTables), StoreError> {
        func damage(at offset: Int, _ what: String) -> StoreError {
            StoreError("snapshot \(path) is damaged at offset \(offset) (\(what)); restore it from a backup or remove it together with the data dir (--repair covers the log only)")
        }
        let damaged = damage(at: 0, "header or tables")
        guard raw.count >= 28 else { return .failure(damage(at: 0, "shorter than a header")) }
        // AESNAP03 (before 0.2): one CRC over the whole file at its end, none per block.
        // AESNAP04 (before 0.4): no log table.
        let version = Array(raw[0..<8])
        let previousFormat = version == Array("AESNAP03".utf8)
        let hasLogTable = version == magic
        guard previousFormat || hasLogTable || version == Array("AESNAP04".utf8) else { return .failure(damaged) }
        var end = raw.count
        if previousFormat {
            end -= 4
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<end])
            guard CRC32C.mask(CRC32C.checksum(body)) == loadLittleEndian(raw, at: end) else { return .failure(damaged) }
        }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<end]), offset: 8)
        _ = r.u64()
        let count = Int(r.u64())
        guard var tables = DecodedTables.read(&r), !hasLogTable || tables.readLog(&r) else { return .failure(damaged) }
        let blockCount = Int(r.u32())
        let headEnd = r.offset
        if !previousFormat {
            guard !r.failed, r.u32() == CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<headEnd]))) else {
                return .failure(damaged)
            }
        }
        var blocks: [Block] = []
        for _ in 0..<blockCount {
            let events = Int(r.u32())
            let length = Int(r.u32())
            let crc = previousFormat ? nil : r.u32()
            guard !r.failed, length <= end - r.offset else { return .failure(damage(at: r.offset, "block \(blocks.count) runs past the end")) }
            blocks.append(Block(offset: r.offset, length: length, count: events, crc: crc))
            r.offset += length
        }
        guard !r.failed, r.offset == end, blocks.reduce(0, { $0 + $1.count }) == count else { return .failure(damaged) }
        let decoded: [[CustomerEvent]]
        switch decodeInParallel(raw, blocks, tables) {
        case .success(let all): decoded = all
        case .failure(let bad):
            let block = blocks[bad.index]
            return .failure(damage(at: block.offset, "block \(bad.index) of \(blocks.count), \(block.count) events, fails its checksum or does not decode"))
        }
        var indexes = EventIndexes()
        indexes.beginLoading(expecting: count + count / 4)
        indexes.insert(loadedBlocks: decoded)
        return .success((indexes, tables))
    }

    fileprivate struct Block {
        var offset: Int
        var length: Int
        var count: Int
        /// Masked CRC-32C of the block's bytes; nil in the previous format (checked as a whole).
        var crc: UInt32?
    }

    /// The first block that failed its check or decoding.
    fileprivate struct BadBlock: Error {
        let index: Int
    }

    /// Checks and decodes the blocks on all cores; the first damaged block, if any.
    ///
    /// Workers read the blocks and tables through buffers: touching a shared array from both
    /// cores retains its storage each time, and that contended count cost more than decoding.
    private static func decodeInParallel(_ raw: UnsafeRawBufferPointer, _ blocks: [Block], _ tables: DecodedTables) -> Result<[[CustomerEvent]], BadBlock> {
        let results = UnsafeMutableBufferPointer<[CustomerEvent]?>.allocate(capacity: blocks.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        blocks.withUnsafeBufferPointer { blocks in
            tables.objects.withUnsafeBufferPointer { objects in
                tables.sets.withUnsafeBufferPointer { sets in
                    let shared = SharedBuffers(raw: raw, results: results, blocks: blocks, objects: objects, sets: sets)
                    DispatchQueue.concurrentPerform(iterations: blocks.count) { shared.decode($0) }
                }
            }
        }
        var all: [[CustomerEvent]] = []
        for (index, slot) in results.enumerated() {
            guard let events = slot else { return .failure(BadBlock(index: index)) }
            all.append(events)
        }
        return .success(all)
    }
}

/// What parallel decoding shares: read-only input and tables, one result slot per block.
private struct SharedBuffers: @unchecked Sendable {  // safe because: input and tables are read-only while workers run (their classes are immutable); each worker writes only its own slot
    let raw: UnsafeRawBufferPointer
    let results: UnsafeMutableBufferPointer<[CustomerEvent]?>
    let blocks: UnsafeBufferPointer<Snapshot.Block>
    let objects: UnsafeBufferPointer<ReferredObject>
    let sets: UnsafeBufferPointer<ReferredSet>

    /// Checks and decodes block `index` into its slot; leaves the slot nil when it is damaged.
    func decode(_ index: Int) {
        let block = blocks[index]
        let bytes = UnsafeRawBufferPointer(rebasing: raw[block.offset..<(block.offset + block.length)])
        if let crc = block.crc, CRC32C.mask(CRC32C.checksum(bytes)) != crc { return }
        var r = ByteReader(raw, offset: block.offset)
        var events: [CustomerEvent] = []
        events.reserveCapacity(block.count)
        for _ in 0..<block.count {
            guard let event = EventBinary.read(&r, objects: objects, sets: sets) else { return }
            events.append(event)
        }
        guard r.offset == block.offset + block.length else { return }
        results[index] = events
    }
}

