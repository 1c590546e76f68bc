import Domain
import Log
import Posix

#if canImport(Glibc)
import Glibc
#endif

/// Start-up replay of the log segments into fresh indexes (SPEC §6).
///
/// A torn or corrupt tail of the last segment is cut back to the last whole record, after
/// copying the segment to `<name>.broken`; damage followed by valid records (corruption
/// inside the log) stops the start with the file and offset, unless `repair`, which keeps
/// a `.broken` copy and rewrites the segment with only its valid records.
struct Recovery {
    let directory: String
    let repair: Bool
    let coding: any EventRecordCoding
    private let logger = Logger(label: "recovery")
    private var interner = Interner()

    init(directory: String, repair: Bool, coding: any EventRecordCoding) {
        self.directory = directory
        self.repair = repair
        self.coding = coding
    }

    /// Replays every segment; returns the indexes, the segment to append to, and the bytes
    /// of the older segments.
    mutating func run() throws(StoreError) -> (EventIndexes, UInt64, UInt64) {
        let segments = try listSegments()
        var indexes = EventIndexes()
        var olderBytes: UInt64 = 0
        for (position, sequence) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let size = try replay(segment: sequence, isLast: isLast, into: &indexes)
            if !isLast { olderBytes += size }
        }
        return (indexes, segments.last ?? 1, olderBytes)
    }

    private func listSegments() throws(StoreError) -> [UInt64] {
        let names: [String]
        do { names = try FileSystem.listDirectory(directory) } catch { throw StoreError("cannot list data dir \(directory): \(error)") }
        return names.compactMap { name -> UInt64? in
            guard name.hasPrefix("wal-"), name.hasSuffix(".log") else { return nil }
            return UInt64(name.dropFirst(4).dropLast(4))
        }.sorted()
    }

    /// Replays one segment; returns its size after any cut.
    private mutating func replay(segment sequence: UInt64, isLast: Bool, into indexes: inout EventIndexes) throws(StoreError) -> UInt64 {
        let path = WriteAheadLog.segmentPath(directory, sequence)
        let bytes: [UInt8]
        do { bytes = try FileSystem.readAll(path) } catch { throw StoreError("cannot read \(path): \(error)") }
        var result: (goodEnd: Int, damage: LogReader.Damage?) = (0, nil)
        bytes.withUnsafeBytes { raw in
            result = LogReader.scan(raw) { _, body in
                guard let change = coding.decode(body) else { return false }
                apply(change, to: &indexes)
                return true
            }
        }
        guard let damage = result.damage else { return UInt64(bytes.count) }
        if isLast && !damage.validRecordFollows {
            try cutTail(path: path, bytes: bytes, at: damage)
            return UInt64(damage.offset)
        }
        guard repair else {
            throw StoreError("corrupt log record in \(path) at offset \(damage.offset): \(damage.reason); start with --repair to skip it (a .broken copy is kept)")
        }
        return try repairSegment(path: path, bytes: bytes, from: damage, into: &indexes)
    }

    private mutating func apply(_ change: StoreChange, to indexes: inout EventIndexes) {
        switch change {
        case .created(let event):
            if indexes.event(id: event.id) == nil && event.number >= indexes.nextNumber {
                indexes.insert(interner.intern(event))
            }
        case .cancelled(let id, let at, let user):
            if let event = indexes.event(id: id), case .success(let cancelled) = event.cancelled(now: at, by: interner.intern(user)) {
                indexes.replace(cancelled)
            }
        }
    }

    private func cutTail(path: String, bytes: [UInt8], at damage: LogReader.Damage) throws(StoreError) {
        logger.warn("torn log tail cut", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason),
                                          ("dropped_bytes", String(bytes.count - damage.offset))])
        do {
            try writeCopy(bytes, to: path + ".broken")
            let fd = try FileDescriptor.open(path, O_WRONLY)
            defer { fd.close() }
            try fd.truncate(to: Int64(damage.offset))
            try fd.sync()
        } catch {
            throw StoreError("cannot cut the torn tail of \(path) at offset \(damage.offset): \(error)")
        }
    }

    /// Keeps the valid records of a damaged segment (skipping damaged spans) and rewrites it.
    private mutating func repairSegment(path: String, bytes: [UInt8], from damage: LogReader.Damage, into indexes: inout EventIndexes) throws(StoreError) -> UInt64 {
        logger.warn("repairing corrupt log segment", [("file", path), ("offset", String(damage.offset)), ("reason", damage.reason)])
        var kept = Array(bytes[..<damage.offset])
        var offset = damage.offset
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                if case .valid(let end) = LogReader.check(raw, at: offset),
                    let change = coding.decode(UnsafeRawBufferPointer(rebasing: raw[(offset + WriteAheadLog.recordHeaderSize)..<end]))
                {
                    apply(change, to: &indexes)
                    kept.append(contentsOf: raw[offset..<end])
                    offset = end
                } else {
                    offset += 1
                }
            }
        }
        do {
            try writeCopy(bytes, to: path + ".broken")
            try writeCopy(kept, to: path + ".repair")
            try FileSystem.rename(path + ".repair", to: path)
            try FileSystem.syncDirectory(directory)
        } catch {
            throw StoreError("cannot repair \(path): \(error)")
        }
        return UInt64(kept.count)
    }

    private func writeCopy(_ bytes: [UInt8], to path: String) throws(Errno) {
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { fd.close() }
        try fd.writeAll(bytes)
        try fd.sync()
    }
}
