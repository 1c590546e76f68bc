import Dispatch
import Domain
import Posix

#if canImport(Glibc)
import Glibc
#endif

/// Snapshot files: every event at one point of the log, so restart need not replay it all.
///
/// `snapshot-<segment>.snap` covers every log segment up to and including `<segment>`. It
/// holds an 24-byte header (`AESNAP01`, the covered segment, the event count, little-endian)
/// and then one log record per event, in number order, framed and checksummed like the log.
/// It is written to a `.tmp` file, synced, renamed and the directory synced, so a snapshot
/// under its final name is always whole.
enum Snapshot {
    static let magic: [UInt8] = Array("AESNAP01".utf8)
    static let headerSize = 24

    /// Path of the snapshot covering segments up to `segment`.
    static func path(_ directory: String, _ segment: UInt64) -> String {
        let digits = String(segment)
        return "\(directory)/snapshot-\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits).snap"
    }

    /// Writes `events` as the snapshot covering `segment`; returns its size in bytes.
    static func write(_ events: [CustomerEvent], covering segment: UInt64, directory: String, coding: any EventRecordCoding) throws(Errno) -> UInt64 {
        let final = path(directory, segment)
        let temporary = final + ".tmp"
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        var total: UInt64 = 0
        do throws(Errno) {
            var buffer: [UInt8] = magic
            appendLittleEndian(segment, to: &buffer)
            appendLittleEndian(UInt64(events.count), to: &buffer)
            for event in events {
                WriteAheadLog.appendRecord(type: WriteAheadLog.changeRecord, to: &buffer) { coding.encode(.created(event), appendingTo: &$0) }
                if buffer.count >= 1 << 20 {
                    try fd.writeAll(buffer)
                    total += UInt64(buffer.count)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try fd.writeAll(buffer)
            total += UInt64(buffer.count)
            try fd.sync()
        } catch {
            fd.close()
            try? FileSystem.unlink(temporary)
            throw error
        }
        fd.close()
        try FileSystem.rename(temporary, to: final)
        try FileSystem.syncDirectory(directory)
        return total
    }

    /// Loads a snapshot into fresh indexes, decoding on every core.
    /// - Throws: `StoreError` naming the file and offset when it is damaged.
    static func load(_ path: String, coding: any EventRecordCoding) throws(StoreError) -> EventIndexes {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readAll(path) } catch { throw StoreError("cannot read snapshot \(path): \(error)") }
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw StoreError("snapshot \(path) has no valid header") }
        let count = bytes.withUnsafeBytes { Int(loadLittleEndian64($0, at: 16)) }
        let offsets = try recordOffsets(bytes, path: path)
        guard offsets.count == count else { throw StoreError("snapshot \(path) holds \(offsets.count) events, header says \(count)") }
        let decoded = decodeInParallel(bytes, offsets, coding: coding)
        var indexes = EventIndexes()
        for (chunk, events) in decoded.enumerated() {
            guard let events else { throw StoreError("snapshot \(path): a record in chunk \(chunk) does not decode") }
            for event in events where event.number >= indexes.nextNumber { indexes.insert(event) }
        }
        return indexes
    }

    /// Start offsets of every record after the header, validating each checksum.
    private static func recordOffsets(_ bytes: [UInt8], path: String) throws(StoreError) -> [Int] {
        var offsets: [Int] = []
        var failure: Int?
        bytes.withUnsafeBytes { raw in
            var offset = headerSize
            while offset < raw.count {
                guard case .valid(let end) = LogReader.check(raw, at: offset) else {
                    failure = offset
                    return
                }
                offsets.append(offset)
                offset = end
            }
        }
        if let failure { throw StoreError("snapshot \(path) is damaged at offset \(failure)") }
        return offsets
    }

    /// Decodes the records in chunks on all cores; a nil chunk had a record that did not decode.
    private static func decodeInParallel(_ bytes: [UInt8], _ offsets: [Int], coding: any EventRecordCoding) -> [[CustomerEvent]?] {
        let chunkCount = max(1, min(64, offsets.count / 4096))
        let results = UnsafeMutableBufferPointer<[CustomerEvent]?>.allocate(capacity: chunkCount)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        bytes.withUnsafeBytes { whole in
            let shared = SharedBuffers(raw: whole, results: results)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let raw = shared.raw
                let start = offsets.count * chunk / chunkCount
                let end = offsets.count * (chunk + 1) / chunkCount
                var interner = Interner()
                var events: [CustomerEvent] = []
                events.reserveCapacity(end - start)
                for i in start..<end {
                    let offset = offsets[i]
                    let length = Int(loadLittleEndian(raw, at: offset))
                    let body = UnsafeRawBufferPointer(rebasing: raw[(offset + WriteAheadLog.recordHeaderSize)..<(offset + WriteAheadLog.recordHeaderSize + length)])
                    guard case .created(let event)? = coding.decode(body) else { return }
                    events.append(interner.intern(event))
                }
                shared.results[chunk] = events  // each chunk writes only its own slot
            }
        }
        return Array(results)
    }
}

/// The buffers parallel decoding shares: read-only input, one result slot per chunk.
private struct SharedBuffers: @unchecked Sendable {  // safe because: input is read-only and each worker writes only its own slot
    let raw: UnsafeRawBufferPointer
    let results: UnsafeMutableBufferPointer<[CustomerEvent]?>
}

/// Appends `value` as 8 little-endian bytes.
func appendLittleEndian(_ value: UInt64, to out: inout [UInt8]) {
    for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
}

/// Reads 8 little-endian bytes at `offset`.
func loadLittleEndian64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    UInt64(loadLittleEndian(bytes, at: offset)) | UInt64(loadLittleEndian(bytes, at: offset + 4)) << 32
}
