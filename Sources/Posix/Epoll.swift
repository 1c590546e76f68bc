import CLinux
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An epoll instance: which descriptors to watch for what, and a wait that returns the
/// ready ones. Level-triggered: a descriptor stays ready until it is drained.
public struct Epoll: Sendable {
    /// The epoll descriptor itself (pollable: it is readable while any watched one is ready).
    public let descriptor: FileDescriptor

    /// What to watch a descriptor for.
    public struct Interest: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Bytes to read, or the peer's FIN.
        public static let read = Interest(rawValue: EPOLLIN.rawValue)
        /// Room to write.
        public static let write = Interest(rawValue: EPOLLOUT.rawValue)
    }

    /// One ready descriptor, as `epoll_wait` reported it.
    public struct Event: Sendable {
        public var descriptor: Int32
        /// Readable, or hung up / failed (a read then tells which).
        public var isReadable: Bool
        /// Writable, or failed (a write then tells which).
        public var isWritable: Bool
    }

    /// Creates an instance. The corresponding C function is epoll_create1(2), with EPOLL_CLOEXEC.
    public init() throws(Errno) {
        let fd = try retryingOnInterrupt { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        descriptor = FileDescriptor(rawValue: fd)
    }

    /// Starts watching `fd`. The corresponding C function is epoll_ctl(2) with EPOLL_CTL_ADD.
    public func add(_ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        try control(EPOLL_CTL_ADD, fd, interest)
    }

    /// Changes what `fd` is watched for (thread-safe). The corresponding C function is epoll_ctl(2) with EPOLL_CTL_MOD.
    public func modify(_ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        try control(EPOLL_CTL_MOD, fd, interest)
    }

    /// Stops watching `fd`. The corresponding C function is epoll_ctl(2) with EPOLL_CTL_DEL.
    public func remove(_ fd: FileDescriptor) {
        _ = epoll_ctl(descriptor.rawValue, EPOLL_CTL_DEL, fd.rawValue, nil)
    }

    private func control(_ operation: Int32, _ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.fd = fd.rawValue
        _ = try retryingOnInterrupt { epoll_ctl(descriptor.rawValue, operation, fd.rawValue, &event) }
    }

    /// Waits up to `timeoutNanoseconds` (nil: no limit, 0: not at all) for ready descriptors
    /// and reports up to `buffer.count` of them into `buffer`'s first entries; returns how
    /// many (0 on timeout or a signal). The corresponding C function is epoll_pwait2(2)
    /// (a timeout in nanoseconds), or epoll_wait(2) with the timeout rounded up to whole
    /// milliseconds on kernels before 5.11.
    public func wait(into buffer: UnsafeMutableBufferPointer<epoll_event>, timeoutNanoseconds: Int64?) -> Int {
        guard let nanoseconds = timeoutNanoseconds, nanoseconds > 0 else {
            let milliseconds: Int32 = timeoutNanoseconds == nil ? -1 : 0
            return max(0, Int(epoll_wait(descriptor.rawValue, buffer.baseAddress, Int32(buffer.count), milliseconds)))
        }
        if Self.hasPreciseWait.load(ordering: .relaxed) {
            var timeout = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            let count = epoll_pwait2(descriptor.rawValue, buffer.baseAddress, Int32(buffer.count), &timeout, nil)
            if count >= 0 || errno != ENOSYS { return max(0, Int(count)) }
            Self.hasPreciseWait.store(false, ordering: .relaxed)
        }
        let milliseconds = Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
        return max(0, Int(epoll_wait(descriptor.rawValue, buffer.baseAddress, Int32(buffer.count), milliseconds)))
    }

    /// False once epoll_pwait2 answered ENOSYS (a kernel before 5.11).
    private static let hasPreciseWait = Atomic<Bool>(true)

    /// The `index`th entry `poll` filled.
    public static func event(_ buffer: UnsafeMutableBufferPointer<epoll_event>, _ index: Int) -> Event {
        let raw = buffer[index]
        let failed = raw.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        return Event(descriptor: raw.data.fd,
                     isReadable: failed || raw.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                     isWritable: failed || raw.events & EPOLLOUT.rawValue != 0)
    }

    /// Closes the instance.
    public func close() { descriptor.close() }
}
