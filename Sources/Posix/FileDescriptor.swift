import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor: a plain value; whoever opened it closes it exactly once.
public struct FileDescriptor: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Opens `path`. The corresponding C function is open(2); O_CLOEXEC is always added.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(Errno) -> FileDescriptor {
        let fd = try retryingOnInterrupt { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(rawValue: fd)
    }

    /// Closes the descriptor. The corresponding C function is close(2); errors are ignored
    /// (Linux releases the descriptor even when close fails).
    public func close() {
        _ = Glibc.close(rawValue)
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file. The corresponding C function is read(2).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try retryingOnInterrupt { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes some of `buffer`; returns how many bytes. The corresponding C function is write(2).
    public func write(_ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int {
        #if ENABLE_MOCKING
        if case .fail(let error)? = PosixMocking.hooks.beforeWrite?(self, buffer.count) { throw error }
        #endif
        return try retryingOnInterrupt { Glibc.write(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `buffer`, looping over short writes (blocking descriptors only).
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < buffer.count {
            let written = try self.write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            offset += written
        }
    }

    /// Writes all of `buffer` at `offset`, looping over short writes; the file offset does
    /// not move. The corresponding C function is pwrite(2).
    public func writeAll(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(Errno) {
        #if ENABLE_MOCKING
        if case .fail(let error)? = PosixMocking.hooks.beforeWrite?(self, buffer.count) { throw error }
        #endif
        var done = 0
        while done < buffer.count {
            let rest = UnsafeRawBufferPointer(rebasing: buffer[done...])
            done += try retryingOnInterrupt { Glibc.pwrite(rawValue, rest.baseAddress, rest.count, off_t(offset) + off_t(done)) }
        }
        #if ENABLE_MOCKING
        PosixMocking.hooks.afterWrite?(self, offset + Int64(buffer.count))
        #endif
    }

    /// Writes all of `bytes` at `offset` (pwrite(2)).
    public func writeAll(_ bytes: [UInt8], at offset: Int64) throws(Errno) {
        var failure: Errno?
        bytes.withUnsafeBytes { buffer in
            do throws(Errno) { try writeAll(buffer, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes `count` zero bytes at `offset` (pwrite(2)): space filled ahead of the data that
    /// will overwrite it. Not reported to the mocking hooks' `afterWrite`, which track data.
    public func writeZeros(count: Int, at offset: Int64) throws(Errno) {
        #if ENABLE_MOCKING
        if case .fail(let error)? = PosixMocking.hooks.beforeWrite?(self, count) { throw error }
        #endif
        let zeros = Self.zeros
        var done = 0
        while done < count {
            let chunk = min(zeros.count, count - done)
            done += try retryingOnInterrupt { Glibc.pwrite(rawValue, zeros.baseAddress, chunk, off_t(offset) + off_t(done)) }
        }
    }

    /// 64 KiB of zeros, allocated once, never written.
    private nonisolated(unsafe) static let zeros = UnsafeRawBufferPointer(UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 4096).initializeMemory(as: UInt8.self, repeating: 0))

    /// Writes all of `bytes`.
    public func writeAll(_ bytes: [UInt8]) throws(Errno) {
        var failure: Errno?
        bytes.withUnsafeBytes { buffer in
            do throws(Errno) { try writeAll(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads `count` bytes at `offset` (fewer at end of file). The corresponding C function is pread(2).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        try retryingOnInterrupt { Glibc.pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Starts writing the dirty pages of `count` bytes at `offset` to the device, without
    /// waiting for them (sync_file_range(2) with SYNC_FILE_RANGE_WRITE): a later fdatasync has
    /// less left to wait for. Makes nothing durable by itself.
    public func startWriteback(at offset: Int64, count: Int64) throws(Errno) {
        _ = try retryingOnInterrupt { clinux_sync_file_range(rawValue, offset, count, CLINUX_SYNC_FILE_RANGE_WRITE) }
    }

    /// Flushes data and metadata to stable storage. The corresponding C function is fsync(2).
    /// Never retry a failed sync: the kernel may have dropped the dirty pages.
    public func sync() throws(Errno) {
        try mockedSync()
        _ = try retryingOnInterrupt { Glibc.fsync(rawValue) }
        syncCompleted()
    }

    /// Flushes data (and the size) to stable storage. The corresponding C function is fdatasync(2).
    public func dataSync() throws(Errno) {
        try mockedSync()
        _ = try retryingOnInterrupt { Glibc.fdatasync(rawValue) }
        syncCompleted()
    }

    @inline(__always)
    private func mockedSync() throws(Errno) {
        #if ENABLE_MOCKING
        if case .fail(let error)? = PosixMocking.hooks.beforeSync?(self) { throw error }
        #endif
    }

    @inline(__always)
    private func syncCompleted() {
        #if ENABLE_MOCKING
        PosixMocking.hooks.afterSync?(self)
        #endif
    }

    /// Cuts or extends the file to `size` bytes. The corresponding C function is ftruncate(2).
    public func truncate(to size: Int64) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.ftruncate(rawValue, off_t(size)) }
    }

    /// The file's size in bytes. The corresponding C function is fstat(2).
    public func size() throws(Errno) -> Int64 {
        var info = stat()
        _ = try retryingOnInterrupt { Glibc.fstat(rawValue, &info) }
        return Int64(info.st_size)
    }

    /// Takes an exclusive lock on the whole file without waiting, held until this descriptor
    /// closes. The corresponding C function is fcntl(2) with F_OFD_SETLK (an open file
    /// description lock: it conflicts across processes and across descriptors of one process).
    /// - Throws: EAGAIN or EACCES when another holder has it.
    public func lockExclusive() throws(Errno) {
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        let ofdSetLock: Int32 = 37  // F_OFD_SETLK (Linux >= 3.15), hidden behind _GNU_SOURCE
        _ = try retryingOnInterrupt { fcntl(rawValue, ofdSetLock, &request) }
    }

    /// Sets or clears O_NONBLOCK. The corresponding C function is fcntl(2).
    public func setNonBlocking(_ on: Bool = true) throws(Errno) {
        let flags = try retryingOnInterrupt { fcntl(rawValue, F_GETFL) }
        _ = try retryingOnInterrupt { fcntl(rawValue, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) }
    }
}
